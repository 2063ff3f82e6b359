'use strict';
/*
 * sebs-junit azure platform: NoSQL tables for Node.js benchmark functions (SeBS's nosql interface).
 *
 * Benchmark code uses it as on any SeBS platform:
 *
 *   const nosql = require('./nosql');
 *   const client = nosql.nosql.get_instance();
 *   await client.insert('shopping_cart', ['cart_id', 'c1'], ['product_id', 'p1'], { price: 10 });
 *
 * Keys are [attribute name, value] pairs; the secondary (sort) key may be null for a table without one.
 * All methods are async. get resolves with the item or null, query with an array of items.
 *
 * Microsoft's @azure/cosmos, as SeBS's Azure functions use it, with the same document layout: a table is a
 * container whose partition key path is /<primary key name>; the secondary key's value (as a string) is the
 * document's id, and it is stored under its own name too (so its type survives); without a secondary key the
 * primary key's value is the id. Items come back without Cosmos's own properties (id, _rid, _self, _etag,
 * _attachments, _ts). update is one Patch ("add" of each attribute, as SeBS does) and creates a missing item;
 * query is a SQL query within one partition.
 *
 * Where it goes (the variables SeBS's Azure functions get; get_instance(database, url, credential) as SeBS's
 * wrapper calls it takes precedence):
 *   NOSQL_STORAGE_URL        the account's endpoint
 *   NOSQL_STORAGE_CREDS      the account's key
 *   NOSQL_STORAGE_DATABASE   the database of the tables
 *   SEBS_NOSQL_TABLES        JSON: the benchmark's table names -> container names (a name not in it is used as is)
 * A stand-in with a self-signed certificate needs NODE_TLS_REJECT_UNAUTHORIZED=0 in the function's
 * environment (never on Azure).
 */

const URL_ENV = 'NOSQL_STORAGE_URL';
const KEY_ENV = 'NOSQL_STORAGE_CREDS';
const DATABASE_ENV = 'NOSQL_STORAGE_DATABASE';
const TABLES_ENV = 'SEBS_NOSQL_TABLES';
const SYSTEM_PROPERTIES = ['_rid', '_self', '_etag', '_attachments', '_ts'];

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

function property(name) {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `c.${name}` : `c[${JSON.stringify(name)}]`;
}

function documentId(primaryKey, secondaryKey) {
  return String((secondaryKey === null || secondaryKey === undefined ? primaryKey : secondaryKey)[1]);
}

function toItem(document, primaryKeyName, secondaryKeyName) {
  const item = { ...document };
  const id = item.id;
  for (const name of SYSTEM_PROPERTIES) delete item[name];
  if (primaryKeyName !== 'id' && secondaryKeyName !== 'id') delete item.id;
  if (secondaryKeyName && id !== undefined && !(secondaryKeyName in item)) item[secondaryKeyName] = id;
  return item;
}

class nosql {
  constructor(url, credential, database) {
    let CosmosClient;
    try {
      ({ CosmosClient } = require('@azure/cosmos'));
    } catch (e) {
      throw new Error(`@azure/cosmos is not installed for the function (${e.message}); the `
        + 'framework adds it when config.json lists "nosql" in "modules"');
    }
    const endpoint = url || (process.env[URL_ENV] || '').trim();
    const key = credential || (process.env[KEY_ENV] || '').trim();
    const db = database || (process.env[DATABASE_ENV] || '').trim();
    const missing = [[URL_ENV, endpoint], [KEY_ENV, key], [DATABASE_ENV, db]].filter(([, v]) => !v).map(([n]) => n);
    if (missing.length) {
      throw new Error(`Cosmos DB is not configured for this function: ${missing.join(', ')} not set`);
    }
    this._client = new CosmosClient({ endpoint, key });
    this._db_client = this._client.database(db);
    this._containers = {};
    this._tables = null;
  }

  _get_table(tableName) {
    if (this._tables === null) this._tables = tableNames();
    const container = this._tables[tableName] || tableName;
    if (!(container in this._containers)) {
      this._containers[container] = this._db_client.container(container);
    }
    return this._containers[container];
  }

  /** Stores data with the key attributes added, replacing an item with the same keys (data is left unchanged). */
  async insert(tableName, primaryKey, secondaryKey, data) {
    const document = { ...data, [primaryKey[0]]: primaryKey[1] };
    if (secondaryKey) document[secondaryKey[0]] = secondaryKey[1];
    document.id = documentId(primaryKey, secondaryKey);
    await this._get_table(tableName).items.upsert(document);
  }

  /** The item with these keys, or null. */
  async get(tableName, primaryKey, secondaryKey) {
    const { resource } = await this._get_table(tableName)
      .item(documentId(primaryKey, secondaryKey), primaryKey[1]).read();
    if (!resource) return null;
    return toItem(resource, primaryKey[0], secondaryKey ? secondaryKey[0] : null);
  }

  /** Sets the attributes of updates in one Patch request, creating the item when it is missing. */
  async update(tableName, primaryKey, secondaryKey, updates) {
    const operations = Object.entries(updates).map(([name, value]) => (
      { op: 'add', path: `/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`, value }));
    if (!operations.length) return;
    try {
      await this._get_table(tableName).item(documentId(primaryKey, secondaryKey), primaryKey[1]).patch(operations);
    } catch (e) {
      if (e.code !== 404) throw e;
      await this.insert(tableName, primaryKey, secondaryKey, updates);
    }
  }

  /** Every item whose partition key equals primaryKey (a query within that partition, every page). */
  async query(tableName, primaryKey, secondaryKeyName) {
    const query = {
      query: `SELECT * FROM c WHERE ${property(primaryKey[0])} = @value`,
      parameters: [{ name: '@value', value: primaryKey[1] }],
    };
    const { resources } = await this._get_table(tableName).items
      .query(query, { partitionKey: primaryKey[1] }).fetchAll();
    return resources.map((document) => toItem(document, primaryKey[0], secondaryKeyName));
  }

  /** Deletes the item with these keys (nothing happens when there is none). */
  async delete(tableName, primaryKey, secondaryKey) {
    try {
      await this._get_table(tableName).item(documentId(primaryKey, secondaryKey), primaryKey[1]).delete();
    } catch (e) {
      if (e.code !== 404) throw e;
    }
  }

  static get_instance(database = null, url = null, credential = null) {
    if (!nosql.instance) nosql.instance = new nosql(url, credential, database);
    return nosql.instance;
  }
}

nosql.instance = null;

exports.nosql = nosql;
