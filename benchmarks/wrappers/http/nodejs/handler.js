'use strict';
/*
 * sebs-junit local platform: HTTP wrapper around a Node.js benchmark function.
 *
 * One wrapper process = one function instance. The package directory (the working directory) holds
 * this file, function/function.js (exports.handler = async (event) => ...) and maybe node_modules.
 *
 * Protocol (kept identical to ../python/handler.py):
 *  - environment: SEBS_INSTANCE_DIR (scratch + cold marker), SEBS_FUNCTION_NAME (informational),
 *    SEBS_MEMORY_MB / SEBS_ENFORCE_MEMORY (ignored by Node), SEBS_CLOCK_OFFSET_MS (added to every
 *    timestamp this wrapper reports AND to the wall clock the function reads, see "Clock shift").
 *    SEBS_TMP is set to the instance directory for the function.
 *    SEBS_WORKFLOW_FUNCTION=<name>: one function of a SeBS-Flow workflow; loads function/<name>.js
 *    and returns the handler's whole return value as result.output (the next state's payload).
 *  - listens on 127.0.0.1:<ephemeral>, prints exactly "SEBS_LISTENING <port>" on stdout.
 *  - exits as soon as stdin ends (the parent keeps it open and never writes to it).
 *  - POST <any path> with a JSON event -> 200 with begin/end/income_timestamp/is_cold/container_id/
 *    request_id/result{output[, measurement]}; 500 with error/traceback when the function throws or
 *    rejects; 400 when the body is not JSON. GET /health -> 200 {"status": "ok"}.
 *
 * Clock: wall-clock epoch nanoseconds as BigInt = process.hrtime.bigint() (monotonic, nanosecond
 * resolution) plus an offset fixed once at startup by anchoring to Date.now() at the instant its
 * millisecond value ticks over (a busy wait of at most about 1 ms): at that edge Date.now() * 1e6 is
 * the wall clock to within a loop iteration, so the anchor is good to a few microseconds. A plain
 * Date.now() anchor would be up to 1 ms late, and performance.timeOrigin + performance.now() ran
 * 0.1-0.2 ms ahead of the wall clock here; it stays as the fallback if no clean edge shows up within
 * 20 ms.
 * Timestamps are then formatted with integer arithmetic: "<seconds>.<6 digits>".
 *
 * Clock shift: with a non-zero SEBS_CLOCK_OFFSET_MS the process behaves as if its wall clock were that
 * far ahead of the host's (negative: behind), so a clock-synchronisation test can check an offset
 * estimate against a known truth. Before the function loads, the wrapper replaces the global Date by
 * a Date whose now(), new Date() and Date() read the shifted clock (dates built from arguments are
 * untouched; instanceof Date still holds for all dates), and gives performance an own timeOrigin
 * shifted by the offset, so performance.timeOrigin + performance.now() is the shifted wall clock too.
 * Date.now() stays an integer that ticks when the SHIFTED time crosses a millisecond, also for
 * fractional offsets. performance.now() and process.hrtime are durations and stay as they are. The
 * wrapper's own begin/end/income_timestamp use the host clock (anchored before the shift) plus the
 * offset, so they are shifted exactly once. With offset 0 nothing is replaced.
 *
 * Node 18+, core modules only.
 */

const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { performance } = require('perf_hooks');
const { pathToFileURL } = require('url');

function fail(message) {
  process.stderr.write(`sebs wrapper: ${message}\n`);
  process.exit(2);
}

const CLOCK_OFFSET_NS = (() => {
  const raw = (process.env.SEBS_CLOCK_OFFSET_MS || '').trim();
  if (raw === '') return 0n;
  const ms = Number(raw);
  if (!Number.isFinite(ms)) fail(`SEBS_CLOCK_OFFSET_MS is not a number: '${raw}'`);
  return BigInt(Math.round(ms * 1e6));
})();

// wall-clock ns = process.hrtime.bigint() + HR_TO_WALL_NS (see "Clock" above)
const HR_TO_WALL_NS = (() => {
  const deadline = process.hrtime.bigint() + 20000000n;
  let previous = Date.now();
  let previousMid = process.hrtime.bigint();
  for (;;) {
    const before = process.hrtime.bigint();
    const ms = Date.now();
    const after = process.hrtime.bigint();
    const mid = (before + after) / 2n;
    if (ms !== previous) {
      // A clean edge: exactly one millisecond later, this read and the previous one each quick and close
      // together, so the tick happened within a few microseconds of both (a descheduling between the two
      // reads would otherwise make the anchor late by up to a scheduler time slice).
      if (ms === previous + 1 && after - before < 20000n && mid - previousMid < 20000n) {
        return BigInt(ms) * 1000000n - (previousMid + mid) / 2n;
      }
      previous = ms;
    }
    previousMid = mid;
    if (after > deadline) {
      const hr = process.hrtime.bigint();
      return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n - hr;
    }
  }
})();

function nowNs() {
  return process.hrtime.bigint() + HR_TO_WALL_NS + CLOCK_OFFSET_NS;
}

// See "Clock shift" above. Runs after HR_TO_WALL_NS was anchored on the host's Date.now().
function shiftFunctionClocks() {
  if (CLOCK_OFFSET_NS === 0n) return;
  const HostDate = Date;
  const shiftedMs = () => Number(nowNs() / 1000000n);
  function ShiftedDate(...args) {
    if (new.target === undefined) return new HostDate(shiftedMs()).toString();
    return Reflect.construct(HostDate, args.length === 0 ? [shiftedMs()] : args, new.target);
  }
  Object.setPrototypeOf(ShiftedDate, HostDate); // Date.parse, Date.UTC, ...
  ShiftedDate.prototype = HostDate.prototype; // instanceof Date for every date
  ShiftedDate.now = shiftedMs;
  globalThis.Date = ShiftedDate;
  // the shifted wall clock (anchored to the microsecond) minus the time since the origin
  const origin = Number(nowNs()) / 1e6 - performance.now();
  Object.defineProperty(performance, 'timeOrigin', { value: origin, enumerable: true, configurable: true });
}
shiftFunctionClocks();

function fmtTimestamp(ns) {
  const micros = ns / 1000n;
  return `${micros / 1000000n}.${(micros % 1000000n).toString().padStart(6, '0')}`;
}

const INSTANCE_DIR = (() => {
  let dir = (process.env.SEBS_INSTANCE_DIR || '').trim();
  if (dir === '') {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sebs-instance-'));
    process.stderr.write(`sebs wrapper: SEBS_INSTANCE_DIR not set, using ${dir}\n`);
  }
  dir = path.resolve(dir);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
})();
const COLD_MARKER = path.join(INSTANCE_DIR, '.sebs-cold-marker');
process.env.SEBS_TMP = INSTANCE_DIR;

// The container id once the marker was read or written: later invocations of this process are warm, and need no
// file system call on their path.
let knownContainerId = null;

function coldStart() {
  if (knownContainerId !== null) {
    return { isCold: false, containerId: knownContainerId };
  }
  if (fs.existsSync(COLD_MARKER)) {
    knownContainerId = fs.readFileSync(COLD_MARKER, 'utf8').trim();
    return { isCold: false, containerId: knownContainerId };
  }
  const containerId = crypto.randomUUID().replace(/-/g, '');
  fs.writeFileSync(COLD_MARKER, containerId);
  knownContainerId = containerId;
  return { isCold: true, containerId };
}

let functionModule = null;
// One function of a workflow (SeBS-Flow): function/<name>.js, whose return value is passed on whole.
const WORKFLOW_FUNCTION = (process.env.SEBS_WORKFLOW_FUNCTION || '').trim();

async function loadFunction() {
  if (functionModule === null) {
    const file = path.join(__dirname, 'function', WORKFLOW_FUNCTION || 'function');
    let mod;
    try {
      mod = require(file);
    } catch (e) {
      if (e && e.code === 'ERR_REQUIRE_ESM') {
        // function.js is an ES module (package.json "type": "module"): load it the ESM way.
        const esm = await import(pathToFileURL(require.resolve(file)).href);
        mod = typeof esm.handler === 'function' ? esm : (esm.default || esm);
      } else {
        throw e;
      }
    }
    if (!mod || typeof mod.handler !== 'function') {
      throw new TypeError(`function/${WORKFLOW_FUNCTION || 'function'}.js does not export a handler(event) function`);
    }
    functionModule = mod;
  }
  return functionModule;
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

function describeError(err) {
  if (err instanceof Error || (err && typeof err === 'object' && 'message' in err)) {
    const name = err.name || (err.constructor && err.constructor.name) || 'Error';
    return {
      error: errorLine(name, err.message, err.stack),
      traceback: typeof err.stack === 'string' ? err.stack : `${name}: ${err.message}`,
    };
  }
  // Something that is not an Error was thrown (a string, a number, ...).
  return { error: `Error: ${String(err)}`, traceback: `thrown value: ${String(err)}` };
}

// Only one invocation of the function runs at a time, whatever the number of open connections: the others wait in
// arrival order. An idle wrapper starts a job at once, without a hop through a promise chain.
let busy = false;
const waiting = [];
function serialized(job) {
  if (busy) {
    waiting.push(job);
    return;
  }
  busy = true;
  runJob(job);
}
function runJob(job) {
  job().catch((err) => {
    process.stderr.write(`sebs wrapper: cannot answer an invocation: ${(err && err.stack) || err}\n`);
  }).finally(() => {
    const next = waiting.shift();
    if (next === undefined) busy = false;
    else runJob(next);
  });
}

async function invoke(event, requestId, incomeNs) {
  const { isCold, containerId } = coldStart();
  const answer = {
    begin: null,
    end: null,
    income_timestamp: fmtTimestamp(incomeNs),
    is_cold: isCold,
    container_id: containerId,
    request_id: requestId,
  };
  const begin = nowNs();
  let ret;
  try {
    const mod = functionModule !== null ? functionModule : await loadFunction();
    ret = await mod.handler(event);
  } catch (err) {
    const end = nowNs();
    answer.begin = fmtTimestamp(begin);
    answer.end = fmtTimestamp(end);
    return { status: 500, answer: Object.assign(answer, describeError(err)) };
  }
  const end = nowNs();
  answer.begin = fmtTimestamp(begin);
  answer.end = fmtTimestamp(end);
  let result;
  if (ret !== null && typeof ret === 'object' && !Array.isArray(ret) && !WORKFLOW_FUNCTION
      && Object.prototype.hasOwnProperty.call(ret, 'result')) {
    result = { output: ret.result === undefined ? null : ret.result };
    if (ret.measurement !== undefined && ret.measurement !== null) result.measurement = ret.measurement;
  } else {
    result = { output: ret === undefined ? null : ret };
  }
  answer.result = result;
  return { status: 200, answer };
}

function sendJson(res, status, obj) {
  let body;
  try {
    body = JSON.stringify(obj);
  } catch (err) {
    // The function returned something JSON cannot carry (a BigInt, a cycle, ...).
    const copy = Object.assign({}, obj);
    delete copy.result;
    copy.error = `${(err && err.name) || 'Error'}: function result is not JSON-serializable: ${
      err && err.message}`;
    copy.traceback = describeError(err).traceback;
    status = 500;
    body = JSON.stringify(copy);
  }
  // A string body goes out with the head in one write; a Buffer would be a separate chunk of a writev.
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body, 'utf8') });
  res.end(body, 'utf8');
}

const server = http.createServer((req, res) => {
  const incomeNs = nowNs();
  if (req.method === 'GET') {
    req.resume();
    if ((req.url || '/').split('?')[0].replace(/\/+$/, '') === '/health') {
      sendJson(res, 200, { status: 'ok' });
    } else {
      sendJson(res, 404, { error: `not found: GET ${req.url} (use GET /health or POST an event)` });
    }
    return;
  }
  if (req.method !== 'POST') {
    req.resume();
    sendJson(res, 405, { error: `method ${req.method} not supported (use GET /health or POST an event)` });
    return;
  }
  // The body is mostly one chunk: kept as it is, concatenated only when there are more.
  let first = null;
  let chunks = null;
  req.on('data', (chunk) => {
    if (first === null) first = chunk;
    else if (chunks === null) chunks = [first, chunk];
    else chunks.push(chunk);
  });
  req.on('error', () => {});
  req.on('end', () => {
    let event;
    try {
      const raw = chunks !== null ? Buffer.concat(chunks) : first;
      event = JSON.parse(raw === null ? '' : raw.toString('utf8'));
    } catch (err) {
      sendJson(res, 400, { error: `the request body is not valid JSON: ${err.message}` });
      return;
    }
    const header = req.headers['x-request-id'];
    const requestId = (typeof header === 'string' && header.trim()) || crypto.randomUUID();
    serialized(() => invoke(event, requestId, incomeNs).then(
      ({ status, answer }) => sendJson(res, status, answer),
      (err) => {
        // The wrapper itself failed (e.g. the instance directory vanished).
        const { error, traceback } = describeError(err);
        sendJson(res, 500, {
          income_timestamp: fmtTimestamp(incomeNs),
          request_id: requestId,
          error: `wrapper failure: ${error}`,
          traceback,
        });
      }));
  });
});

// Idle keep-alive connections stay open until the client closes them: Node's default 5 s idle
// timeout would race with clients (such as Java's HttpClient) reusing a pooled connection.
server.keepAliveTimeout = 0;
server.requestTimeout = 0;

// Exit as soon as the parent goes away (stdin reaches EOF).
let stdinBroken = false;
process.stdin.on('data', () => {});
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => { if (!stdinBroken) process.exit(0); });
process.stdin.on('error', (err) => {
  stdinBroken = true;
  process.stderr.write(`sebs wrapper: cannot watch stdin (${err.message}), parent death goes unnoticed\n`);
});
process.stdin.resume();

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`SEBS_LISTENING ${server.address().port}\n`);
});
