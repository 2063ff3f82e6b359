/*
 * sebs-nosql: NoSQL tables for SeBS benchmarks on Cloudflare Workers, one Durable Object per table.
 *
 * Why Durable Objects: a Durable Object's storage is strongly consistent and transactional, and listing its
 * keys by prefix in key order gives DynamoDB's query by partition key. Workers KV is eventually consistent
 * (a read after a write may miss it) and D1 would need the items emulated over SQL.
 *
 * This Worker is deployed once per run. Function Workers reach it through a service binding named SEBS_NOSQL
 * (on Cloudflare a service binding to this Worker; on workerd an "external" service at this Worker's loopback
 * address), the test side over HTTP; both use the same JSON API:
 *
 *   GET    /tables                      -> {tables: [name, ...]} (sorted)
 *   PUT    /tables/{t}                  {partitionKey, sortKey|null} -> {table, partitionKey, sortKey, created}
 *                                       (409 when the table exists with another key schema)
 *   GET    /tables/{t}                  -> {table, partitionKey, sortKey}
 *   DELETE /tables/{t}                  -> {deleted: true|false}
 *   POST   /tables/{t}/insert           {item} -> {} (puts the item, replacing the one with its key)
 *   POST   /tables/{t}/get              {key} -> {item: {...}|null}
 *   POST   /tables/{t}/update           {key, attributes} -> {item} (sets the attributes; a missing item is
 *                                       created from the key and the attributes, as DynamoDB's UpdateItem does)
 *   POST   /tables/{t}/query            {partitionKey, value} -> {items: [...]} (sorted by the sort key)
 *   POST   /tables/{t}/delete           {key} -> {deleted: true|false}
 *
 * A key is {partitionKey: value[, sortKey: value]}, with exactly the table's key attributes, whose values are
 * strings or numbers. An item is a JSON object holding its key attributes. Errors are {error: message}: 400 for
 * a malformed request, 401 without the token, 404 for a table that was not created (as DynamoDB fails on a table
 * that does not exist), 409 for a conflicting table.
 *
 * When the Worker has a text binding SEBS_NOSQL_TOKEN, every request needs "Authorization: Bearer <token>".
 */
import { DurableObject } from 'cloudflare:workers';

const SCHEMA_KEY = 'schema';
const TABLE_PREFIX = 'table:';
const TABLE_NAME = /^[A-Za-z0-9_.-]{1,255}$/;

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function fail(status, message) {
  throw new HttpError(status, message);
}

/** The storage key of an item: its key values as a JSON array, so "a" and "ab" never share a prefix. */
function storageKey(pk, sk) {
  return JSON.stringify([pk, sk === undefined ? null : sk]);
}

/** The prefix of every storage key in a partition: the array's first element and its comma. */
function partitionPrefix(pk) {
  return `${JSON.stringify([pk]).slice(0, -1)},`;
}

function isKeyValue(v) {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Sort keys in DynamoDB's order: numbers by value, strings by code point (UTF-8 byte order), numbers first. */
function compareKeys(a, b) {
  if (typeof a !== typeof b) return typeof a === 'number' ? -1 : 1;
  if (typeof a === 'number') return a - b;
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0) - y[i].codePointAt(0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/**
 * One table: its key schema under "schema" and each item under its storage key. A table that was never created
 * (or was deleted) has no schema and answers 404. Each method awaits only its own storage, so the Durable
 * Object's input gate runs it without another request in between: an update's read and write are atomic.
 * Methods answer {status, body} rather than throw, so the status survives the RPC boundary.
 */
export class SebsNoSqlTable extends DurableObject {
  async handle(method, table, args) {
    try {
      if (method === 'init') return { status: 200, body: await this.init(table, args) };
      if (method === 'drop') return { status: 200, body: await this.drop() };
      const schema = await this.ctx.storage.get(SCHEMA_KEY);
      if (schema === undefined) fail(404, `no table '${table}': create it first`);
      if (method === 'describe') return { status: 200, body: { table, ...schema } };
      if (!Object.prototype.hasOwnProperty.call(ITEM_METHODS, method)) fail(404, `unknown operation '${method}'`);
      return { status: 200, body: await ITEM_METHODS[method](this.ctx.storage, schema, table, args) };
    } catch (err) {
      if (err instanceof HttpError) return { status: err.status, body: { error: err.message } };
      throw err;
    }
  }

  async init(table, schema) {
    const existing = await this.ctx.storage.get(SCHEMA_KEY);
    if (existing === undefined) {
      await this.ctx.storage.put(SCHEMA_KEY, schema);
      return { table, ...schema, created: true };
    }
    if (existing.partitionKey !== schema.partitionKey || existing.sortKey !== schema.sortKey) {
      fail(409, `table '${table}' exists with partition key '${existing.partitionKey}' and `
        + `${existing.sortKey === null ? 'no sort key' : `sort key '${existing.sortKey}'`}`);
    }
    return { table, ...existing, created: false };
  }

  async drop() {
    const existed = (await this.ctx.storage.get(SCHEMA_KEY)) !== undefined;
    await this.ctx.storage.deleteAll();
    return { deleted: existed };
  }
}

/** The storage key of a request's key, which must hold exactly the table's key attributes. */
function keyOf(schema, table, key, what) {
  if (!isObject(key)) fail(400, `${what}: "key" must be an object of the key attributes of table '${table}'`);
  const names = schema.sortKey === null ? [schema.partitionKey] : [schema.partitionKey, schema.sortKey];
  for (const name of Object.keys(key)) {
    if (!names.includes(name)) {
      fail(400, `${what}: '${name}' is not a key attribute of table '${table}' (its key: ${names.join(', ')})`);
    }
  }
  return itemKeyOf(schema, table, key, what);
}

/** The storage key of an object holding the table's key attributes (an item may hold others too). */
function itemKeyOf(schema, table, item, what) {
  const names = schema.sortKey === null ? [schema.partitionKey] : [schema.partitionKey, schema.sortKey];
  for (const name of names) {
    if (!Object.prototype.hasOwnProperty.call(item, name)) {
      fail(400, `${what}: the key attribute '${name}' of table '${table}' is missing`);
    }
    if (!isKeyValue(item[name])) {
      fail(400, `${what}: the key attribute '${name}' must be a string or a number, got ${JSON.stringify(item[name])}`);
    }
  }
  return storageKey(item[schema.partitionKey], schema.sortKey === null ? null : item[schema.sortKey]);
}

const ITEM_METHODS = {
  async insert(storage, schema, table, { item }) {
    if (!isObject(item)) fail(400, `insert into '${table}': "item" must be an object`);
    await storage.put(itemKeyOf(schema, table, item, `insert into '${table}'`), item);
    return {};
  },

  async get(storage, schema, table, { key }) {
    const item = await storage.get(keyOf(schema, table, key, `get from '${table}'`));
    return { item: item === undefined ? null : item };
  },

  async update(storage, schema, table, { key, attributes }) {
    const what = `update in '${table}'`;
    const id = keyOf(schema, table, key, what);
    if (!isObject(attributes)) fail(400, `${what}: "attributes" must be an object`);
    for (const name of Object.keys(attributes)) {
      if (name === schema.partitionKey || name === schema.sortKey) {
        fail(400, `${what}: '${name}' is a key attribute and cannot be updated`);
      }
    }
    const item = { ...((await storage.get(id)) || {}), ...attributes, ...key };
    await storage.put(id, item);
    return { item };
  },

  async query(storage, schema, table, { partitionKey, value }) {
    const what = `query on '${table}'`;
    if (partitionKey !== schema.partitionKey) {
      fail(400, `${what}: its partition key is '${schema.partitionKey}', not ${JSON.stringify(partitionKey)}`);
    }
    if (!isKeyValue(value)) fail(400, `${what}: "value" must be a string or a number, got ${JSON.stringify(value)}`);
    const items = Array.from((await storage.list({ prefix: partitionPrefix(value) })).values());
    if (schema.sortKey !== null) items.sort((a, b) => compareKeys(a[schema.sortKey], b[schema.sortKey]));
    return { items };
  },

  async delete(storage, schema, table, { key }) {
    const id = keyOf(schema, table, key, `delete from '${table}'`);
    return { deleted: await storage.delete(id) };
  },
};

/** The names and key schemas of the tables, for listing them (a table's own object holds its items). */
export class SebsNoSqlCatalog extends DurableObject {
  async add(table, schema) {
    await this.ctx.storage.put(TABLE_PREFIX + table, schema);
  }

  async remove(table) {
    await this.ctx.storage.delete(TABLE_PREFIX + table);
  }

  async names() {
    return Array.from((await this.ctx.storage.list({ prefix: TABLE_PREFIX })).keys())
      .map((k) => k.substring(TABLE_PREFIX.length)).sort();
  }
}

function json(status, body) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

async function authorized(request, env) {
  const token = env.SEBS_NOSQL_TOKEN;
  if (token === undefined || token === '') return true;
  const given = request.headers.get('Authorization') || '';
  const expected = `Bearer ${token}`;
  const encoder = new TextEncoder();
  const a = encoder.encode(given);
  const b = encoder.encode(expected);
  return a.byteLength === b.byteLength && crypto.subtle.timingSafeEqual(a, b);
}

async function body(request) {
  let parsed;
  try {
    parsed = JSON.parse(await request.text());
  } catch (err) {
    fail(400, `the request body is not JSON: ${err.message}`);
  }
  if (!isObject(parsed)) fail(400, 'the request body must be a JSON object');
  return parsed;
}

function tableStub(env, table) {
  return env.SEBS_NOSQL_TABLE.get(env.SEBS_NOSQL_TABLE.idFromName(table));
}

function catalog(env) {
  return env.SEBS_NOSQL_CATALOG.get(env.SEBS_NOSQL_CATALOG.idFromName('catalog'));
}

async function createTable(env, table, request) {
  const { partitionKey, sortKey = null } = await body(request);
  if (typeof partitionKey !== 'string' || partitionKey === '') {
    fail(400, `create table '${table}': "partitionKey" must be a non-empty attribute name`);
  }
  if (sortKey !== null && (typeof sortKey !== 'string' || sortKey === '' || sortKey === partitionKey)) {
    fail(400, `create table '${table}': "sortKey" must be null or an attribute name other than the partition key`);
  }
  const answer = await tableStub(env, table).handle('init', table, { partitionKey, sortKey });
  if (answer.status === 200) await catalog(env).add(table, { partitionKey, sortKey });
  return answer;
}

async function route(request, env) {
  const url = new URL(request.url);
  let parts;
  try {
    parts = url.pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
  } catch (err) {
    fail(400, `the path ${url.pathname} is not validly percent-encoded`);
  }
  if (parts[0] !== 'tables' || parts.length > 3) fail(404, `no such resource: ${request.method} ${url.pathname}`);
  if (parts.length === 1) {
    if (request.method !== 'GET') fail(405, `${request.method} /tables: use GET`);
    return { status: 200, body: { tables: await catalog(env).names() } };
  }
  const table = parts[1];
  if (!TABLE_NAME.test(table)) {
    fail(400, `invalid table name ${JSON.stringify(table)}: use 1 to 255 letters, digits, '_', '-' or '.'`);
  }
  if (parts.length === 2) {
    if (request.method === 'PUT') return createTable(env, table, request);
    if (request.method === 'DELETE') {
      await catalog(env).remove(table);
      return tableStub(env, table).handle('drop', table, {});
    }
    if (request.method === 'GET') return tableStub(env, table).handle('describe', table, {});
    fail(405, `${request.method} /tables/${table}: use PUT, GET or DELETE`);
  }
  if (request.method !== 'POST') fail(405, `${request.method} /tables/${table}/${parts[2]}: use POST`);
  if (!Object.prototype.hasOwnProperty.call(ITEM_METHODS, parts[2])) {
    fail(404, `unknown operation '${parts[2]}' (use insert, get, update, query or delete)`);
  }
  return tableStub(env, table).handle(parts[2], table, await body(request));
}

export default {
  async fetch(request, env) {
    if (!(await authorized(request, env))) {
      return json(401, { error: 'unauthorized: this sebs-nosql Worker needs "Authorization: Bearer <SEBS_NOSQL_TOKEN>"' });
    }
    try {
      const { status, body: answer } = await route(request, env);
      return json(status, answer);
    } catch (err) {
      if (err instanceof HttpError) return json(err.status, { error: err.message });
      return json(500, { error: `${err && err.name}: ${err && err.message}` });
    }
  },
};
