/*
 * sebs-junit Cloudflare Workers wrapper: an ES module whose fetch handler answers the function contract
 * around a Node.js benchmark (function/function.js exporting handler(event), CommonJS as SeBS writes it).
 * The platform bundles this file and the function into one module with esbuild, and names two modules
 * the bundle imports but does not contain:
 *  - "sebs-sourcemap.json": the bundle's source map, so an error names the benchmark's own frame
 *    ("function.js:10 in exports.handler") and not a line of the bundle;
 *  - node built-ins (node:*), which the runtime provides under the nodejs_compat flag.
 *
 * A SeBS-Flow workflow's function (SEBS_WORKFLOW_FUNCTION=<name>) runs function/<name>.js instead, and its whole return
 * value is the result's output, as in the HTTP wrapper; the platform's sebs-functions.js names the files it can load.
 *
 * Protocol (as the HTTP wrapper's, ../../http/nodejs/handler.js):
 *  - POST <any path> with a JSON event -> 200 with begin/end/income_timestamp (epoch seconds, 6 decimals),
 *    is_cold, container_id, request_id, result{output[, measurement]}; a thrown error or a rejection is
 *    "error" (with "traceback") in a 200 answer; 400 when the body is not JSON. GET /health -> 200.
 *  - container_id: made once per isolate; is_cold: true on the isolate's first invocation.
 *  - request_id: the cf-ray header (Cloudflare's), else X-Request-Id (what sebs-junit's client sends),
 *    else a fresh uuid.
 *  - x-sebs-cold-start: a request naming another value than the Worker's SEBS_COLD_START binding is refused
 *    unrun with 409 {stale: true} (an isolate of the version before an enforced cold start).
 *  - the Worker's env (its bindings) is globalThis.sebsCloudflareEnv while the function runs, for the function-side
 *    storage modules (function/storage.js, function/nosql.js).
 *
 * Clock: Workers read time with Date.now() only, in whole milliseconds (and on Cloudflare's edge it only
 * advances on I/O); the timestamps have six decimals, of which the last three are zero. A test's injected
 * clock shift (SEBS_CLOCK_OFFSET_MS) is added to them, rounded to the millisecond.
 */
import { Buffer } from 'node:buffer';
import { createRequire } from 'node:module';
import process from 'node:process';
import sourceMap from 'sebs-sourcemap.json';
import functions from './sebs-functions.js';

// esbuild's bundle calls a global require for modules it leaves out (node built-ins a benchmark requires).
globalThis.require = globalThis.require || createRequire('/bundle/worker.js');
globalThis.Buffer = globalThis.Buffer || Buffer;
globalThis.process = globalThis.process || process;

// Made on the isolate's first request: Workers allow no random values in global scope.
let containerId = null;
let functionModule = null;

/**
 * The shift of this isolate's clock that tests inject (SEBS_CLOCK_OFFSET_MS, as the HTTP wrapper applies it), in
 * whole milliseconds: the function's timestamps are taken as if its wall clock were that far ahead.
 */
function clockOffsetMs() {
  const raw = String((process.env && process.env.SEBS_CLOCK_OFFSET_MS) || '').trim();
  const ms = raw === '' ? 0 : Number(raw);
  if (!Number.isFinite(ms)) throw new TypeError(`SEBS_CLOCK_OFFSET_MS is not a number: '${raw}'`);
  return Math.round(ms);
}

function timestamp(ms) {
  const shifted = ms + clockOffsetMs();
  return `${Math.floor(shifted / 1000)}.${String(((shifted % 1000) + 1000) % 1000).padStart(3, '0')}000`;
}

/** One function of a SeBS-Flow workflow (SEBS_WORKFLOW_FUNCTION), or '' for the benchmark's function.js. */
function workflowFunction() {
  return String((process.env && process.env.SEBS_WORKFLOW_FUNCTION) || '').trim();
}

function loadFunction() {
  if (functionModule === null) {
    const name = workflowFunction() || 'function';
    // sebs-functions.js (written by the platform) requires each top-level file of function/ on demand: a bundle
    // cannot require by a computed name, and the benchmark's code runs on the first invocation, as on the other
    // wrappers
    const load = functions[name];
    if (typeof load !== 'function') {
      throw new TypeError(`function/${name}.js is not in the Worker's bundle (it has: ${Object.keys(functions).join(', ')})`);
    }
    const loaded = load();
    // CommonJS exports.handler, or an ES module's default export holding it (as the HTTP wrapper accepts)
    const mod = loaded && typeof loaded.handler === 'function' ? loaded
      : loaded && loaded.default && typeof loaded.default.handler === 'function' ? loaded.default : null;
    if (mod === null) {
      throw new TypeError(`function/${name}.js does not export a handler(event) function`);
    }
    functionModule = mod;
  }
  return functionModule;
}

// --- where in the benchmark's code an error happened: the bundle's frames through its source map ---

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
let decodedLines = null;

/** The source map's mappings as, per bundle line, segments [column, source, line, column] (0-based). */
function mappings() {
  if (decodedLines !== null) return decodedLines;
  decodedLines = [];
  const state = [0, 0, 0, 0];
  for (const line of String(sourceMap.mappings || '').split(';')) {
    state[0] = 0;
    const segments = [];
    for (const segment of line.split(',')) {
      if (segment === '') continue;
      const values = [];
      let value = 0;
      let shift = 0;
      for (const ch of segment) {
        const digit = BASE64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
        } else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      for (let i = 0; i < values.length && i < 4; i++) state[i] += values[i];
      if (values.length >= 4) segments.push(state.slice());
    }
    decodedLines.push(segments);
  }
  return decodedLines;
}

/** The original place of a bundle position (1-based line and column, as in a stack), or null. */
function originalPosition(line, column) {
  const segments = mappings()[line - 1] || [];
  let found = null;
  for (const s of segments) {
    if (s[0] <= column - 1) found = s; else break;
  }
  if (found === null) return null;
  const source = String((sourceMap.sources || [])[found[1]] || '');
  const at = source.lastIndexOf('function/');
  // file: relative to function/ (null outside it, e.g. this wrapper); shown: as a stack names it
  const file = at >= 0 ? source.substring(at + 'function/'.length) : null;
  const shown = file !== null ? `function/${file}` : source.substring(source.lastIndexOf('/') + 1);
  return { file, shown, line: found[2] + 1, column: found[3] + 1 };
}

const FRAME = /^(\s*at (?:async )?(?:(.*?) \()?)([^()\s]+?):(\d+):(\d+)(\)?\s*)$/;

/** The stack with every bundle frame replaced by its place in the original files. */
function originalStack(stack) {
  return String(stack || '').split('\n').map((text) => {
    const m = FRAME.exec(text);
    const place = m ? originalPosition(Number(m[4]), Number(m[5])) : null;
    return place ? `${m[1]}${place.shown}:${place.line}:${place.column}${m[6]}` : text;
  }).join('\n');
}

/** The innermost frame in the benchmark's own code, as "function.js:12 in handler"; null when none. */
function userFrame(stack) {
  for (const text of String(stack || '').split('\n')) {
    const m = FRAME.exec(text);
    const place = m ? originalPosition(Number(m[4]), Number(m[5])) : null;
    if (place && place.file !== null && !place.file.includes('node_modules/')) {
      return `${place.file}:${place.line} in ${m[2] || '<anonymous>'}`;
    }
  }
  return null;
}

function describeError(err) {
  if (err instanceof Error || (err && typeof err === 'object' && 'message' in err)) {
    const name = err.name || (err.constructor && err.constructor.name) || 'Error';
    const where = userFrame(err.stack);
    return {
      error: `${name}: ${err.message}${where ? ` (at ${where})` : ''}`,
      traceback: typeof err.stack === 'string' ? originalStack(err.stack) : `${name}: ${err.message}`,
    };
  }
  return { error: `Error: ${String(err)}`, traceback: `thrown value: ${String(err)}` };
}

// --- the fetch handler ---

async function invoke(event, requestId, incomeMs) {
  const isCold = containerId === null;
  if (isCold) containerId = crypto.randomUUID().replace(/-/g, '');
  const answer = {
    begin: null, end: null, income_timestamp: timestamp(incomeMs), is_cold: isCold,
    container_id: containerId, request_id: requestId,
  };
  const begin = Date.now();
  let ret;
  try {
    ret = await loadFunction().handler(event);
  } catch (err) {
    answer.begin = timestamp(begin);
    answer.end = timestamp(Date.now());
    return Object.assign(answer, describeError(err));
  }
  answer.begin = timestamp(begin);
  answer.end = timestamp(Date.now());
  if (workflowFunction()) {
    // a workflow's function: its whole return value is the next state's payload
    answer.result = { output: ret === undefined ? null : ret };
  } else if (ret !== null && typeof ret === 'object' && !Array.isArray(ret)
      && Object.prototype.hasOwnProperty.call(ret, 'result')) {
    answer.result = { output: ret.result === undefined ? null : ret.result };
    if (ret.measurement !== undefined && ret.measurement !== null) answer.result.measurement = ret.measurement;
  } else {
    answer.result = { output: ret === undefined ? null : ret };
  }
  return answer;
}

function json(status, body) {
  let text;
  try {
    text = JSON.stringify(body);
  } catch (err) {
    const copy = Object.assign({}, body);
    delete copy.result;
    copy.error = `${(err && err.name) || 'Error'}: function result is not JSON-serializable: ${err && err.message}`;
    text = JSON.stringify(copy);
  }
  return new Response(text, { status, headers: { 'Content-Type': 'application/json' } });
}

export default {
  async fetch(request, env) {
    const incomeMs = Date.now();
    // the Worker's bindings (R2 buckets, the NoSQL service) for the function-side modules: function/storage.js and
    // function/nosql.js read them from here, as the benchmark's code has no env of its own (SeBS's interface)
    globalThis.sebsCloudflareEnv = env;
    const path = new URL(request.url).pathname.replace(/\/+$/, '');
    if (request.method === 'GET') {
      return path === '/health'
        ? json(200, { status: 'ok' })
        : json(404, { error: `not found: GET ${path} (use GET /health or POST an event)` });
    }
    if (request.method !== 'POST') {
      return json(405, { error: `method ${request.method} not supported (use GET /health or POST an event)` });
    }
    // an enforced cold start on Cloudflare (platform cloudflare): the request names the version it must reach
    // (x-sebs-cold-start = that version's SEBS_COLD_START binding); an isolate of an older version, still serving
    // while the new one propagates, refuses it without running the function, and the platform sends it again
    const wanted = request.headers.get('x-sebs-cold-start');
    if (wanted !== null && wanted !== String((env && env.SEBS_COLD_START) || '')) {
      return json(409, { stale: true, error: `stale isolate: this version's SEBS_COLD_START is not '${wanted}'` });
    }
    let event;
    try {
      event = JSON.parse(await request.text());
    } catch (err) {
      return json(400, { error: `the request body is not valid JSON: ${err.message}` });
    }
    const requestId = (request.headers.get('cf-ray') || request.headers.get('x-request-id') || '').trim()
      || crypto.randomUUID();
    return json(200, await invoke(event, requestId, incomeMs));
  },
};
