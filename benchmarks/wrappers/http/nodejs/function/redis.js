'use strict';
/*
 * sebs-junit local platform: a Redis server for Node.js benchmark functions, in the spirit of SeBS's
 * storage and nosql modules.
 *
 * Benchmark code (config.json lists "redis" in "modules"):
 *
 *   const redis = require('./redis');
 *   const client = redis.redis.get_instance();
 *   await client.set('key', Buffer.from('value'));
 *   let value = await client.get('key');            // a Buffer, or null
 *   await client.push('queue', Buffer.from('m'));
 *   let message = await client.pop('queue', 5);      // a Buffer, or null after 5 s
 *
 * The platform runs a real Redis server and tells each function instance where it is:
 *   SEBS_REDIS_HOST, SEBS_REDIS_PORT
 *
 * The npm package "redis" (v4) is required and connected on first use; the framework adds it to the
 * function's dependencies when config.json lists "redis" in "modules".
 */

const HOST_ENV = 'SEBS_REDIS_HOST';
const PORT_ENV = 'SEBS_REDIS_PORT';

class redis {
  constructor() {
    this._client = null;
  }

  static get_instance() {
    if (!redis.instance) {
      redis.instance = new redis();
    }
    return redis.instance;
  }

  /** The connected node-redis client (commands answer Buffers). */
  async client() {
    if (this._client === null) {
      const host = (process.env[HOST_ENV] || '').trim();
      const port = (process.env[PORT_ENV] || '').trim();
      if (!host || !port) {
        throw new Error(`${HOST_ENV}/${PORT_ENV} are not set: this function instance has no Redis server ` +
          '(does the benchmark\'s config.json list "redis" in "modules"?)');
      }
      let library;
      try {
        library = require('redis');
      } catch (e) {
        throw new Error('the npm package redis is not installed in the function (' + e.message +
          '); the framework adds it when config.json lists "redis" in "modules"');
      }
      const client = library.createClient({socket: {host: host, port: Number(port)}});
      client.on('error', () => {}); // reported through the failing command instead
      this._client = client.connect().then(() => client);
    }
    return this._client;
  }

  async set(key, value) {
    await (await this.client()).set(key, value);
  }

  /** The value as a Buffer, or null when the key does not exist. */
  async get(key) {
    const library = require('redis');
    return (await this.client()).get(library.commandOptions({returnBuffers: true}), key);
  }

  async delete(key) {
    await (await this.client()).del(key);
  }

  /** Appends value to the list key (a queue). */
  async push(key, value) {
    await (await this.client()).rPush(key, value);
  }

  /** Removes and returns the first element of the list key as a Buffer, waiting up to timeout seconds
   * (0: forever); null when nothing arrived in time. */
  async pop(key, timeout = 0) {
    const library = require('redis');
    const answer = await (await this.client()).blPop(library.commandOptions({returnBuffers: true, isolated: true}),
      key, timeout);
    return answer === null ? null : answer.element;
  }
}

redis.instance = null;

module.exports = {redis: redis};
