'use strict';
/*
 * Test harness for the orchestrator app's interpreter (sebs_workflow.js) without a Functions host: the modules it
 * requires (@azure/functions, durable-functions) are replaced by recorders, and its orchestration is driven as
 * Durable would drive it, answering each yielded task at once from a table of fake functions.
 *
 * Usage: node workflow_interpreter_harness.js SCRIPT_DIR SCENARIO_JSON
 * SCRIPT_DIR holds sebs_workflow.js and definition.json; the scenario is {"input": payload}. Fake functions, by
 * func_name: inc ({n} -> {n + 1}), echo (the payload), fail (ValueError: planned failure), fail_late (the same,
 * ending 1 s later), list ({xs: [1, 2, 3]}), empty ({xs: []}). Each execution gets a fake record whose begin and
 * end follow a clock advanced 10 ms per execution. Prints the orchestration's output (or its thrown error) as
 * one JSON line: {"output": ...} or {"thrown": message}.
 */
const fs = require('fs');
const Module = require('module');
const path = require('path');

const [scriptDir, scenarioFile] = process.argv.slice(2);
const scenario = JSON.parse(fs.readFileSync(scenarioFile, 'utf8'));

let orchestrator = null;
const stubs = {
  '@azure/functions': { app: { http() {} } },
  'durable-functions': {
    app: {
      orchestration(name, handler) { orchestrator = handler; },
      activity() {},
    },
    input: { durableClient() { return {}; } },
  },
};
const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  return Object.prototype.hasOwnProperty.call(stubs, request) ? stubs[request] : originalLoad.call(this, request, parent, isMain);
};
require(path.join(scriptDir, 'sebs_workflow.js'));

let clock = 1700000000;
let sequence = 0;
function fake(func, state, payload) {
  clock += 0.01;
  sequence += 1;
  const record = { func, state, request_id: `inv-${sequence}`, begin: clock.toFixed(6), is_cold: false, container_id: 'c' };
  const end = (later) => (clock + later).toFixed(6);
  switch (func) {
    case 'inc': return { output: { ...payload, n: payload.n + 1 }, record: { ...record, end: end(0.005) } };
    case 'echo': return { output: payload, record: { ...record, end: end(0.005) } };
    case 'list': return { output: { ...payload, xs: [1, 2, 3] }, record: { ...record, end: end(0.005) } };
    case 'empty': return { output: { ...payload, xs: [] }, record: { ...record, end: end(0.005) } };
    case 'fail':
    case 'fail_late': {
      const error = `ValueError: planned failure of ${state}`;
      return { error, record: { ...record, end: end(func === 'fail' ? 0.005 : 1), error } };
    }
    default: throw new Error(`the harness has no fake function ${func}`);
  }
}

/** Runs one orchestration to its end, answering activities at once and sub-orchestrations recursively. */
function run(input) {
  const context = {
    df: {
      getInput: () => input,
      callActivity: (name, activityInput) => ({ kind: 'activity', input: activityInput }),
      callSubOrchestrator: (name, subInput) => ({ kind: 'sub', input: subInput }),
      Task: {
        all: (tasks) => {
          if (tasks.length === 0) throw new Error('When constructing a CompoundTask, you must specify at least one Task.');
          return { kind: 'all', tasks };
        },
      },
    },
  };
  const answer = (task) => (task.kind === 'activity' ? fake(task.input.func, task.input.state, task.input.payload)
    : task.kind === 'sub' ? run(task.input) : task.tasks.map(answer));
  const generator = orchestrator(context);
  let step = generator.next();
  while (!step.done) step = generator.next(answer(step.value));
  return step.value;
}

try {
  process.stdout.write(`${JSON.stringify({ output: run({ payload: scenario.input, request_id: 'run-1' }) })}\n`);
} catch (e) {
  process.stdout.write(`${JSON.stringify({ thrown: String(e && e.message) })}\n`);
}
