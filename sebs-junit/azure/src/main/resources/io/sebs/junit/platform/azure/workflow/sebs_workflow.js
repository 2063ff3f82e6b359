'use strict';
/*
 * sebs-junit's orchestrator app for SeBS-Flow workflows on Azure Durable Functions (Node.js, durable-functions 3.x).
 *
 * The app root holds host.json (the Durable extension through the extension bundle, the app's own task hub),
 * package.json (main: this file), node_modules and definition.json, the workflow's SeBS-Flow definition. Three
 * functions:
 *  - sebs_workflow (HTTP, POST, authLevel function): {"payload": ..., "request_id": id} starts the orchestration
 *    with instance id = request_id and waits for it, polling its status every 10 ms for the first 2 s (the poll
 *    interval is part of the measured time), then 1.5 times as long each time up to SEBS_WORKFLOW_POLL_MS (default
 *    100), at most SEBS_WORKFLOW_WAIT_SECONDS (default 220: Azure's front end ends HTTP requests after 230 s); it answers
 *    200 {instanceId, runtimeStatus, output} once the orchestration ended, or 202 {instanceId, runtimeStatus, error}
 *    after terminating one that did not end in time.
 *  - sebs_orchestrator (orchestration): interprets the definition as SeBS-Flow does (task, switch, map, loop, repeat,
 *    parallel; a task's failure transition gets the payload plus {"error": {"Error", "Cause"}}), with the data flow of
 *    sebs-junit's own engine. Maps and parallel branches fan out with Task.all: a branch of one task is an activity,
 *    a longer one a sub-orchestration of this same function on its part of the definition. Its output is
 *    {"output": payload, "last": last state's result, "records": [...]} or {"error": line, "records": [...]}: a
 *    function's failure ends the run through this output, not by failing the orchestration. Unlike sebs-junit's
 *    engine, a failure in one branch of a fan-out does not stop its siblings (Durable cannot cancel a started
 *    task): they run to their end and their records are kept; the run's failure is the earliest in time.
 *  - sebs_invoke (activity): calls one workflow function, deployed as a function app of its own, over HTTPS with
 *    its key (SEBS_WORKFLOW_FUNCTIONS: {"<func_name>": {"url", "key"}}), with the payload plus a fresh "request-id"
 *    when it is an object. The function's wrapper answers sebs-junit's function contract; the activity returns
 *    {"output"} or {"error"} with the record {func, state, request_id (Azure's invocation id), begin, end, is_cold,
 *    container_id[, error]} (times as the wrapper wrote them, on the function's clock).
 * Orchestrator code must be deterministic: it only reads its input, the definition and activity results, so every
 * replay takes the same path.
 */

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { app } = require('@azure/functions');
const df = require('durable-functions');

const ORCHESTRATOR = 'sebs_orchestrator';
const ACTIVITY = 'sebs_invoke';
const MAX_TRANSITIONS = 100000;
const DEFINITION = JSON.parse(fs.readFileSync(path.join(__dirname, 'definition.json'), 'utf8'));
const FIRST_POLL_MS = 10;
const FAST_POLLING_MS = 2000;
const POLL_MS = Math.max(FIRST_POLL_MS, Number(process.env.SEBS_WORKFLOW_POLL_MS || 100));
const WAIT_MS = 1000 * Math.max(1, Number(process.env.SEBS_WORKFLOW_WAIT_SECONDS || 220));
const ENDED = ['Completed', 'Failed', 'Terminated', 'Canceled'];

function functions() {
  try {
    return JSON.parse(process.env.SEBS_WORKFLOW_FUNCTIONS || '{}');
  } catch (e) {
    throw new Error(`SEBS_WORKFLOW_FUNCTIONS is not JSON: ${e.message}`);
  }
}

// ------------------------------------------------------------------------------------------------ the starter

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const jsonAnswer = (status, body) => ({ status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

app.http('sebs_workflow', {
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [df.input.durableClient()],
  handler: async (request, context) => {
    let body;
    try {
      body = JSON.parse(await request.text());
    } catch (e) {
      body = undefined;
    }
    if (!body || typeof body !== 'object' || !('payload' in body)) {
      return jsonAnswer(400, { error: 'the request body must be {"payload": ..., "request_id": ...}' });
    }
    // the instance id: letters, digits, '-', '_' and '.' only (Durable's ids appear in URLs)
    const requestId = /^[A-Za-z0-9._-]{1,100}$/.test(String(body.request_id || '')) ? String(body.request_id)
      : crypto.randomUUID();
    const client = df.getClient(context);
    const instanceId = await client.startNew(ORCHESTRATOR, {
      instanceId: requestId,
      input: { payload: body.payload, request_id: requestId },
    });
    const started = Date.now();
    const deadline = started + WAIT_MS;
    let pause = FIRST_POLL_MS;
    for (;;) {
      let status;
      try {
        status = await client.getStatus(instanceId, { showHistory: false, showInput: false });
      } catch (e) {
        // a transient failure of the task hub's storage: the orchestration goes on, so does the wait
        context.warn(`cannot read the status of ${instanceId}: ${e}`);
        status = undefined;
      }
      const runtimeStatus = status ? String(status.runtimeStatus) : 'Unknown';
      if (ENDED.includes(runtimeStatus)) {
        return jsonAnswer(200, { instanceId, runtimeStatus, output: status.output === undefined ? null : status.output });
      }
      if (Date.now() >= deadline) {
        const error = `the orchestration did not end within ${WAIT_MS / 1000} s (SEBS_WORKFLOW_WAIT_SECONDS), so it was`
          + ' terminated: Azure\'s front end ends HTTP requests after 230 s';
        try {
          await client.terminate(instanceId, error);
        } catch (e) {
          context.error(`cannot terminate ${instanceId}: ${e}`);
        }
        return jsonAnswer(202, { instanceId, runtimeStatus, error });
      }
      await sleep(pause);
      if (Date.now() - started > FAST_POLLING_MS) pause = Math.min(Math.ceil(pause * 1.5), POLL_MS);
    }
  },
});

// ------------------------------------------------------------------------------------------------ the activity

df.app.activity(ACTIVITY, {
  handler: async (input) => {
    const target = functions()[input.func];
    if (!target || !target.url) {
      return { error: `the orchestrator app has no URL for function ${input.func} (SEBS_WORKFLOW_FUNCTIONS)` };
    }
    let event = input.payload;
    if (event !== null && typeof event === 'object' && !Array.isArray(event)) {
      event = Object.assign({}, event, { 'request-id': crypto.randomUUID() });
    }
    let response;
    let text;
    try {
      response = await fetch(target.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'x-functions-key': target.key || '' },
        body: JSON.stringify(event === undefined ? null : event),
      });
      text = await response.text();
    } catch (e) {
      return { error: `the request to function ${input.func} failed: ${(e && e.cause) || e}` };
    }
    let answer;
    try {
      answer = JSON.parse(text);
    } catch (e) {
      answer = undefined;
    }
    if (!answer || typeof answer !== 'object' || !('result' in answer || 'error' in answer)) {
      const status = response.status === 429 ? 'HTTP 429 (throttled: no instance available)' : `HTTP ${response.status}`;
      return { error: `function ${input.func} answered ${status}: ${String(text).slice(0, 300)}` };
    }
    const record = {
      func: input.func, state: input.state, request_id: String(answer.request_id || ''), begin: answer.begin,
      end: answer.end, is_cold: answer.is_cold === true, container_id: String(answer.container_id || ''),
    };
    if (answer.error) {
      record.error = String(answer.error);
      return { error: record.error, record };
    }
    return { output: answer.result && 'output' in answer.result ? answer.result.output : null, record };
  },
});

// ------------------------------------------------------------------------------------------------ the orchestrator

class WorkflowFailure extends Error {}

df.app.orchestration(ORCHESTRATOR, function* orchestrate(context) {
  const input = context.df.getInput() || {};
  const definition = input.definition || DEFINITION;
  const run = { requestId: input.request_id, records: [], transitions: 0 };
  try {
    const outcome = yield* walk(context, definition, input.payload, run);
    return { output: outcome.payload, last: outcome.last, records: run.records };
  } catch (e) {
    if (e instanceof WorkflowFailure) {
      return { error: e.message, records: run.records };
    }
    throw e;
  }
});

/** Walks one (sub-)definition from its root; returns the payload after its last state and that state's result. */
function* walk(context, definition, payload, run) {
  let name = definition.root;
  let last = payload;
  while (name) { // no next state (absent, null or "") ends the (sub-)definition, as WorkflowDefinition reads it
    const state = definition.states[name];
    if (!state) throw new WorkflowFailure(`the definition has no state '${name}'`);
    run.transitions += 1;
    if (run.transitions > MAX_TRANSITIONS) {
      throw new WorkflowFailure(`the run entered more than ${MAX_TRANSITIONS} states (the last: '${name}'): the`
        + ' definition\'s transitions form a cycle that never ends');
    }
    let next;
    switch (state.type) {
      case 'task': {
        const result = yield* execute(context, state.func_name, name, payload, run);
        if (result.error === undefined) {
          payload = result.output;
          next = state.next;
        } else if (state.failure) {
          payload = withError(payload, result.error);
          next = state.failure;
        } else {
          throw new WorkflowFailure(failed(state.func_name, name, result.error));
        }
        last = payload;
        break;
      }
      case 'switch':
        next = choose(state, name, payload);
        break;
      case 'repeat':
        for (let i = 0; i < state.count; i++) {
          const result = yield* execute(context, state.func_name, name, payload, run);
          if (result.error !== undefined) {
            throw new WorkflowFailure(failed(state.func_name, `${name} (repetition ${i + 1} of ${state.count})`, result.error));
          }
          payload = result.output;
        }
        last = payload;
        next = state.next;
        break;
      case 'loop':
        for (const element of array(payload, state.array, name)) {
          const result = yield* execute(context, state.func_name, name, element, run);
          if (result.error !== undefined) throw new WorkflowFailure(failed(state.func_name, name, result.error));
        }
        last = payload;
        next = state.next;
        break;
      case 'map': {
        const params = commonParams(state.common_params);
        const inputs = array(payload, state.array, name).map((element) => {
          if (params.length === 0) return element;
          const elementInput = { array_element: element };
          for (const param of params) elementInput[param] = getVar(payload, param, name);
          return elementInput;
        });
        const body = { root: state.root, states: state.states };
        const outcomes = yield* concurrently(context, inputs.map((i) => ({ definition: body, payload: i })), run);
        const results = outcomes.map((o) => o.payload);
        payload = setVar(payload, state.array, results, name);
        last = results;
        next = state.next;
        break;
      }
      case 'parallel': {
        const branches = state.parallel_functions;
        const outcomes = yield* concurrently(context,
          branches.map((b) => ({ definition: b, payload: JSON.parse(JSON.stringify(payload)) })), run);
        const merged = {};
        branches.forEach((b, i) => { merged[b.root] = outcomes[i].last; });
        payload = merged;
        last = merged;
        next = state.next;
        break;
      }
      default:
        throw new WorkflowFailure(`state '${name}' has unknown type '${state.type}'`);
    }
    name = next;
  }
  return { payload, last };
}

/** One function execution through the activity; its record joins the run's. */
function* execute(context, func, state, payload, run) {
  const result = yield context.df.callActivity(ACTIVITY, { func, state, payload, request_id: run.requestId });
  if (result.record) run.records.push(result.record);
  return result;
}

/**
 * Runs each {definition, payload} at once: a definition of one task (no transition) as one activity, any other as a
 * sub-orchestration. Fails with the first failed element's error (in element order) once all ended.
 */
function* concurrently(context, parts, run) {
  if (parts.length === 0) return []; // a map over an empty list (Task.all refuses an empty one)
  const tasks = parts.map((part) => {
    const single = singleTask(part.definition);
    if (single) {
      return context.df.callActivity(ACTIVITY, {
        func: single.func_name, state: part.definition.root, payload: part.payload, request_id: run.requestId,
      });
    }
    return context.df.callSubOrchestrator(ORCHESTRATOR, {
      definition: part.definition, payload: part.payload, request_id: run.requestId,
    });
  });
  const results = yield context.df.Task.all(tasks);
  let failure;
  let failedAt = Infinity;
  const outcomes = results.map((result, i) => {
    const records = result.records || (result.record ? [result.record] : []);
    records.forEach((r) => run.records.push(r));
    const single = singleTask(parts[i].definition);
    if (result.error !== undefined) {
      // the run's failure is the one that happened first in time: the earliest end of a failed execution
      const ends = records.filter((r) => r.error).map((r) => Number(r.end)).filter((t) => !Number.isNaN(t));
      const at = ends.length ? Math.max(...ends) : Infinity;
      if (failure === undefined || at < failedAt) {
        failure = single ? failed(single.func_name, parts[i].definition.root, result.error) : result.error;
        failedAt = at;
      }
    }
    return single ? { payload: result.output, last: result.output } : { payload: result.output, last: result.last };
  });
  if (failure !== undefined) throw new WorkflowFailure(failure);
  return outcomes;
}

function singleTask(definition) {
  const root = definition.states[definition.root];
  return root && root.type === 'task' && !root.next && !root.failure && Object.keys(definition.states).length === 1
    ? root : null;
}

// ------------------------------------------------------------------------------------------------ data flow

function failed(func, state, error) {
  return `function ${func} (state ${state}) failed: ${error}`;
}

function commonParams(text) {
  return text ? String(text).split(',').map((p) => p.trim()).filter((p) => p.length > 0) : [];
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function abbreviate(value) {
  const text = JSON.stringify(value);
  return text === undefined ? 'undefined' : text.length <= 200 ? text : `${text.slice(0, 200)}...`;
}

/** The value at a dotted path of the payload, as SeBS-Flow's get_var reads it. */
function getVar(payload, varPath, state) {
  let node = payload;
  for (const key of String(varPath).split('.')) {
    if (!isObject(node) || !Object.prototype.hasOwnProperty.call(node, key)) {
      throw new WorkflowFailure(`state '${state}': the payload has no '${varPath}' (payload: ${abbreviate(payload)})`);
    }
    node = node[key];
  }
  return node;
}

/** The payload with value at a dotted path (copied, never changed). */
function setVar(payload, varPath, value, state) {
  if (!isObject(payload)) {
    throw new WorkflowFailure(`state '${state}': cannot store results at '${varPath}' in ${abbreviate(payload)}`);
  }
  const root = JSON.parse(JSON.stringify(payload));
  const keys = String(varPath).split('.');
  let node = root;
  for (const key of keys.slice(0, -1)) {
    if (!isObject(node[key])) {
      throw new WorkflowFailure(`state '${state}': cannot store results at '${varPath}' in ${abbreviate(payload)}`);
    }
    node = node[key];
  }
  node[keys[keys.length - 1]] = value;
  return root;
}

function array(payload, varPath, state) {
  const value = getVar(payload, varPath, state);
  if (!Array.isArray(value)) {
    throw new WorkflowFailure(`state '${state}': '${varPath}' in the payload is not a list but ${abbreviate(value)}`);
  }
  return value;
}

function deepEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
}

function choose(state, name, payload) {
  for (const c of state.cases) {
    const value = getVar(payload, c.var, name);
    let order;
    if (typeof value === 'number' && typeof c.val === 'number') {
      order = value < c.val ? -1 : value > c.val ? 1 : 0;
    } else if (typeof value === 'string' && typeof c.val === 'string') {
      order = value < c.val ? -1 : value > c.val ? 1 : 0;
    } else if (c.op === '==') {
      if (deepEqual(value, c.val)) return c.next;
      continue;
    } else {
      throw new WorkflowFailure(`switch state '${name}': cannot compare ${c.var} = ${abbreviate(value)} ${c.op} `
        + `${abbreviate(c.val)}`);
    }
    const holds = { '<': order < 0, '<=': order <= 0, '==': order === 0, '>=': order >= 0, '>': order > 0 }[c.op];
    if (holds) return c.next;
  }
  return state.default;
}

/** The payload a failure transition passes on: the failed function's input plus error {Error, Cause}. */
function withError(payload, error) {
  const line = String(error).split('\n')[0];
  const colon = line.indexOf(': ');
  const typed = colon > 0 && /^[A-Za-z_][\w.$]*$/.test(line.slice(0, colon));
  const errorNode = {
    Error: typed ? line.slice(0, colon) : 'Error',
    Cause: (typed ? line.slice(colon + 2) : line).replace(/ \(at [^()]*\)$/, ''),
  };
  const next = isObject(payload) ? JSON.parse(JSON.stringify(payload)) : { input: payload };
  next.error = errorNode;
  return next;
}
