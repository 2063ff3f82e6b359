'use strict';
/*
 * sebs-junit local platform: NoSQL tables for Node.js benchmark functions (SeBS's nosql interface).
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
 * The platform runs a DynamoDB-API server and tells each function instance about it:
 *   SEBS_NOSQL_ENDPOINT   e.g. http://127.0.0.1:39212
 *   SEBS_NOSQL_TABLES     JSON object: the benchmark's table names -> the physical table names
 *   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION / AWS_DEFAULT_REGION (default us-east-1)
 *
 * On AWS Lambda (AWS_LAMBDA_FUNCTION_NAME is set) the endpoint is optional: without it the client uses
 * the SDK's defaults, i.e. DynamoDB of the function's region with the execution role's credentials.
 *
 * @aws-sdk/client-dynamodb and @aws-sdk/lib-dynamodb are required and the client built on first use, so
 * that cost is paid by the first request that touches a table, not by require('./nosql'). The framework
 * adds both packages to the function's dependencies when config.json lists "nosql" in "modules".
 */

const ENDPOINT_ENV = 'SEBS_NOSQL_ENDPOINT';
const TABLES_ENV = 'SEBS_NOSQL_TABLES';
const DEFAULT_REGION = 'us-east-1';

let lib = null;

function libDynamodb() {
  if (lib === null) {
    try {
      lib = require('@aws-sdk/lib-dynamodb');
    } catch (e) {
      throw new Error(`@aws-sdk/lib-dynamodb is not installed for the function (${e.message}); the `
        + 'framework adds it when config.json lists "nosql" in "modules"');
    }
  }
  return lib;
}

function region() {
  for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION']) {
    const value = (process.env[name] || '').trim();
    if (value) return value;
  }
  return DEFAULT_REGION;
}

function newDocumentClient() {
  const endpoint = (process.env[ENDPOINT_ENV] || '').trim();
  if (!endpoint && !process.env.AWS_LAMBDA_FUNCTION_NAME) {
    throw new Error(`${ENDPOINT_ENV} is not set: this function instance has no NoSQL storage `
      + '(does the benchmark\'s config.json list "nosql" in "modules"?)');
  }
  let DynamoDBClient;
  try {
    ({ DynamoDBClient } = require('@aws-sdk/client-dynamodb'));
  } catch (e) {
    throw new Error(`@aws-sdk/client-dynamodb is not installed for the function (${e.message}); the `
      + 'framework adds it when config.json lists "nosql" in "modules"');
  }
  const { DynamoDBDocumentClient } = libDynamodb();
  const config = { region: region() };
  if (endpoint) config.endpoint = endpoint;
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
  if (accessKeyId && secretAccessKey) {
    // explicit credentials skip loading the SDK's whole default provider chain
    config.credentials = { accessKeyId, secretAccessKey };
    if (process.env.AWS_SESSION_TOKEN) config.credentials.sessionToken = process.env.AWS_SESSION_TOKEN;
  }
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    // attributes set to undefined are left out, as JSON.stringify would do
    marshallOptions: { removeUndefinedValues: true },
  });
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

function itemKey(primaryKey, secondaryKey) {
  const key = { [primaryKey[0]]: primaryKey[1] };
  if (secondaryKey !== null && secondaryKey !== undefined) key[secondaryKey[0]] = secondaryKey[1];
  return key;
}

class nosql {
  constructor() {
    this._client = null;
    this._tables = {};
  }

  /** The DynamoDB document client, created (and the SDK required) on first use. */
  get client() {
    if (this._client === null) this._client = newDocumentClient();
    return this._client;
  }

  _get_table(tableName) {
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
    const table = this._get_table(tableName);
    const { PutCommand } = libDynamodb();
    const item = { ...data, ...itemKey(primaryKey, secondaryKey) };
    await this.client.send(new PutCommand({ TableName: table, Item: item }));
  }

  /** The item with these keys, or null when there is none. */
  async get(tableName, primaryKey, secondaryKey) {
    const table = this._get_table(tableName);
    const { GetCommand } = libDynamodb();
    const response = await this.client.send(
      new GetCommand({ TableName: table, Key: itemKey(primaryKey, secondaryKey) }));
    return response.Item === undefined ? null : response.Item;
  }

  /** Sets the attributes in updates (an object) on the item, creating the item if it is missing. */
  async update(tableName, primaryKey, secondaryKey, updates) {
    const table = this._get_table(tableName);
    const entries = Object.entries(updates || {});
    if (entries.length === 0) return;
    const { UpdateCommand } = libDynamodb();
    const names = {};
    const values = {};
    const assignments = entries.map(([name, value], i) => {
      names[`#a${i}`] = name;
      values[`:v${i}`] = value;
      return `#a${i} = :v${i}`;
    });
    await this.client.send(new UpdateCommand({
      TableName: table,
      Key: itemKey(primaryKey, secondaryKey),
      UpdateExpression: `SET ${assignments.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }));
  }

  /**
   * All items whose partition key equals primaryKey (every page), as an array.
   * secondaryKeyName is accepted for SeBS compatibility; DynamoDB knows the table's sort key.
   */
  async query(tableName, primaryKey, secondaryKeyName) {
    const table = this._get_table(tableName);
    const { QueryCommand } = libDynamodb();
    const request = {
      TableName: table,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': primaryKey[0] },
      ExpressionAttributeValues: { ':pk': primaryKey[1] },
    };
    const items = [];
    for (;;) {
      const response = await this.client.send(new QueryCommand(request));
      for (const item of response.Items || []) items.push(item);
      if (!response.LastEvaluatedKey) return items;
      request.ExclusiveStartKey = response.LastEvaluatedKey;
    }
  }

  /** Deletes the item with these keys (nothing happens when there is none). */
  async delete(tableName, primaryKey, secondaryKey) {
    const table = this._get_table(tableName);
    const { DeleteCommand } = libDynamodb();
    await this.client.send(
      new DeleteCommand({ TableName: table, Key: itemKey(primaryKey, secondaryKey) }));
  }

  static get_instance() {
    if (!nosql.instance) nosql.instance = new nosql();
    return nosql.instance;
  }
}

nosql.instance = null;

exports.nosql = nosql;
exports.get_instance = nosql.get_instance;
