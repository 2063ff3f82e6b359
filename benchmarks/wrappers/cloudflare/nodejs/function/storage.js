'use strict';
/*
 * sebs-junit Cloudflare Workers: object storage for Node.js benchmark functions (SeBS's storage interface) over R2
 * bucket bindings.
 *
 * Benchmark code uses it as on any SeBS platform:
 *
 *   const storage = require('./storage');
 *   let client = storage.storage.get_instance();
 *   let [key, done] = client.upload(bucket, 'out/result.png', '/tmp/result.png'); await done;
 *   let [writeStream, done2, key2] = client.uploadStream(bucket, 'out/data.bin');  // write, end, await done2
 *   await client.download(bucket, key, '/tmp/copy.png');
 *   await client.downloadDirectory(bucket, 'in/dataset/', '/tmp/dl');   // /tmp/dl/in/dataset/...
 *   let readable = await client.downloadStream(bucket, key);
 *
 * A Worker reaches a bucket through a binding, not a URL: the platform binds every bucket the run uses and tells the
 * Worker which binding serves which bucket in the text binding SEBS_R2_BUCKETS (JSON: bucket name -> binding name).
 * The Worker's env is globalThis.sebsCloudflareEnv (set by the wrapper, worker.js). On cloudflare-local the bindings
 * are served by workerd's own R2 binding client against sebs-junit's local server, which keeps the objects in the
 * same S3-API server the test reads; on Cloudflare they are R2 itself.
 *
 * Files are read and written with node:fs (Workers' /tmp lives for one request). Uploads are sent as one put of a
 * known length, so uploadStream buffers what is written (a Worker has 128 MB; R2 takes up to 5 GB in one put).
 */

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const stream = require('stream');

const BUCKETS_BINDING = 'SEBS_R2_BUCKETS';
// Objects downloadDirectory fetches at once.
const DOWNLOAD_BATCH = 16;

function workerEnv() {
  const env = globalThis.sebsCloudflareEnv;
  if (!env) {
    throw new Error('no Worker env: storage.js runs inside the sebs-junit Workers wrapper (worker.js), which'
      + ' sets globalThis.sebsCloudflareEnv');
  }
  return env;
}

/** The R2 binding that serves `bucket`, or an error naming the bound buckets. */
function bucketBinding(bucket) {
  const env = workerEnv();
  const raw = env[BUCKETS_BINDING];
  if (!raw) {
    throw new Error(`the Worker has no ${BUCKETS_BINDING} binding: no bucket is bound to it (does the `
      + 'benchmark\'s config.json list "storage" in "modules"?)');
  }
  const buckets = typeof raw === 'string' ? JSON.parse(raw) : raw;
  const name = buckets[bucket];
  if (!name || !env[name]) {
    throw new Error(`bucket ${JSON.stringify(bucket)} is not bound to this Worker; bound: `
      + `${JSON.stringify(Object.keys(buckets))}`);
  }
  return env[name];
}

/** A Writable that keeps what is written and puts it as one object when it ends. */
class R2UploadStream extends stream.Writable {
  constructor(binding, key) {
    super();
    this.binding = binding;
    this.key = key;
    this.chunks = [];
    this.size = 0;
    this.completed = false;
    this.result = null;
  }

  _write(chunk, encoding, callback) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding);
    this.chunks.push(buffer);
    this.size += buffer.length;
    callback();
  }

  _final(callback) {
    const body = Buffer.concat(this.chunks, this.size);
    this.chunks = [];
    this.binding.put(this.key, body).then((object) => {
      this.completed = true;
      this.result = { Key: this.key, ETag: object ? object.etag : null, size: body.length };
      callback();
    }, callback);
  }
}

/** Resolves with the upload's {Key, ETag, size} when the stream finished, rejects on failure. */
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
    const done = (async () => {
      const binding = bucketBinding(bucket);
      const body = await fs.promises.readFile(filepath);
      const object = await binding.put(key, body);
      return { Key: key, ETag: object ? object.etag : null, size: body.length };
    })();
    return [key, done];
  }

  /** Downloads the object file into the local path filepath: a promise. */
  async download(bucket, file, filepath) {
    const object = await this.getObject(bucket, file);
    await fs.promises.writeFile(filepath, Buffer.from(await object.arrayBuffer()));
  }

  /**
   * Downloads every object whose key starts with prefix into downloadPath/<its whole key>, listing every page and
   * fetching DOWNLOAD_BATCH objects at a time; fails when there is none.
   */
  async downloadDirectory(bucket, prefix, downloadPath) {
    const binding = bucketBinding(bucket);
    const keys = [];
    let cursor;
    do {
      const page = await binding.list({ prefix, cursor });
      for (const object of page.objects) {
        if (!object.key.endsWith('/')) keys.push(object.key);
      }
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
    if (keys.length === 0) {
      throw new Error(`no objects under r2://${bucket}/${prefix}`);
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
    const writer = new R2UploadStream(bucketBinding(bucket), key);
    return [writer, whenUploaded(writer), key];
  }

  /** A promise of a readable stream with the content of the object file. */
  async downloadStream(bucket, file) {
    const object = await this.getObject(bucket, file);
    return stream.Readable.fromWeb(object.body);
  }

  /** The object (with its body), or an error naming bucket and key when there is none. */
  async getObject(bucket, file) {
    const object = await bucketBinding(bucket).get(file);
    if (object === null) {
      throw new Error(`no object ${JSON.stringify(file)} in bucket ${JSON.stringify(bucket)}`);
    }
    return object;
  }

  static get_instance() {
    if (!storage.instance) storage.instance = new storage();
    return storage.instance;
  }
}

storage.instance = null;

exports.storage = storage;
exports.get_instance = storage.get_instance;
