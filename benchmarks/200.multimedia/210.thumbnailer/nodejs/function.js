'use strict';

// 210.thumbnailer: resize an image from object storage with sharp (libvips).
//
// As in SeBS's Node.js version, sharp's resize(width, height) makes the thumbnail exactly
// width x height (the default "cover" fit crops what overflows) and writes it as PNG. The image is
// read into memory first, so that download, resize and upload are timed apart.
// measurement values are microseconds (times) and bytes (sizes).

const path = require('path');
const sharp = require('sharp');
const storage = require('./storage');

const client = storage.storage.get_instance();

function microsSince(start) {
  return Number(process.hrtime.bigint() - start) / 1000;
}

async function readAll(readable) {
  const chunks = [];
  for await (const chunk of readable) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

function positiveInteger(value, name) {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new Error(`event.object.${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return number;
}

exports.handler = async function (event) {
  const bucket = event.bucket.bucket;
  const inputPrefix = event.bucket.input;
  const outputPrefix = event.bucket.output;
  const key = String(event.object.key);
  const width = positiveInteger(event.object.width, 'width');
  const height = positiveInteger(event.object.height, 'height');

  const downloadBegin = process.hrtime.bigint();
  const input = await readAll(await client.downloadStream(bucket, `${inputPrefix}/${key}`));
  const downloadTime = microsSince(downloadBegin);

  const computeBegin = process.hrtime.bigint();
  const source = await sharp(input).metadata();
  const { data: thumbnail, info } = await sharp(input)
    .resize(width, height)
    .png()
    .toBuffer({ resolveWithObject: true });
  const computeTime = microsSince(computeBegin);

  const parsed = path.posix.parse(key);
  const uploadName = `${outputPrefix}/${parsed.dir ? parsed.dir + '/' : ''}${parsed.name}.png`;
  const uploadBegin = process.hrtime.bigint();
  const [writeStream, uploaded, resultKey] = client.uploadStream(bucket, uploadName);
  writeStream.end(thumbnail);
  await uploaded;
  const uploadTime = microsSince(uploadBegin);

  return {
    result: {
      bucket: bucket,
      key: resultKey,
      width: info.width,
      height: info.height,
      format: info.format,
      source_width: source.width,
      source_height: source.height,
    },
    measurement: {
      download_time: downloadTime,
      download_size: input.length,
      compute_time: computeTime,
      upload_time: uploadTime,
      upload_size: thumbnail.length,
    },
  };
};
