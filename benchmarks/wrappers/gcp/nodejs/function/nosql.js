'use strict';
/*
 * sebs-junit gcp platform: NoSQL tables for Node.js benchmark functions (SeBS's nosql interface).
 *
 * Benchmark code uses it as on any SeBS platform:
 *
 *   const nosql = require('./nosql');
 *   let client = nosql.nosql.get_instance();
 *   await client.insert('shopping_cart', ['cart_id', 'c1'], ['product_id', 'p1'], { price: 10 });
 *   let item = await client.get('shopping_cart', ['cart_id', 'c1'], ['product_id', 'p1']);
 *
 * Keys are [attribute name, value] pairs; the secondary (sort) key may be null for a table without one.
 * All methods are async. get resolves with the item or null, query with an array of items.
 *
 * Firestore in Datastore mode through its REST API (v1: lookup, commit, runQuery, beginTransaction) with
 * Node's own fetch, not @google-cloud/datastore: that client speaks gRPC only, also to
 * DATASTORE_EMULATOR_HOST (insecure gRPC), which HTTP stand-ins do not answer, and loading it (gax, gRPC,
 * protobufjs) costs a cold start far more than these few JSON calls. Tables map to Datastore as SeBS's GCP
 * functions map them, so the entities are the same whoever writes them:
 *   - a table is a kind: the physical name from SEBS_NOSQL_TABLES (JSON: the benchmark's table names -> kinds);
 *   - an item's key is (kind, secondary value) under the parent (primary key name, primary value), so a
 *     partition is an entity group that an ancestor query reads; without a secondary key it is (kind,
 *     primary value). Strings are key names, integers key ids.
 * The key attributes are stored as properties too (indexed); other properties are not indexed.
 *
 * Where it goes:
 *   DATASTORE_EMULATOR_HOST   host:port of an endpoint override, Google's convention (plain HTTP);
 *                             SEBS_NOSQL_ENDPOINT (a URL) is accepted likewise
 *   otherwise                 https://datastore.googleapis.com with the service account's access token from
 *                             the metadata server (GCE_METADATA_HOST, default metadata.google.internal)
 *   GOOGLE_CLOUD_PROJECT      the project (else DATASTORE_PROJECT_ID, else the metadata server's)
 *   SEBS_NOSQL_DATABASE       the Firestore database id ("(default)" when unset)
 * With an override, requests carry a token only when GCE_METADATA_HOST is set explicitly (a stand-in that
 * checks tokens); emulators take none.
 */

const EMULATOR_ENV = 'DATASTORE_EMULATOR_HOST';
const ENDPOINT_ENV = 'SEBS_NOSQL_ENDPOINT';
const TABLES_ENV = 'SEBS_NOSQL_TABLES';
const DATABASE_ENV = 'SEBS_NOSQL_DATABASE';
const DEFAULT_DATABASE = '(default)';
const GOOGLE_BASE = 'https://datastore.googleapis.com';

function metadataHost() {
  return (process.env.GCE_METADATA_HOST || '').trim() || 'metadata.google.internal';
}

async function metadata(path) {
  const url = `http://${metadataHost()}/computeMetadata/v1/${path}`;
  const response = await fetch(url, { headers: { 'Metadata-Flavor': 'Google' } });
  const body = await response.text();
  if (!response.ok) throw new Error(`GET ${url} failed: HTTP ${response.status} ${body.slice(0, 300)}`);
  return body;
}

function endpoint() {
  for (const name of [EMULATOR_ENV, ENDPOINT_ENV]) {
    let value = (process.env[name] || '').trim();
    if (value) {
      if (!value.includes('://')) value = `http://${value}`;
      return [value.replace(/\/+$/, ''), true];
    }
  }
  return [GOOGLE_BASE, false];
}

function tableNames() {
  const raw = (process.env[TABLES_ENV] || '').trim();
  if (!raw) return {};
  let tables;
  try {
    tables = JSON.parse(raw);
  } catch (e) {
    throw new Error(`${TABLES_ENV} is not JSON: ${e.message}`);
  }
  if (tables === null || typeof tables !== 'object' || Array.isArray(tables)) {
    throw new Error(`${TABLES_ENV} must be a JSON object of table names, got ${raw}`);
  }
  return tables;
}

// ------------------------------------------------------------------------------------------------ values

/** A JavaScript value -> a Datastore REST Value (JSON). Integers (and bigints) become integerValue. */
function toValue(value, indexed = false) {
  let out;
  if (value === null || value === undefined) {
    out = { nullValue: null };
  } else if (typeof value === 'boolean') {
    out = { booleanValue: value };
  } else if (typeof value === 'bigint') {
    out = { integerValue: value.toString() };
  } else if (typeof value === 'number') {
    if (Number.isInteger(value)) out = { integerValue: String(value) };
    else if (Number.isFinite(value)) out = { doubleValue: value };
    else out = { doubleValue: Number.isNaN(value) ? 'NaN' : (value > 0 ? 'Infinity' : '-Infinity') };
  } else if (typeof value === 'string') {
    out = { stringValue: value };
  } else if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
    out = { blobValue: Buffer.from(value).toString('base64') };
  } else if (Array.isArray(value)) {
    // exclusion belongs on an array's values, never on the array
    return { arrayValue: { values: value.map((v) => toValue(v, indexed)) } };
  } else if (value instanceof Date) {
    out = { timestampValue: value.toISOString() };
  } else if (typeof value === 'object') {
    const properties = {};
    for (const [k, v] of Object.entries(value)) properties[k] = toValue(v, indexed);
    out = { entityValue: { properties } };
  } else {
    throw new TypeError(`cannot store a ${typeof value} in a Datastore entity`);
  }
  if (!indexed) out.excludeFromIndexes = true;
  return out;
}

/** A Datastore REST Value (JSON) -> plain JavaScript (integers as numbers, beyond 2^53 as strings). */
function fromValue(value) {
  if ('stringValue' in value) return value.stringValue;
  if ('integerValue' in value) {
    const n = Number(value.integerValue);
    return Number.isSafeInteger(n) ? n : value.integerValue;
  }
  if ('doubleValue' in value) return Number(value.doubleValue);
  if ('booleanValue' in value) return value.booleanValue;
  if ('nullValue' in value) return null;
  if ('blobValue' in value) return Buffer.from(value.blobValue, 'base64');
  if ('entityValue' in value) return fromProperties(value.entityValue.properties || {});
  if ('arrayValue' in value) return (value.arrayValue.values || []).map(fromValue);
  if ('keyValue' in value) return idOf(value.keyValue.path[value.keyValue.path.length - 1]);
  if ('timestampValue' in value) return value.timestampValue;
  if ('geoPointValue' in value) return value.geoPointValue;
  return null;
}

function fromProperties(properties) {
  const item = {};
  for (const [name, v] of Object.entries(properties)) item[name] = fromValue(v);
  return item;
}

function idOf(element) {
  return 'id' in element ? Number(element.id) : element.name;
}

function pathElement(kind, value) {
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value))) {
    return { kind, id: String(value) };
  }
  return { kind, name: String(value) };
}

class nosql {
  constructor(database) {
    [this._base, this._override] = endpoint();
    this._authorized = !this._override || Boolean((process.env.GCE_METADATA_HOST || '').trim());
    this._database = database || (process.env[DATABASE_ENV] || '').trim() || DEFAULT_DATABASE;
    this._project = null;
    this._token = null;
    this._tokenExpires = 0;
    this._tables = {};
  }

  async project() {
    if (this._project === null) {
      this._project = (process.env.GOOGLE_CLOUD_PROJECT || '').trim()
        || (process.env.DATASTORE_PROJECT_ID || '').trim()
        || (await metadata('project/project-id')).trim();
    }
    return this._project;
  }

  /** The metadata server's access token, fetched on first use and again a minute before it expires. */
  async authorization() {
    if (this._token === null || Date.now() > this._tokenExpires - 60000) {
      const token = JSON.parse(await metadata('instance/service-accounts/default/token'));
      this._token = `${token.token_type || 'Bearer'} ${token.access_token}`;
      this._tokenExpires = Date.now() + 1000 * Number(token.expires_in || 300);
    }
    return this._token;
  }

  /** POSTs a JSON request to projects/{project}:{method}; resolves with the JSON answer. */
  async _call(method, body) {
    const project = await this.project();
    const url = `${this._base}/v1/projects/${encodeURIComponent(project)}:${method}`;
    let params = `project_id=${encodeURIComponent(project)}`;
    if (this._database !== DEFAULT_DATABASE) {
      body.databaseId = this._database;
      params += `&database_id=${encodeURIComponent(this._database)}`;
    }
    const headers = { 'Content-Type': 'application/json', 'x-goog-request-params': params };
    if (this._authorized) headers.Authorization = await this.authorization();
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) {
      let message = text.slice(0, 500);
      try {
        const error = JSON.parse(text).error || {};
        message = `${error.status || response.status}: ${error.message || message}`;
      } catch (e) { /* not Google's error JSON */ }
      const hint = response.status === 404 ? ` (is the Firestore database '${this._database}' in Datastore mode `
        + `created in project ${project}? ${DATABASE_ENV} names it)` : '';
      throw new Error(`POST ${url} failed: HTTP ${response.status} ${message}${hint}`);
    }
    return text ? JSON.parse(text) : {};
  }

  async _partition() {
    const partition = { projectId: await this.project() };
    if (this._database !== DEFAULT_DATABASE) partition.databaseId = this._database;
    return partition;
  }

  _kind(tableName) {
    if (!Object.prototype.hasOwnProperty.call(this._tables, tableName)) {
      const names = tableNames();
      if (!Object.prototype.hasOwnProperty.call(names, tableName)) {
        const known = Object.keys(names).sort();
        throw new Error(`unknown NoSQL table '${tableName}'; known tables: `
          + (known.length ? known.join(', ') : `none: ${TABLES_ENV} is empty or not set`));
      }
      this._tables[tableName] = String(names[tableName]);
    }
    return this._tables[tableName];
  }

  async _key(tableName, primaryKey, secondaryKey) {
    const kind = this._kind(tableName);
    const path = secondaryKey === null || secondaryKey === undefined
      ? [pathElement(kind, primaryKey[1])]
      : [pathElement(primaryKey[0], primaryKey[1]), pathElement(kind, secondaryKey[1])];
    return { partitionId: await this._partition(), path };
  }

  static _entity(key, primaryKey, secondaryKey, data) {
    const properties = {};
    for (const [k, v] of Object.entries(data || {})) properties[k] = toValue(v);
    properties[primaryKey[0]] = toValue(primaryKey[1], true);
    if (secondaryKey !== null && secondaryKey !== undefined) {
      properties[secondaryKey[0]] = toValue(secondaryKey[1], true);
    }
    return { key, properties };
  }

  static _item(entity, primaryKey, secondaryKeyName) {
    const item = fromProperties(entity.properties || {});
    if (!(primaryKey[0] in item)) item[primaryKey[0]] = primaryKey[1];
    if (secondaryKeyName !== null && secondaryKeyName !== undefined && !(secondaryKeyName in item)) {
      item[secondaryKeyName] = idOf(entity.key.path[entity.key.path.length - 1]);
    }
    return item;
  }

  async _lookup(key, transaction) {
    const readOptions = transaction ? { transaction } : { readConsistency: 'STRONG' };
    const found = (await this._call('lookup', { keys: [key], readOptions })).found || [];
    return found.length ? found[0].entity : null;
  }

  async _commit(mutations, transaction) {
    const request = transaction
      ? { mode: 'TRANSACTIONAL', transaction, mutations }
      : { mode: 'NON_TRANSACTIONAL', mutations };
    await this._call('commit', request);
  }

  /** Stores data with the key attributes added (data itself is left unchanged). */
  async insert(tableName, primaryKey, secondaryKey, data) {
    const key = await this._key(tableName, primaryKey, secondaryKey);
    await this._commit([{ upsert: nosql._entity(key, primaryKey, secondaryKey, data) }]);
  }

  /** The item with these keys, or null when there is none. */
  async get(tableName, primaryKey, secondaryKey) {
    const entity = await this._lookup(await this._key(tableName, primaryKey, secondaryKey));
    if (entity === null) return null;
    return nosql._item(entity, primaryKey, secondaryKey ? secondaryKey[0] : null);
  }

  /** Sets the attributes in updates on the item, creating it if missing; read and write in one transaction. */
  async update(tableName, primaryKey, secondaryKey, updates) {
    if (!updates || Object.keys(updates).length === 0) return;
    const key = await this._key(tableName, primaryKey, secondaryKey);
    const { transaction } = await this._call('beginTransaction', { transactionOptions: { readWrite: {} } });
    try {
      const entity = await this._lookup(key, transaction);
      const item = entity === null ? {} : fromProperties(entity.properties || {});
      Object.assign(item, updates);
      await this._commit([{ upsert: nosql._entity(key, primaryKey, secondaryKey, item) }], transaction);
    } catch (e) {
      await this._call('rollback', { transaction }).catch(() => {});
      throw e;
    }
  }

  /** All items whose partition key equals primaryKey (every batch), in key order. */
  async query(tableName, primaryKey, secondaryKeyName) {
    if (secondaryKeyName === null || secondaryKeyName === undefined) {
      const item = await this.get(tableName, primaryKey, null);
      return item === null ? [] : [item];
    }
    const partitionId = await this._partition();
    const ancestor = { partitionId, path: [pathElement(primaryKey[0], primaryKey[1])] };
    const query = {
      kind: [{ name: this._kind(tableName) }],
      filter: {
        propertyFilter: { property: { name: '__key__' }, op: 'HAS_ANCESTOR', value: { keyValue: ancestor } },
      },
    };
    const items = [];
    for (;;) {
      const { batch } = await this._call('runQuery',
        { partitionId, query, readOptions: { readConsistency: 'STRONG' } });
      for (const result of batch.entityResults || []) {
        items.push(nosql._item(result.entity, primaryKey, secondaryKeyName));
      }
      if (batch.moreResults !== 'NOT_FINISHED' || !batch.endCursor) return items;
      query.startCursor = batch.endCursor;
    }
  }

  /** Deletes the item with these keys (nothing happens when there is none). */
  async delete(tableName, primaryKey, secondaryKey) {
    await this._commit([{ delete: await this._key(tableName, primaryKey, secondaryKey) }]);
  }

  static get_instance(database) {
    if (!nosql.instance) nosql.instance = new nosql(database);
    return nosql.instance;
  }
}

nosql.instance = null;

exports.nosql = nosql;
exports.get_instance = nosql.get_instance;
