'use strict';

// 110.dynamic-html: render an HTML page with mustache. The template is
// resolved relative to this file, not to the working directory.
const fs = require('fs');
const path = require('path');
const Mustache = require('mustache');

const TEMPLATE_PATH = path.join(__dirname, 'templates', 'template.html');
const NUMBER_LIMIT = 1000000;

exports.handler = async function (event) {
  const username = event.username;
  const count = Number(event.random_len);
  if (typeof username !== 'string') {
    throw new Error('event.username must be a string');
  }
  if (!Number.isInteger(count) || count < 0) {
    throw new Error(`event.random_len must be a non-negative integer, got ${JSON.stringify(event.random_len)}`);
  }

  const numbers = new Array(count);
  for (let i = 0; i < count; i++) {
    numbers[i] = Math.floor(Math.random() * NUMBER_LIMIT);
  }
  const template = await fs.promises.readFile(TEMPLATE_PATH, 'utf8');
  const page = Mustache.render(template, {
    username: username,
    cur_time: new Date().toISOString(),
    random_numbers: numbers,
  });
  return { result: page };
};
