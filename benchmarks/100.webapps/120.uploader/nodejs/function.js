'use strict';

// 120.uploader: download a file from a URL and store it in object storage.
// Event: {bucket: {bucket, output}, object: {url}}. The body is streamed to a scratch file (hashed on
// the way), then uploaded as <output>/<name from the URL>; the storage module makes the key unique.
// Times are reported in microseconds.
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Readable, Transform } = require('stream');
const { pipeline } = require('stream/promises');

const storage = require('./storage');

const USER_AGENT = 'sebs-junit-uploader/1.0';
const DOWNLOAD_TIMEOUT_MS = 20000;

const client = storage.storage.get_instance();

function micros(startNs, endNs) {
  return Number((endNs - startNs) / 1000n);
}

function fileName(url) {
  const pathname = url.pathname;
  return pathname.substring(pathname.lastIndexOf('/') + 1) || 'download.bin';
}

async function download(url, target) {
  const digest = crypto.createHash('sha256');
  let size = 0;
  try {
    const response = await fetch(url, {
      headers: { 'User-Agent': USER_AGENT },
      signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS),
    });
    if (!response.ok) {
      throw new Error(`HTTP ${response.status} ${response.statusText}`);
    }
    const hashing = new Transform({
      transform(chunk, encoding, callback) {
        digest.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    await pipeline(Readable.fromWeb(response.body), hashing, fs.createWriteStream(target));
  } catch (e) {
    const cause = e.cause ? ` (${e.cause.code || e.cause.message || e.cause})` : '';
    throw new Error(`cannot download ${url.href}: ${e.message}${cause}`);
  }
  return { size, sha256: digest.digest('hex') };
}

exports.handler = async function (event) {
  const bucket = event.bucket.bucket;
  const outputPrefix = event.bucket.output;
  const rawUrl = event.object.url;
  let url;
  try {
    url = new URL(rawUrl);
  } catch (e) {
    url = null;
  }
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new Error(`event.object.url must be an http(s) URL, got ${JSON.stringify(rawUrl)}`);
  }

  const name = fileName(url);
  const workDir = await fs.promises.mkdtemp(path.join(process.env.SEBS_TMP || os.tmpdir(), 'uploader-'));
  const localPath = path.join(workDir, crypto.randomUUID());
  let downloaded;
  let key;
  let t0;
  let t1;
  let t2;
  try {
    t0 = process.hrtime.bigint();
    downloaded = await download(url, localPath);
    t1 = process.hrtime.bigint();
    const [uploadKey, done] = client.upload(bucket, `${outputPrefix.replace(/\/+$/, '')}/${name}`, localPath);
    await done;
    key = uploadKey;
    t2 = process.hrtime.bigint();
  } finally {
    await fs.promises.rm(workDir, { recursive: true, force: true });
  }

  return {
    result: { bucket, url: rawUrl, key, size: downloaded.size, sha256: downloaded.sha256 },
    measurement: {
      download_time: micros(t0, t1),
      download_size: downloaded.size,
      upload_time: micros(t1, t2),
      upload_size: downloaded.size,
      compute_time: micros(t0, t2),
    },
  };
};
