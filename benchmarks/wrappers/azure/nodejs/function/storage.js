'use strict';
/*
 * sebs-junit azure platform: object storage for Node.js benchmark functions (SeBS's storage interface).
 *
 * Benchmark code uses it as on any SeBS platform (buckets are Blob containers):
 *
 *   const storage = require('./storage');
 *   let client = new storage.storage();            // or storage.storage.get_instance()
 *   let [key, done] = client.upload(container, 'out/result.png', '/tmp/result.png'); await done;
 *   let [writeStream, done2, key2] = client.uploadStream(container, 'out/data.bin');  // write, end, await
 *   await client.download(container, key, '/tmp/copy.png');
 *   await client.downloadDirectory(container, 'in/dataset/', '/tmp/dl');   // /tmp/dl/in/dataset/...
 *   let readable = await client.downloadStream(container, key);
 *
 * Microsoft's @azure/storage-blob, as SeBS's Azure functions use it, on the storage account of
 *   STORAGE_CONNECTION_STRING   the account's connection string (with its key or a SAS token)
 * Keys made unique get 8 random hex digits before the extension (Node's crypto: no uuid package needed).
 *
 * The client is required and built on first use, so that cost is paid by the first request that touches
 * storage, not by require('./storage'). The platform adds @azure/storage-blob to the function's dependencies
 * when config.json lists "storage" in "modules".
 */

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const stream = require('stream');

const CONNECTION_STRING_ENV = 'STORAGE_CONNECTION_STRING';
const DOWNLOAD_BATCH = 16;

function newClient() {
  let BlobServiceClient;
  try {
    ({ BlobServiceClient } = require('@azure/storage-blob'));
  } catch (e) {
    throw new Error(`@azure/storage-blob is not installed for the function (${e.message}); the `
      + 'framework adds it when config.json lists "storage" in "modules"');
  }
  const connectionString = (process.env[CONNECTION_STRING_ENV] || '').trim();
  if (!connectionString) {
    throw new Error(`${CONNECTION_STRING_ENV} is not set: the function has no storage account`);
  }
  return BlobServiceClient.fromConnectionString(connectionString);
}

class storage {
  constructor() {
    this._client = null;
  }

  /** The BlobServiceClient, created (and @azure/storage-blob required) on first use. */
  get client() {
    if (this._client === null) this._client = newClient();
    return this._client;
  }

  _blob(container, key) {
    return this.client.getContainerClient(container).getBlockBlobClient(key);
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

  /**
   * Uploads the local file filepath under a unique key derived from file (or file itself with uniqueName
   * false): [key, promise].
   */
  upload(container, file, filepath, uniqueName = true) {
    const key = uniqueName ? storage.unique_name(file) : file;
    let done;
    try {
      done = this._blob(container, key).uploadFile(filepath);
    } catch (e) {
      done = Promise.reject(e);
    }
    return [key, done];
  }

  /** Downloads the blob file into the local path filepath: a promise. */
  async download(container, file, filepath) {
    await this._blob(container, file).downloadToFile(filepath);
  }

  /**
   * Downloads every blob whose name starts with prefix into downloadPath/<its whole name> (SeBS's
   * downloadDirectory), DOWNLOAD_BATCH blobs at a time.
   */
  async downloadDirectory(container, prefix, downloadPath) {
    const keys = (await this.listDirectory(container, prefix)).filter((k) => !k.endsWith('/'));
    for (let i = 0; i < keys.length; i += DOWNLOAD_BATCH) {
      await Promise.all(keys.slice(i, i + DOWNLOAD_BATCH).map(async (key) => {
        const target = path.join(downloadPath, key);
        await fs.promises.mkdir(path.dirname(target), { recursive: true });
        await this.download(container, key, target);
      }));
    }
  }

  /** Names of the blobs whose name starts with prefix (every page). */
  async listDirectory(container, prefix) {
    const keys = [];
    for await (const blob of this.client.getContainerClient(container).listBlobsFlat({ prefix })) {
      keys.push(blob.name);
    }
    return keys;
  }

  /**
   * A writable stream stored under a unique key derived from file (or file itself with uniqueName false):
   * [writeStream, promise, key].
   */
  uploadStream(container, file, uniqueName = true) {
    const key = uniqueName ? storage.unique_name(file) : file;
    const writer = new stream.PassThrough();
    let done;
    try {
      done = this._blob(container, key).uploadStream(writer).then(() => key);
    } catch (e) {
      done = Promise.reject(e);
    }
    return [writer, done, key];
  }

  /** A promise of a readable stream with the content of the blob file. */
  async downloadStream(container, file) {
    const response = await this._blob(container, file).download();
    return response.readableStreamBody;
  }

  /** Bytes start..stop (inclusive) of the blob, decoded as UTF-8 (SeBS-Flow's downloadWithinRange). */
  async downloadWithinRange(container, file, start, stop) {
    const buffer = await this._blob(container, file).downloadToBuffer(start, stop - start + 1);
    return buffer.toString('utf8');
  }

  static get_instance() {
    if (!storage.instance) storage.instance = new storage();
    return storage.instance;
  }
}

storage.instance = null;

exports.storage = storage;
