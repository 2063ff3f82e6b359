'use strict';
/*
 * sebs-junit gcp platform: object storage for Node.js benchmark functions (SeBS's storage interface).
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
 * Google's @google-cloud/storage (the JSON API). Where it goes:
 *   STORAGE_EMULATOR_HOST   an endpoint override, Google's convention (e.g. http://127.0.0.1:4443);
 *                           SEBS_STORAGE_ENDPOINT is accepted likewise
 *   otherwise               storage.googleapis.com with the service account's credentials (the metadata server)
 * The override is passed to the client as its apiEndpoint: left to itself, the client uses
 * STORAGE_EMULATOR_HOST as the JSON API's base URL without /storage/v1, which only some emulators answer.
 * With an override, requests carry a token only when GCE_METADATA_HOST is set explicitly (a stand-in that
 * checks tokens); emulators take none.
 *
 * The client is required and built on first use, so that cost is paid by the first request that touches
 * storage, not by require('./storage'). The platform adds @google-cloud/storage to the function's
 * dependencies when config.json lists "storage" in "modules".
 */

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const stream = require('stream');

const EMULATOR_ENV = 'STORAGE_EMULATOR_HOST';
const ENDPOINT_ENV = 'SEBS_STORAGE_ENDPOINT';
// Objects downloadDirectory fetches at once.
const DOWNLOAD_BATCH = 16;

function endpointOverride() {
  for (const name of [EMULATOR_ENV, ENDPOINT_ENV]) {
    let value = (process.env[name] || '').trim();
    if (value) {
      if (!value.includes('://')) value = `http://${value}`;
      return value.replace(/\/+$/, '');
    }
  }
  return null;
}

function newClient() {
  let Storage;
  try {
    ({ Storage } = require('@google-cloud/storage'));
  } catch (e) {
    throw new Error(`@google-cloud/storage is not installed for the function (${e.message}); the `
      + 'framework adds it when config.json lists "storage" in "modules"');
  }
  const endpoint = endpointOverride();
  if (endpoint === null) return new Storage();
  const emulator = process.env[EMULATOR_ENV];
  delete process.env[EMULATOR_ENV]; // read by the constructor only: see the header
  try {
    return new Storage({
      apiEndpoint: endpoint,
      useAuthWithCustomEndpoint: Boolean((process.env.GCE_METADATA_HOST || '').trim()),
    });
  } finally {
    if (emulator !== undefined) process.env[EMULATOR_ENV] = emulator;
  }
}

class storage {
  constructor() {
    this._client = null;
  }

  /** The Storage client, created (and @google-cloud/storage required) on first use. */
  get client() {
    if (this._client === null) this._client = newClient();
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

  /**
   * Uploads the local file filepath under a unique key derived from file (or file itself with
   * uniqueName false): [key, promise]. One request (not a resumable session), as SeBS's GCP module does.
   */
  upload(bucket, file, filepath, uniqueName = true) {
    const key = uniqueName ? storage.unique_name(file) : file;
    let done;
    try {
      done = this.client.bucket(bucket).upload(filepath, { destination: key, resumable: false });
    } catch (e) {
      done = Promise.reject(e);
    }
    return [key, done];
  }

  /** Downloads the object file into the local path filepath: a promise. */
  async download(bucket, file, filepath) {
    await this.client.bucket(bucket).file(file).download({ destination: filepath });
  }

  /**
   * Downloads every object whose key starts with prefix into downloadPath/<its whole key> (SeBS's
   * downloadDirectory), DOWNLOAD_BATCH objects at a time.
   */
  async downloadDirectory(bucket, prefix, downloadPath) {
    const [files] = await this.client.bucket(bucket).getFiles({ prefix, autoPaginate: true });
    const keys = files.map((f) => f.name).filter((k) => !k.endsWith('/'));
    for (let i = 0; i < keys.length; i += DOWNLOAD_BATCH) {
      await Promise.all(keys.slice(i, i + DOWNLOAD_BATCH).map(async (key) => {
        const target = path.join(downloadPath, key);
        await fs.promises.mkdir(path.dirname(target), { recursive: true });
        await this.download(bucket, key, target);
      }));
    }
  }

  /** Keys of the objects whose key starts with prefix (every page). */
  async listDirectory(bucket, prefix) {
    const [files] = await this.client.bucket(bucket).getFiles({ prefix, autoPaginate: true });
    return files.map((f) => f.name);
  }

  /**
   * A writable stream stored under a unique key derived from file (or file itself with uniqueName false):
   * [writeStream, promise of the key, key].
   */
  uploadStream(bucket, file, uniqueName = true) {
    const key = uniqueName ? storage.unique_name(file) : file;
    const upload = this.client.bucket(bucket).file(key).createWriteStream({ resumable: false });
    const writer = new stream.PassThrough();
    const done = stream.promises.pipeline(writer, upload).then(() => key);
    return [writer, done, key];
  }

  /** A promise of a readable stream with the content of the object file. */
  async downloadStream(bucket, file) {
    return this.client.bucket(bucket).file(file).createReadStream();
  }

  /** Bytes startByte..stopByte (inclusive) of the object, as a UTF-8 string (SeBS-Flow's download_within_range). */
  async downloadWithinRange(bucket, file, startByte, stopByte) {
    const [content] = await this.client.bucket(bucket).file(file).download({ start: startByte, end: stopByte });
    return content.toString('utf8');
  }

  static get_instance() {
    if (!storage.instance) storage.instance = new storage();
    return storage.instance;
  }
}

storage.instance = null;

exports.storage = storage;
exports.get_instance = storage.get_instance;
