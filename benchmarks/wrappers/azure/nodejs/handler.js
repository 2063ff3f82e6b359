'use strict';
/*
 * sebs-junit Azure Functions wrapper for a Node.js benchmark function (function "handler", v4 programming model).
 *
 * The app root holds host.json, package.json (its "main" is this file; its dependencies are the benchmark's and
 * @azure/functions 4.x, installed into node_modules when the package is built), this file and the benchmark's
 * code under function/ (function/function.js: exports.handler = async (event) => ...). The Node.js worker loads
 * "main", and this file registers one HTTP function: POST, authLevel function, route api/handler.
 *
 * Every answer follows the function contract of the sebs-junit wrappers: begin/end/income_timestamp (epoch
 * seconds, six fractional digits), is_cold, container_id, request_id (the Azure invocation id,
 * context.invocationId), result{output[, measurement]}, and on the cold answer init_begin (when this worker
 * process started). A thrown error becomes error/traceback in a normal 200 answer instead of the host's 500; a
 * body that is not JSON gets 400. An instance runs one worker process, so the cold answer is the first one this
 * process gives and the container id is made once per process.
 *
 * Workflow mode (SEBS_WORKFLOW_FUNCTION=<func_name>: one function of a SeBS-Flow workflow, called by the workflow's
 * Durable Functions orchestrator app): the same contract, but the benchmark's module is function/<func_name>.js and
 * its return value is the output as it is (an object with "result" is not unwrapped: workflow functions return the
 * next payload).
 */

const crypto = require('crypto');
const path = require('path');
const { app } = require('@azure/functions');

// Epoch nanoseconds: a monotonic clock anchored once to the wall clock (microseconds are what we report).
const ANCHOR = BigInt(Date.now()) * 1000000n - process.hrtime.bigint();
const nowNs = () => process.hrtime.bigint() + ANCHOR;
const fmt = (ns) => `${ns / 1000000000n}.${String((ns / 1000n) % 1000000n).padStart(6, '0')}`;

const INIT_BEGIN_NS = BigInt(Math.round(Date.now() - process.uptime() * 1000)) * 1000000n;
const CONTAINER_ID = crypto.randomUUID().replace(/-/g, '');
const JSON_HEADERS = { 'Content-Type': 'application/json' };

let fn = null;
let served = false;
const WORKFLOW_FUNCTION = String(process.env.SEBS_WORKFLOW_FUNCTION || '').trim();

// Files the wrappers ship into function/ beside the benchmark's code: never "the user's frame".
const WRAPPER_MODULES = ['storage.js', 'nosql.js', 'redis.js'];
const STACK_FRAME = /^\s*at (?:async )?(?:(.*?) \()?(?:file:\/\/)?([^()]+?):(\d+):\d+\)?\s*$/;

/**
 * Where the benchmark's own code failed: the innermost stack frame of a file under function/ that is the
 * benchmark's (not a wrapper module, not in node_modules), as "function.js:12 in handler"; null when the
 * error never passed through it. Kept identical in the other Node.js wrappers.
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

/** The event: the body parsed as JSON whatever its Content-Type; undefined when it is not JSON or null. */
async function eventOf(request) {
  try {
    const event = JSON.parse(await request.text());
    return event === null ? undefined : event;
  } catch (e) {
    return undefined;
  }
}

async function handler(request, context) {
  const income = nowNs();
  const event = await eventOf(request);
  if (event === undefined) {
    return { status: 400, headers: JSON_HEADERS, body: JSON.stringify({ error: 'the request body is not a JSON event' }) };
  }
  // after an enforced cold start the client names the app setting's new value: an instance started before the
  // change refuses without running the benchmark, so the client can try again until a new instance answers
  const expected = request.headers.get('x-sebs-cold-start');
  const current = process.env.SEBS_COLD_START || '';
  if (expected !== null && expected !== undefined && expected !== current) {
    return { status: 409, headers: JSON_HEADERS, body: JSON.stringify({ stale: true, cold_start: current }) };
  }
  const isCold = !served;
  served = true;
  const answer = {
    income_timestamp: fmt(income), is_cold: isCold, container_id: CONTAINER_ID,
    request_id: context.invocationId || crypto.randomUUID(),
  };
  if (isCold) answer.init_begin = fmt(INIT_BEGIN_NS);
  const begin = nowNs();
  let ret;
  try {
    if (fn === null) {
      const file = `${WORKFLOW_FUNCTION || 'function'}.js`;
      const loaded = require(path.join(__dirname, 'function', file)).handler;
      if (typeof loaded !== 'function') {
        throw new TypeError(`function/${file} does not export a handler(event) function`);
      }
      fn = loaded;
    }
    ret = await fn(event);
  } catch (e) {
    Object.assign(answer, {
      begin: fmt(begin), end: fmt(nowNs()), error: errorLine((e && e.name) || 'Error', e && e.message, e && e.stack),
      traceback: (e && e.stack) || String(e),
    });
    return { status: 200, headers: JSON_HEADERS, body: JSON.stringify(answer) };
  }
  const end = nowNs();
  let result;
  if (ret && typeof ret === 'object' && 'result' in ret && !WORKFLOW_FUNCTION) {
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
  return { status: 200, headers: JSON_HEADERS, body };
}

app.http('handler', { methods: ['POST'], authLevel: 'function', handler });
