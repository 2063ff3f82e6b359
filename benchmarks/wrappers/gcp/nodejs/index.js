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
 * else Function-Execution-Id, else a fresh uuid.
 *
 * Workflow mode (SEBS_WORKFLOW_FUNCTION=<func_name>: one function of a SeBS-Flow workflow that Google Workflows
 * runs): the body is {"payload": ..., "request_id": <the workflow run's id>, "state": <the SeBS-Flow state>}.
 * The wrapper loads function/<func_name>.js, calls its handler with the payload (plus "request-id", a fresh id
 * of this execution, when the payload is an object) and answers the handler's return value as JSON (200); a
 * thrown error answers HTTP 500 with {"error": <name>, "message": <message>, "at": <where>}, which Google
 * Workflows raises as an HttpError whose body the workflow's try/except reads. Either way one record
 * {workflow, request_id, func, state, start, end (epoch microseconds), is_cold, container_id[, error]} is
 * written to Datastore (kind SEBS_WORKFLOW_RECORDS, key workflow/<run id> > kind/<request id>, database
 * SEBS_NOSQL_DATABASE or "(default)") with a non-transactional commit over Datastore's REST API (fetch), at
 * DATASTORE_EMULATOR_HOST when set, authorised with the metadata server's token on Google Cloud. A record that
 * cannot be written is reported on stderr; the function's answer is sent all the same.
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
  if (WORKFLOW_FUNCTION) {
    await workflowHandler(event, res);
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

// ------------------------------------------------------------------------------------------ workflow mode

const WORKFLOW_FUNCTION = String(process.env.SEBS_WORKFLOW_FUNCTION || '').trim();
const RECORDS_KIND = String(process.env.SEBS_WORKFLOW_RECORDS || '').trim();
let workflowFn = null;
let recordsToken = null;
let recordsTokenExpires = 0;

async function workflowHandler(event, res) {
  const isCold = !served;
  served = true;
  let payload = event;
  let workflowId = '';
  let state = '';
  if (event && typeof event === 'object' && !Array.isArray(event) && 'payload' in event) {
    payload = event.payload;
    workflowId = String(event.request_id || '');
    state = String(event.state || '');
  }
  const requestId = crypto.randomUUID().replace(/-/g, '');
  if (payload && typeof payload === 'object' && !Array.isArray(payload)) {
    payload = Object.assign({}, payload, { 'request-id': requestId });
  }
  const begin = nowNs();
  let body;
  try {
    if (workflowFn === null) {
      const loaded = require(path.join(__dirname, 'function', `${WORKFLOW_FUNCTION}.js`)).handler;
      if (typeof loaded !== 'function') {
        throw new TypeError(`function/${WORKFLOW_FUNCTION}.js does not export a handler(event) function`);
      }
      workflowFn = loaded;
    }
    const ret = await workflowFn(payload);
    body = JSON.stringify(ret === undefined ? null : ret);
  } catch (e) {
    const end = nowNs();
    const name = (e && e.name) || 'Error';
    const message = e && e.message !== undefined ? String(e.message) : String(e);
    await record(workflowId, requestId, state, begin, end, isCold, errorLine(name, message, e && e.stack));
    const error = { error: name, message };
    const where = userFrame(e && e.stack);
    if (where) error.at = where;
    res.status(500).set('Content-Type', 'application/json').send(JSON.stringify(error));
    return;
  }
  const end = nowNs();
  await record(workflowId, requestId, state, begin, end, isCold, null);
  res.status(200).set('Content-Type', 'application/json').send(body);
}

async function recordsAuthorization() {
  if (recordsToken === null || Date.now() / 1000 > recordsTokenExpires - 60) {
    const host = String(process.env.GCE_METADATA_HOST || '').trim() || 'metadata.google.internal';
    const response = await fetch(`http://${host}/computeMetadata/v1/instance/service-accounts/default/token`,
      { headers: { 'Metadata-Flavor': 'Google' } });
    const token = await response.json();
    recordsToken = `${token.token_type || 'Bearer'} ${token.access_token}`;
    recordsTokenExpires = Date.now() / 1000 + Number(token.expires_in || 300);
  }
  return recordsToken;
}

/** Writes the execution's record to Datastore; never throws. */
async function record(workflowId, requestId, state, beginNs, endNs, isCold, error) {
  if (!RECORDS_KIND || !workflowId) return;
  try {
    const override = String(process.env.DATASTORE_EMULATOR_HOST || '').trim();
    const base = override ? (override.includes('://') ? override : `http://${override}`)
      : 'https://datastore.googleapis.com';
    const project = String(process.env.GOOGLE_CLOUD_PROJECT || process.env.DATASTORE_PROJECT_ID || '').trim();
    const database = String(process.env.SEBS_NOSQL_DATABASE || '').trim() || '(default)';
    const partition = { projectId: project };
    if (database !== '(default)') partition.databaseId = database;
    const unindexed = (value) => Object.assign(value, { excludeFromIndexes: true });
    const properties = {
      workflow: { stringValue: workflowId },
      request_id: { stringValue: requestId },
      func: unindexed({ stringValue: WORKFLOW_FUNCTION }),
      state: unindexed({ stringValue: state }),
      start: unindexed({ integerValue: String(beginNs / 1000n) }),
      end: unindexed({ integerValue: String(endNs / 1000n) }),
      is_cold: unindexed({ booleanValue: isCold }),
      container_id: unindexed({ stringValue: CONTAINER_ID }),
    };
    if (error !== null) properties.error = unindexed({ stringValue: String(error).slice(0, 1400) });
    const body = {
      mode: 'NON_TRANSACTIONAL',
      mutations: [{
        upsert: {
          key: { partitionId: partition, path: [{ kind: 'workflow', name: workflowId }, { kind: RECORDS_KIND, name: requestId }] },
          properties,
        },
      }],
    };
    if (database !== '(default)') body.databaseId = database;
    const headers = { 'Content-Type': 'application/json' };
    if (!override || String(process.env.GCE_METADATA_HOST || '').trim()) {
      headers.Authorization = await recordsAuthorization();
    }
    const url = `${base.replace(/\/$/, '')}/v1/projects/${encodeURIComponent(project)}:commit`;
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
    if (response.status !== 200) {
      throw new Error(`HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
    }
  } catch (e) {
    console.error(`sebs-junit: cannot write the workflow record to ${RECORDS_KIND}: ${e}`);
  }
}
