'use strict';

// Test fixture: calls sharp(<a 2 x 1 PNG>)[event.method]() and answers what it gave; a method the Workers polyfill of
// sharp lacks must fail naming it.
const sharp = require('sharp');

// a 2 x 1 RGB PNG (red, blue)
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAADUlEQVR4nGP4zwAE/wEHAAH/4iOeWQAAAABJRU5ErkJggg==',
  'base64');

exports.handler = async function (event) {
  const image = sharp(PNG);
  const answer = await image[event.method]();
  return { method: event.method, answer: Buffer.isBuffer(answer) ? answer.length : answer };
};
