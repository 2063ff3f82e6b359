'use strict';
/*
 * sebs-junit local platform: object storage for Node.js benchmark functions (SeBS's storage interface).
 *
 * Benchmark code uses it as on any SeBS platform:
 *
 *   const storage = require('./storage');
 *   let client = new storage.storage();            // or storage.storage.get_instance()
 *   let [key, done] = client.upload(bucket, 'out/result.png', '/tmp/result.png'); await done;
 *   let [writeStream, done2, key2] = client.uploadStream(bucket, 'out/data.bin');  // write, end, await
 *   await client.download(bucket, key, '/tmp/copy.png');
 *   await client.downloadDirectory(bucket, 'in/dataset/', '/tmp/dl');   // /tmp/dl/in/dataset/...
 *   let readable = await client.downloadStream(bucket, key);
 *
 * The platform runs an S3-API server and tells each function instance where it is:
 *   SEBS_STORAGE_ENDPOINT   e.g. http://127.0.0.1:39211 (path-style addressing)
 *   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION / AWS_DEFAULT_REGION (default us-east-1)
 *
 * On AWS Lambda (AWS_LAMBDA_FUNCTION_NAME is set) the endpoint is optional: without it the client uses
 * the SDK's defaults, i.e. S3 of the function's region with the execution role's credentials.
 *
 * @aws-sdk/client-s3 is required and the client built on first use, so that cost is paid by the first
 * request that touches storage, not by require('./storage'). The framework adds the package to the
 * function's dependencies when config.json lists "storage" in "modules".
 *
 * Uploads of unknown length (uploadStream, and upload, which streams the file through the same path)
 * are buffered up to PART_SIZE bytes: smaller ones become one PutObject, larger ones a multipart upload
 * with parts of at least PART_SIZE bytes, written with back-pressure (the stream waits for each part).
 */

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const stream = require('stream');

const ENDPOINT_ENV = 'SEBS_STORAGE_ENDPOINT';
const DEFAULT_REGION = 'us-east-1';
const PART_SIZE = 8 * 1024 * 1024;
// Objects downloadDirectory fetches at once.
const DOWNLOAD_BATCH = 16;

let sdk = null;

function s3sdk() {
  if (sdk === null) {
    try {
      sdk = require('@aws-sdk/client-s3');
    } catch (e) {
      throw new Error(`@aws-sdk/client-s3 is not installed for the function (${e.message}); the `
        + 'framework adds it when config.json lists "storage" in "modules"');
    }
  }
  return sdk;
}

function region() {
  for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION']) {
    const value = (process.env[name] || '').trim();
    if (value) return value;
  }
  return DEFAULT_REGION;
}

function newS3Client() {
  const endpoint = (process.env[ENDPOINT_ENV] || '').trim();
  if (!endpoint && !process.env.AWS_LAMBDA_FUNCTION_NAME) {
    throw new Error(`${ENDPOINT_ENV} is not set: this function instance has no object storage `
      + '(does the benchmark\'s config.json list "storage" in "modules"?)');
  }
  const { S3Client } = s3sdk();
  const config = {
    region: region(),
    // third-party S3 servers are spared the optional CRC checksums recent SDK versions add by default
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
  if (endpoint) {
    // an endpoint override (the local platform's server, a stand-in): path-style addressing
    config.endpoint = endpoint;
    config.forcePathStyle = true;
  }
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
  if (accessKeyId && secretAccessKey) {
    // explicit credentials skip loading the SDK's whole default provider chain
    config.credentials = { accessKeyId, secretAccessKey };
    if (process.env.AWS_SESSION_TOKEN) config.credentials.sessionToken = process.env.AWS_SESSION_TOKEN;
  }
  return new S3Client(config);
}

/** A Writable that stores what is written to it as one object: PutObject, or multipart when large. */
class S3UploadStream extends stream.Writable {
  constructor(client, bucket, key) {
    super();
    this.client = client;
    this.bucket = bucket;
    this.key = key;
    this.chunks = [];
    this.buffered = 0;
    this.uploadId = null;
    this.parts = [];
    this.completed = false;
    this.result = null;
  }

  _write(chunk, encoding, callback) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding);
    this.chunks.push(buffer);
    this.buffered += buffer.length;
    if (this.buffered < PART_SIZE) {
      callback();
      return;
    }
    this.uploadPart().then(() => callback(), callback);
  }

  _final(callback) {
    this.finishUpload().then(() => callback(), callback);
  }

  _destroy(error, callback) {
    if (this.uploadId !== null && !this.completed) {
      this.abort().then(() => callback(error), () => callback(error));
    } else {
      callback(error);
    }
  }

  takeBuffered() {
    const body = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
    this.chunks = [];
    this.buffered = 0;
    return body;
  }

  async uploadPart() {
    const { CreateMultipartUploadCommand, UploadPartCommand } = s3sdk();
    if (this.uploadId === null) {
      const created = await this.client.send(
        new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: this.key }));
      this.uploadId = created.UploadId;
    }
    const body = this.takeBuffered();
    const partNumber = this.parts.length + 1;
    const response = await this.client.send(new UploadPartCommand({
      Bucket: this.bucket, Key: this.key, UploadId: this.uploadId, PartNumber: partNumber,
      Body: body, ContentLength: body.length,
    }));
    this.parts.push({ ETag: response.ETag, PartNumber: partNumber });
  }

  async finishUpload() {
    const { PutObjectCommand, CompleteMultipartUploadCommand } = s3sdk();
    if (this.uploadId === null) {
      const body = this.takeBuffered();
      const response = await this.client.send(new PutObjectCommand({
        Bucket: this.bucket, Key: this.key, Body: body, ContentLength: body.length,
      }));
      this.completed = true;
      this.result = { Bucket: this.bucket, Key: this.key, ETag: response.ETag };
      return;
    }
    if (this.buffered > 0) await this.uploadPart();
    const response = await this.client.send(new CompleteMultipartUploadCommand({
      Bucket: this.bucket, Key: this.key, UploadId: this.uploadId,
      MultipartUpload: { Parts: this.parts },
    }));
    this.completed = true;
    this.result = { Bucket: this.bucket, Key: this.key, ETag: response.ETag };
  }

  async abort() {
    const { AbortMultipartUploadCommand } = s3sdk();
    await this.client.send(new AbortMultipartUploadCommand({
      Bucket: this.bucket, Key: this.key, UploadId: this.uploadId,
    }));
  }
}

/** Resolves with the upload's {Bucket, Key, ETag} when the stream finished, rejects on failure. */
function whenUploaded(writer) {
  return new Promise((resolve, reject) => {
    writer.once('finish', () => resolve(writer.result));
    writer.once('error', reject);
    writer.once('close', () => {
      if (!writer.completed) reject(new Error(`upload of ${writer.key} was closed before it completed`));
    });
  });
}

class storage {
  constructor() {
    this._client = null;
  }

  /** The S3 client, created (and @aws-sdk/client-s3 required) on first use. */
  get client() {
    if (this._client === null) this._client = newS3Client();
    return this._client;
  }

  /** 'dir/photo.jpg' -> 'dir/photo.1a2b3c4d.jpg': 8 random hex digits before the extension. */
  static unique_name(file) {
    const name = path.posix.parse(file);
    const unique = `${name.name}.${crypto.randomBytes(4).toString('hex')}${name.ext}`;
    return name.dir ? `${name.dir}/${unique}` : unique;
  }

  unique_name(file) {
    return storage.unique_name(file);
  }

  /** Uploads the local file filepath under a unique key derived from file: [key, promise]. */
  upload(bucket, file, filepath) {
    const key = storage.unique_name(file);
    let writer;
    try {
      writer = new S3UploadStream(this.client, bucket, key);
    } catch (e) {
      return [key, Promise.reject(e)];
    }
    const done = whenUploaded(writer);
    stream.pipeline(fs.createReadStream(filepath), writer, () => {}); // failures reach `done`
    return [key, done];
  }

  /** Downloads the object file into the local path filepath: a promise. */
  async download(bucket, file, filepath) {
    const readable = await this.downloadStream(bucket, file);
    await stream.promises.pipeline(readable, fs.createWriteStream(filepath));
  }

  /**
   * Downloads every object whose key starts with prefix into downloadPath/<its whole key> (SeBS's
   * downloadDirectory), listing all pages and fetching DOWNLOAD_BATCH objects at a time; fails when there
   * is none.
   */
  async downloadDirectory(bucket, prefix, downloadPath) {
    const { ListObjectsV2Command } = s3sdk();
    const keys = [];
    let token;
    do {
      const page = await this.client.send(new ListObjectsV2Command({
        Bucket: bucket, Prefix: prefix, ContinuationToken: token,
      }));
      for (const object of page.Contents || []) {
        if (!object.Key.endsWith('/')) keys.push(object.Key);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    if (keys.length === 0) {
      throw new Error(`no objects under s3://${bucket}/${prefix}`);
    }
    for (let i = 0; i < keys.length; i += DOWNLOAD_BATCH) {
      await Promise.all(keys.slice(i, i + DOWNLOAD_BATCH).map(async (key) => {
        const target = path.join(downloadPath, key);
        await fs.promises.mkdir(path.dirname(target), { recursive: true });
        await this.download(bucket, key, target);
      }));
    }
  }

  /** A writable stream stored under a unique key derived from file: [writeStream, promise, key]. */
  uploadStream(bucket, file) {
    const key = storage.unique_name(file);
    const writer = new S3UploadStream(this.client, bucket, key);
    return [writer, whenUploaded(writer), key];
  }

  /** A promise of a readable stream with the content of the object file. */
  async downloadStream(bucket, file) {
    const { GetObjectCommand } = s3sdk();
    const response = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: file }));
    return response.Body;
  }

  static get_instance() {
    if (!storage.instance) storage.instance = new storage();
    return storage.instance;
  }
}

storage.instance = null;

exports.storage = storage;
exports.get_instance = storage.get_instance;
