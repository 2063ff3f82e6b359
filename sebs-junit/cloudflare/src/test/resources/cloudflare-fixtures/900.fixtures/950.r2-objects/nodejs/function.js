// Test fixture: every call of SeBS's storage interface, through the Worker's R2 binding.
// event.mode: "roundtrip" (default), "missing" (downloads a key that does not exist), "unbound" (another bucket).
const fs = require('fs');
const os = require('os');
const path = require('path');
const storage = require('./storage');

async function text(readable) {
  const chunks = [];
  for await (const chunk of readable) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString();
}

exports.handler = async function (event) {
  const client = storage.storage.get_instance();
  if (event.mode === 'missing') {
    await client.download(event.bucket, `${event.input}/no-such.txt`, path.join(os.tmpdir(), 'x'));
  }
  if (event.mode === 'unbound') {
    await client.download('some-other-bucket', 'a.txt', path.join(os.tmpdir(), 'x'));
  }
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'r2-'));
  await client.download(event.bucket, `${event.input}/a.txt`, path.join(dir, 'a.txt'));
  const alpha = await fs.promises.readFile(path.join(dir, 'a.txt'), 'utf8');
  await client.downloadDirectory(event.bucket, `${event.input}/`, path.join(dir, 'all'));
  const beta = await fs.promises.readFile(path.join(dir, 'all', event.input, 'dir', 'b.txt'), 'utf8');
  const streamed = await text(await client.downloadStream(event.bucket, `${event.input}/dir/b.txt`));

  await fs.promises.writeFile(path.join(dir, 'up.txt'), `${alpha}+${beta}`);
  const [uploaded, done] = client.upload(event.bucket, `${event.output}/up.txt`, path.join(dir, 'up.txt'));
  await done;
  const [writable, written, streamKey] = client.uploadStream(event.bucket, `${event.output}/stream.txt`);
  writable.write('stre');
  writable.end('amed');
  await written;
  return { result: { alpha, beta, streamed, uploaded, streamKey } };
};
