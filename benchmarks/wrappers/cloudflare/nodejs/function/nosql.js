'use strict';
/*
 * sebs-junit Cloudflare Workers: NoSQL tables for Node.js benchmark functions (SeBS's nosql interface, as
 * ../../../http/nodejs/function/nosql.js offers it over DynamoDB).
 *
 *   const nosql = require('./nosql');
 *   let client = nosql.nosql.get_instance();
 *   await client.insert('shopping_cart', ['cart_id', 'c1'], ['product_id', 'p1'], { price: 10 });
 *   let item = await client.get('shopping_cart', ['cart_id', 'c1'], ['product_id', 'p1']);
 *
 * Keys are [attribute name, value] pairs; the secondary (sort) key may be null for a table without one.
 * All methods are async. get resolves with the item or null, query with an array of items (sorted by the sort
 * key); update sets attributes, creating the item when it is missing (as DynamoDB's UpdateItem does).
 *
 * The tables live in the sebs-nosql Worker (one Durable Object per table), which this Worker reaches through
 * its service binding SEBS_NOSQL; the wrapper (worker.js) puts the Worker's env at globalThis.sebsCloudflareEnv.
 * The Worker's text bindings (also process.env under nodejs_compat):
 *   SEBS_NOSQL_TABLES   JSON object: the benchmark's table names -> the physical table names
 *   SEBS_NOSQL_TOKEN    optional: the bearer token the sebs-nosql Worker requires
 *
 * No npm dependencies: esbuild bundles this file as it is.
 */

const BINDING = 'SEBS_NOSQL';
const TABLES_ENV = 'SEBS_NOSQL_TABLES';
const TOKEN_ENV = 'SEBS_NOSQL_TOKEN';

function env() {
  return globalThis.sebsCloudflareEnv || {};
}

/** A text binding of the Worker, else the process environment's value (both hold it under nodejs_compat). */
function setting(name) {
  const value = env()[name];
  if (typeof value === 'string') return value;
  return (typeof process !== 'undefined' && process.env && process.env[name]) || '';
}

function service() {
  const binding = env()[BINDING];
  if (!binding || typeof binding.fetch !== 'function') {
    throw new Error(`the Worker has no ${BINDING} binding: does config.json list "nosql" in "modules"?`);
  }
  return binding;
}

function tableNames() {
  const raw = setting(TABLES_ENV).trim();
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

function itemKey(primaryKey, secondaryKey) {
  const key = { [primaryKey[0]]: primaryKey[1] };
  if (secondaryKey !== null && secondaryKey !== undefined) key[secondaryKey[0]] = secondaryKey[1];
  return key;
}

/** POSTs a JSON body to the sebs-nosql Worker's /tables/{table}/{operation}; its {error} becomes the Error. */
async function call(table, operation, body) {
  const headers = { 'Content-Type': 'application/json' };
  const token = setting(TOKEN_ENV);
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await service().fetch(
    `http://sebs-nosql/tables/${encodeURIComponent(table)}/${operation}`,
    { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await response.text();
  let answer;
  try {
    answer = text ? JSON.parse(text) : {};
  } catch (e) {
    answer = { error: text };
  }
  if (!response.ok) {
    throw new Error(`NoSQL ${operation} on table '${table}' failed: HTTP ${response.status}: `
      + `${answer && answer.error ? answer.error : text}`);
  }
  return answer;
}

class nosql {
  constructor() {
    this._tables = {};
  }

  _get_table(tableName) {
    service(); // a missing binding is the first thing to tell
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

  /** Stores data with the key attributes added (data itself is left unchanged). */
  async insert(tableName, primaryKey, secondaryKey, data) {
    const item = { ...data, ...itemKey(primaryKey, secondaryKey) };
    await call(this._get_table(tableName), 'insert', { item });
  }

  /** The item with these keys, or null when there is none. */
  async get(tableName, primaryKey, secondaryKey) {
    const answer = await call(this._get_table(tableName), 'get', { key: itemKey(primaryKey, secondaryKey) });
    return answer.item === undefined ? null : answer.item;
  }

  /** Sets the attributes in updates (an object) on the item, creating the item if it is missing. */
  async update(tableName, primaryKey, secondaryKey, updates) {
    const table = this._get_table(tableName);
    if (Object.keys(updates || {}).length === 0) return;
    await call(table, 'update', { key: itemKey(primaryKey, secondaryKey), attributes: updates });
  }

  /**
   * All items whose partition key equals primaryKey, as an array sorted by the sort key.
   * secondaryKeyName is accepted for SeBS compatibility; the table knows its sort key.
   */
  async query(tableName, primaryKey, secondaryKeyName) {
    const answer = await call(this._get_table(tableName), 'query',
      { partitionKey: primaryKey[0], value: primaryKey[1] });
    return answer.items || [];
  }

  /** Deletes the item with these keys (nothing happens when there is none). */
  async delete(tableName, primaryKey, secondaryKey) {
    await call(this._get_table(tableName), 'delete', { key: itemKey(primaryKey, secondaryKey) });
  }

  static get_instance() {
    if (!nosql.instance) nosql.instance = new nosql();
    return nosql.instance;
  }
}

nosql.instance = null;

exports.nosql = nosql;
exports.get_instance = nosql.get_instance;
