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
 *
 * Workflow mode (SEBS_WORKFLOW_FUNCTION=<func_name>: one function of a SeBS-Flow workflow that AWS Step
 * Functions runs), as in the Python wrapper: the event is {payload, request_id (the workflow run's),
 * state}; function/<func_name>.js gets the payload (plus "request-id", Lambda's request id, when it is an
 * object) and its return value is returned as it is; an error is THROWN again, so Lambda reports its name
 * and message and the state machine's Catch sees it. After the end time is taken, one record {workflow,
 * request_id, func, state, start, end (epoch microseconds), is_cold, container_id[, error]} is written to the
 * DynamoDB table SEBS_WORKFLOW_RECORDS with a PutItem signed with the execution role's credentials (core
 * modules only, on a kept-alive connection); SEBS_WORKFLOW_RECORDS_ENDPOINT replaces the regional endpoint.
 * A record that cannot be written is reported on stderr; the result is returned all the same.
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
  if (WORKFLOW_FUNCTION) {
    return workflowHandler(event, context);
  }
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

// ------------------------------------------------------------------ workflow mode (Step Functions)

const WORKFLOW_FUNCTION = (process.env.SEBS_WORKFLOW_FUNCTION || '').trim();
const RECORDS_TABLE = (process.env.SEBS_WORKFLOW_RECORDS || '').trim();
let workflowFn = null;

async function workflowHandler(event, context) {
  const [isCold, containerId] = coldStart();
  const requestId = (context && context.awsRequestId) || '';
  const fromMachine = event !== null && typeof event === 'object' && !Array.isArray(event) && 'payload' in event;
  // invoked on its own, not by the state machine: the whole event is the payload
  let payload = fromMachine ? event.payload : event;
  const workflowId = fromMachine ? event.request_id : undefined;
  const state = fromMachine ? event.state : undefined;
  if (payload !== null && typeof payload === 'object' && !Array.isArray(payload)) {
    payload = Object.assign({}, payload, { 'request-id': requestId });
  }
  const begin = nowNs();
  let result;
  try {
    if (workflowFn === null) {
      const mod = require(path.join(__dirname, 'function', WORKFLOW_FUNCTION));
      if (!mod || typeof mod.handler !== 'function') {
        throw new TypeError(`function/${WORKFLOW_FUNCTION}.js does not export a handler(event) function`);
      }
      workflowFn = mod.handler;
    }
    result = await workflowFn(payload);
    JSON.stringify(result);
  } catch (e) {
    const end = nowNs();
    await record(workflowId, requestId, state, begin, end, isCold, containerId,
      errorLine((e && e.name) || 'Error', e && e.message, e && e.stack));
    throw e;
  }
  const end = nowNs();
  await record(workflowId, requestId, state, begin, end, isCold, containerId, null);
  return result === undefined ? null : result;
}

/** Writes the execution's record; never throws (a lost record is reported, the result is not). */
async function record(workflowId, requestId, state, beginNs, endNs, isCold, containerId, error) {
  if (!RECORDS_TABLE || workflowId === undefined || workflowId === null) return;
  const item = {
    workflow: { S: String(workflowId) }, request_id: { S: requestId }, func: { S: WORKFLOW_FUNCTION },
    start: { N: String(beginNs / 1000n) }, end: { N: String(endNs / 1000n) }, is_cold: { BOOL: isCold },
    container_id: { S: containerId },
  };
  if (state) item.state = { S: String(state) };
  if (error !== null) item.error = { S: error };
  try {
    const [status, answer] = await dynamodb('DynamoDB_20120810.PutItem',
      JSON.stringify({ TableName: RECORDS_TABLE, Item: item }));
    if (status !== 200) throw new Error(`HTTP ${status}: ${answer.slice(0, 300)}`);
  } catch (e) {
    process.stderr.write(`sebs wrapper: cannot record the execution in ${RECORDS_TABLE}: ${e && e.message}\n`);
  }
}

let recordsAgent = null;

/** One DynamoDB API call, signed with Signature Version 4 from the environment's credentials. */
function dynamodb(target, body) {
  const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
  const url = new URL((process.env.SEBS_WORKFLOW_RECORDS_ENDPOINT || '').trim()
    || `https://dynamodb.${region}.amazonaws.com`);
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers = {
    'content-type': 'application/x-amz-json-1.0', host: url.host, 'x-amz-date': amzDate, 'x-amz-target': target,
  };
  if (process.env.AWS_SESSION_TOKEN) headers['x-amz-security-token'] = process.env.AWS_SESSION_TOKEN;
  const names = Object.keys(headers).sort();
  const sha256 = (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');
  const hmac = (key, text) => crypto.createHmac('sha256', key).update(text, 'utf8').digest();
  const pathname = url.pathname || '/';
  const canonical = ['POST', pathname, '', names.map((n) => `${n}:${headers[n]}\n`).join(''), names.join(';'),
    sha256(body)].join('\n');
  const scope = `${day}/${region}/dynamodb/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  let key = Buffer.from(`AWS4${process.env.AWS_SECRET_ACCESS_KEY || ''}`, 'utf8');
  for (const part of [day, region, 'dynamodb', 'aws4_request']) key = hmac(key, part);
  const signature = crypto.createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${process.env.AWS_ACCESS_KEY_ID || ''}/${scope}, `
    + `SignedHeaders=${names.join(';')}, Signature=${signature}`;
  const client = url.protocol === 'https:' ? require('https') : require('http');
  if (recordsAgent === null) recordsAgent = new client.Agent({ keepAlive: true });
  return new Promise((resolve, reject) => {
    const request = client.request({
      method: 'POST', hostname: url.hostname, port: url.port || undefined, path: pathname,
      headers: Object.assign({ 'content-length': Buffer.byteLength(body) }, headers), agent: recordsAgent,
      timeout: 10000,
    }, (response) => {
      let answer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => { answer += chunk; });
      response.on('end', () => resolve([response.statusCode, answer]));
    });
    request.on('timeout', () => request.destroy(new Error('no answer within 10 s')));
    request.on('error', reject);
    request.end(body);
  });
}
