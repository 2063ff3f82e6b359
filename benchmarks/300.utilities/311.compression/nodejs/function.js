'use strict';
/*
 * 311.compression in Node.js: zip a folder of objects from storage and store the archive.
 *
 * Event (as SeBS's): {"bucket": {"bucket": B, "input": IN, "output": OUT}, "object": {"key": DATASET}}.
 * Every object under IN/DATASET/ is downloaded (downloadDirectory recreates the keys as paths), the tree
 * is zipped with archiver (entries "DATASET/...", deflate level 9 as SeBS's Node.js version), and the
 * archive is uploaded as OUT/DATASET.zip (the storage module makes the key unique). The result has the
 * Python version's fields (SeBS's bucket and key among them); times are in microseconds.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const archiver = require('archiver');
const storage = require('./storage');

const client = storage.storage.get_instance();

function micros(startNs, endNs) {
  return Number((endNs - startNs) / 1000n);
}

/** [number of files, total bytes] below root. */
function treeSize(root) {
  let files = 0;
  let bytes = 0;
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) {
      const [f, b] = treeSize(full);
      files += f;
      bytes += b;
    } else if (entry.isFile()) {
      files += 1;
      bytes += fs.statSync(full).size;
    }
  }
  return [files, bytes];
}

/** Zips folder as entries "<name>/..." into the file target. */
function zipFolder(folder, name, target) {
  return new Promise((resolve, reject) => {
    const output = fs.createWriteStream(target);
    const archive = archiver('zip', { zlib: { level: 9 } });
    output.on('close', resolve);
    output.on('error', reject);
    archive.on('error', reject);
    archive.on('warning', reject);
    archive.pipe(output);
    archive.directory(folder, name);
    archive.finalize();
  });
}

exports.handler = async function (event) {
  const bucket = event.bucket.bucket;
  const inputPrefix = event.bucket.input.replace(/\/+$/, '');
  const outputPrefix = event.bucket.output.replace(/\/+$/, '');
  const dataset = String(event.object.key).replace(/^\/+|\/+$/g, '');
  if (!dataset || dataset === '.' || dataset === '..' || dataset.includes('/')) {
    throw new Error(`event.object.key must name one folder, got ${JSON.stringify(event.object.key)}`);
  }

  const workDir = fs.mkdtempSync(path.join(process.env.SEBS_TMP || os.tmpdir(), 'compression-'));
  try {
    const downloadDir = path.join(workDir, 'download');
    const t0 = process.hrtime.bigint();
    await client.downloadDirectory(bucket, `${inputPrefix}/${dataset}/`, downloadDir);
    const t1 = process.hrtime.bigint();
    // downloadDirectory writes each object at downloadDir/<its whole key>
    const tree = path.join(downloadDir, inputPrefix, dataset);
    const [files, rawSize] = treeSize(tree);

    const archivePath = path.join(workDir, `${dataset}.zip`);
    await zipFolder(tree, dataset, archivePath);
    const t2 = process.hrtime.bigint();
    const archiveSize = fs.statSync(archivePath).size;
    const [key, uploaded] = client.upload(bucket, `${outputPrefix}/${dataset}.zip`, archivePath);
    await uploaded;
    const t3 = process.hrtime.bigint();

    return {
      result: { bucket, key, size: archiveSize, files, uncompressed_size: rawSize },
      measurement: {
        download_time: micros(t0, t1),
        download_size: rawSize,
        compress_time: micros(t1, t2),
        upload_time: micros(t2, t3),
        upload_size: archiveSize,
      },
    };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
};
