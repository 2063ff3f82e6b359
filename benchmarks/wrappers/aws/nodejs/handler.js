'use strict';
/*
 * sebs-junit AWS Lambda wrapper for a Node.js benchmark function (handler: handler.handler).
 *
 * The package root holds this file, function/function.js (exports.handler = async (event) => ...) and
 * node_modules. Answers follow the function contract of every sebs-junit wrapper: begin/end/
 * income_timestamp (epoch seconds, six fractional digits), is_cold, container_id, request_id (Lambda's
 * request id), result{output[, measurement]}; a thrown error becomes error/traceback in a normal answer.
 * Cold detection: a marker in /tmp, which lives as long as the execution environment. Events from a
 * Function URL or API Gateway (a "body" with "requestContext") are unwrapped.
 */

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const COLD_MARKER = path.join(process.env.SEBS_TMP || '/tmp', '.sebs-cold-marker');

// Epoch nanoseconds: a monotonic clock anchored once to the wall clock (microseconds are what we report).
const ANCHOR = BigInt(Date.now()) * 1000000n - process.hrtime.bigint();
const nowNs = () => process.hrtime.bigint() + ANCHOR;
const fmt = (ns) => `${ns / 1000000000n}.${String((ns / 1000n) % 1000000n).padStart(6, '0')}`;

let fn = null;

function coldStart() {
  if (fs.existsSync(COLD_MARKER)) {
    return [false, fs.readFileSync(COLD_MARKER, 'utf8').trim()];
  }
  const id = crypto.randomUUID().replace(/-/g, '');
  fs.writeFileSync(COLD_MARKER, id);
  return [true, id];
}

function unwrap(event) {
  if (event && typeof event === 'object' && 'requestContext' in event && 'body' in event) {
    const body = event.isBase64Encoded ? Buffer.from(event.body || '', 'base64').toString('utf8') : event.body;
    return JSON.parse(body || '{}');
  }
  return event;
}

// Files the wrappers ship into function/ beside the benchmark's code: never "the user's frame".
const WRAPPER_MODULES = ['storage.js', 'nosql.js', 'redis.js'];
const STACK_FRAME = /^\s*at (?:async )?(?:(.*?) \()?(?:file:\/\/)?([^()]+?):(\d+):\d+\)?\s*$/;

/**
 * Where the benchmark's own code failed: the innermost stack frame of a file under function/ that is the
 * benchmark's (not a wrapper module, not in node_modules), as "function.js:12 in handler"; null when the
 * error never passed through it. Kept identical in the http and aws wrappers.
 */
function userFrame(stack) {
  const functionDir = path.join(__dirname, 'function') + path.sep;
  for (const line of String(stack || '').split('\n')) {
    const m = STACK_FRAME.exec(line);
    if (!m) continue;
    const file = decodeURIComponent(m[2]);
    if (!file.startsWith(functionDir) || file.includes(`${path.sep}node_modules${path.sep}`)
        || WRAPPER_MODULES.includes(path.basename(file))) continue;
    return `${path.relative(functionDir, file)}:${m[3]} in ${m[1] || '<anonymous>'}`;
  }
  return null;
}

/** The error line of a failed invocation: "Type: message (at function.js:12 in handler)". */
function errorLine(name, message, stack) {
  const where = userFrame(stack);
  return `${name}: ${message}${where ? ` (at ${where})` : ''}`;
}

exports.handler = async (event, context) => {
  const income = nowNs();
  const [isCold, containerId] = coldStart();
  const answer = {
    income_timestamp: fmt(income), is_cold: isCold, container_id: containerId,
    request_id: (context && context.awsRequestId) || '',
  };
  const begin = nowNs();
  let ret;
  try {
    if (fn === null) {
      fn = require(path.join(__dirname, 'function', 'function.js')).handler;
      if (typeof fn !== 'function') {
        throw new TypeError('function/function.js does not export a handler(event) function');
      }
    }
    ret = await fn(unwrap(event));
  } catch (e) {
    return Object.assign(answer, {
      begin: fmt(begin), end: fmt(nowNs()), error: errorLine((e && e.name) || 'Error', e && e.message, e && e.stack),
      traceback: (e && e.stack) || String(e),
    });
  }
  const end = nowNs();
  const result = ret && typeof ret === 'object' && 'result' in ret
    ? Object.assign({ output: ret.result }, ret.measurement != null ? { measurement: ret.measurement } : {})
    : { output: ret };
  return Object.assign(answer, { begin: fmt(begin), end: fmt(end), result });
};
