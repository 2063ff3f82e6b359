const storage = require('./storage');
const nosql = require('./nosql');

exports.handler = async function (event) {
  const client = storage.storage.get_instance();
  const readable = await client.downloadStream(event.bucket, `${event.input}/${event.key}`);
  const chunks = [];
  for await (const chunk of readable) {
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString();
  const [writable, done, key] = client.uploadStream(event.bucket, `${event.output}/${event.key}`);
  writable.end(Buffer.from(text.toUpperCase()));
  await done;
  const db = nosql.nosql.get_instance();
  const seeded = await db.get('items', ['item_id', 'i1'], ['version', 'v1']);
  await db.insert('items', ['item_id', 'i1'], ['version', 'v2'], { label: 'written', key: key });
  const rows = await db.query('items', ['item_id', 'i1'], 'version');
  return { result: { key: key, length: text.length, seeded: seeded.label, versions: rows.map((r) => r.version).sort() } };
};
