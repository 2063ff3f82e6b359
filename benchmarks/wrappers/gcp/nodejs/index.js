'use strict';
/*
 * sebs-junit Google Cloud Functions (2nd gen) wrapper for a Node.js benchmark function (entry point: handler).
 *
 * The source root holds this file (package.json's "main"), function/function.js (exports.handler = async
 * (event) => ...) and package.json with the benchmark's dependencies. Google's Functions Framework calls
 * handler(req, res) with Express objects; req.body is already the parsed event when the client sent
 * Content-Type: application/json (the framework answers 400 itself for a malformed JSON body); with another
 * Content-Type the raw body (req.rawBody) is parsed here. Answers follow the function contract of every sebs-junit wrapper:
 * begin/end/income_timestamp (epoch seconds, six fractional digits), is_cold, container_id, request_id,
 * result{output[, measurement]}, and on the cold request init_begin (when this instance's process started).
 * A thrown error becomes error/traceback in a normal 200 answer instead of the framework's crash response.
 *
 * An instance is one process, so the cold request is the first one this process serves and the container
 * id is made once per process. request_id: the trace id of X-Cloud-Trace-Context (TRACE_ID/SPAN_ID;o=1),
 * else Function-Execution-Id, else a fresh uuid. Workflow mode (SEBS_WORKFLOW_FUNCTION) is not supported on
 * this platform yet.
 */

const crypto = require('crypto');
const path = require('path');

// Epoch nanoseconds: a monotonic clock anchored once to the wall clock (microseconds are what we report).
const ANCHOR = BigInt(Date.now()) * 1000000n - process.hrtime.bigint();
const nowNs = () => process.hrtime.bigint() + ANCHOR;
const fmt = (ns) => `${ns / 1000000000n}.${String((ns / 1000n) % 1000000n).padStart(6, '0')}`;

const INIT_BEGIN_NS = BigInt(Math.round(Date.now() - process.uptime() * 1000)) * 1000000n;
const CONTAINER_ID = crypto.randomUUID().replace(/-/g, '');

let fn = null;
let served = false;

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

/**
 * The event: the framework's parsed JSON for a JSON Content-Type; otherwise the raw body (the framework keeps
 * it as req.rawBody) parsed here, as the Python and Java wrappers read any body as JSON. undefined if none.
 */
function eventOf(req) {
  if (req.is(['application/json', '+json']) && req.body !== null && typeof req.body === 'object'
      && !Buffer.isBuffer(req.body)) {
    return req.body;
  }
  const raw = req.rawBody !== undefined ? req.rawBody : req.body;
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : typeof raw === 'string' ? raw : '';
  try {
    const event = JSON.parse(text);
    return event === null ? undefined : event;
  } catch (e) {
    return undefined;
  }
}

function requestId(req) {
  const trace = String(req.get('X-Cloud-Trace-Context') || '').trim();
  const traceId = trace.split('/')[0].trim();
  if (traceId) return traceId;
  return String(req.get('Function-Execution-Id') || '').trim() || crypto.randomUUID().replace(/-/g, '');
}

function send(res, status, answer) {
  res.status(status).set('Content-Type', 'application/json').send(JSON.stringify(answer));
}

exports.handler = async (req, res) => {
  const income = nowNs();
  const event = eventOf(req);
  if (event === undefined) {
    send(res, 400, { error: 'the request body is not a JSON event' });
    return;
  }
  const isCold = !served;
  served = true;
  const answer = {
    income_timestamp: fmt(income), is_cold: isCold, container_id: CONTAINER_ID, request_id: requestId(req),
  };
  if (isCold) answer.init_begin = fmt(INIT_BEGIN_NS);
  const begin = nowNs();
  let ret;
  try {
    if (fn === null) {
      fn = require(path.join(__dirname, 'function', 'function.js')).handler;
      if (typeof fn !== 'function') {
        fn = null;
        throw new TypeError('function/function.js does not export a handler(event) function');
      }
    }
    ret = await fn(event);
  } catch (e) {
    send(res, 200, Object.assign(answer, {
      begin: fmt(begin), end: fmt(nowNs()), error: errorLine((e && e.name) || 'Error', e && e.message, e && e.stack),
      traceback: (e && e.stack) || String(e),
    }));
    return;
  }
  const end = nowNs();
  let result;
  if (ret && typeof ret === 'object' && 'result' in ret) {
    result = { output: ret.result === undefined ? null : ret.result };
    if (ret.measurement != null) result.measurement = ret.measurement;
  } else {
    result = { output: ret === undefined ? null : ret };
  }
  Object.assign(answer, { begin: fmt(begin), end: fmt(end), result });
  let body;
  try {
    body = JSON.stringify(answer);
  } catch (e) {
    // The function returned something JSON cannot carry (a BigInt, a cycle, ...).
    delete answer.result;
    answer.error = `${(e && e.name) || 'Error'}: function result is not JSON-serializable: ${e && e.message}`;
    body = JSON.stringify(answer);
  }
  res.status(200).set('Content-Type', 'application/json').send(body);
};
