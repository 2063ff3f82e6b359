'use strict';
// 620.func-invo, state "gen": builds the payload the repeat state passes along (see ../python/gen.py).
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

exports.handler = async function (event) {
  const { size } = event;
  if (!Number.isInteger(size) || size < 0) {
    throw new TypeError(`event.size must be a non-negative integer, got ${JSON.stringify(size)}`);
  }
  const data = ALPHABET.repeat(Math.floor(size / 26)) + ALPHABET.slice(0, size % 26);
  return { size, step: 0, data };
};
