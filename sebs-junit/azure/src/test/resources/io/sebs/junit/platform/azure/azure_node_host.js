'use strict';
/*
 * Test stand-in for the Azure Functions host and Node.js worker running a Node.js function app (v4 programming
 * model): serves the app's HTTP functions the way one Flex Consumption instance does.
 *
 * Usage: node azure_node_host.js --app APP_ROOT --port N
 *
 * The app's own @azure/functions (4.x, from its node_modules) does the work it does on Azure: the real worker
 * gives it the module "@azure/functions-core", through which the library registers its programming model and the
 * functions app.http declares; here that module is this host's (served to require() by a hook on module
 * loading), so the library's own code turns our requests into its HttpRequest and InvocationContext and the
 * handler's answer into an HTTP response. Loading: the app root's package.json "main" (a file; default index.js)
 * is required with the app root as working directory, then the programming model's capabilities are asked for,
 * as the worker does when it starts. Hooks registered with app.hook are accepted and not run; HTTP streaming
 * (app.setup({enableHttpStream: true})) is not supported.
 *
 * Serving: /api/<route or function name> with the trigger's methods (405 otherwise, 404 for an unknown route).
 * The header x-sebs-invocation-id carries the invocation id the front end chose (a fresh uuid when absent); it
 * becomes context.invocationId. A function that throws answers 500 with "Exception: <stack>" as the body (also on
 * stderr) and the process goes on serving. HTTP invocations run one at a time, in order. Listens on 127.0.0.1 only.
 *
 * Durable Functions (the durable-functions 3.x SDK): azure_durable_extension.js, beside this file, stands in for
 * the host's Durable extension. It takes the orchestrationTrigger and activityTrigger functions the SDK registers,
 * gives an HTTP function's durableClient input the extension's client data (its rpcBaseUrl is this port's
 * /durabletask/, which it serves: startNew, getStatus, terminate, purge), runs orchestrations in memory by full
 * replay of their history on each new batch of events, activities concurrently (up to maxConcurrentActivityFunctions)
 * and sub-orchestrations as child instances; these invocations do not wait for the HTTP queue. An app that uses
 * them fails at start without an extensionBundle of 4.x in host.json, or with a task hub name the extension
 * refuses. Timers, external events, entities, continueAsNew, callHttp and retries are not implemented: an
 * orchestration that asks for one fails naming it. Its header comment says more.
 */

const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const Module = require('module');
const path = require('path');

const { createDurableExtension } = require(path.join(__dirname, 'azure_durable_extension.js'));

const INVOCATION_HEADER = 'x-sebs-invocation-id';

function option(name) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || i + 1 >= process.argv.length) {
    console.error(`usage: node azure_node_host.js --app APP_ROOT --port N (missing --${name})`);
    process.exit(2);
  }
  return process.argv[i + 1];
}

const appRoot = path.resolve(option('app'));
const port = Number(option('port'));

// ------------------------------------------------------------------ the worker's API, @azure/functions-core

let programmingModel = null;
const functions = new Map(); // route (lower case) -> { metadata, callback, trigger, methods }
// Orchestrator and activity invocations run at once, beside the queue of HTTP invocations: an HTTP starter
// waits on its orchestration, which a shared queue would deadlock.
const durable = createDurableExtension({
  appRoot,
  port,
  invokeFunction: async (metadata, callback, inputData, triggerMetadata) =>
    (await runFunction(metadata, callback, crypto.randomUUID(), inputData, triggerMetadata)).result,
  log: (message) => console.error(message),
});

const core = {
  version: '3.12.0-sebs-stand-in',
  hostVersion: '4.1000.0-sebs-stand-in',
  setProgrammingModel(model) {
    programmingModel = model;
  },
  getProgrammingModel() {
    return programmingModel;
  },
  registerFunction(metadata, callback) {
    const durableFunction = durable.register(metadata, callback);
    if (durableFunction) {
      return durableFunction;
    }
    const trigger = Object.values(metadata.bindings || {}).find((b) => String(b.type).toLowerCase() === 'httptrigger');
    if (!trigger) {
      console.error(`sebs azure host: function ${metadata.name} has no httpTrigger binding (the stand-in serves HTTP and Durable Functions only); not served`);
      return { dispose() {} };
    }
    const route = String(trigger.route || metadata.name).replace(/^\/+|\/+$/g, '').toLowerCase();
    const methods = (trigger.methods && trigger.methods.length ? trigger.methods : ['GET', 'POST']).map((m) => String(m).toUpperCase());
    functions.set(route, { metadata, callback, trigger, methods });
    return { dispose() { functions.delete(route); } };
  },
  registerHook() {
    return { dispose() {} };
  },
  log(level, category, message) {
    (level === 'error' || level === 'warning' ? console.error : console.log)(`[${category}/${level}] ${message}`);
  },
  Disposable: class Disposable {
    constructor(callOnDispose) { this.callOnDispose = callOnDispose; }
    dispose() { if (this.callOnDispose) this.callOnDispose(); }
  },
};

const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  if (request === '@azure/functions-core') {
    return core;
  }
  return originalLoad.call(this, request, parent, isMain);
};

// ------------------------------------------------------------------ loading the app

function mainOf(root) {
  const packageJson = path.join(root, 'package.json');
  let main = 'index.js';
  if (fs.existsSync(packageJson)) {
    const declared = JSON.parse(fs.readFileSync(packageJson, 'utf8')).main;
    if (declared) main = declared;
  }
  if (/[*?{]/.test(main)) {
    throw new Error(`package.json's main is a glob (${main}): the stand-in loads one file`);
  }
  return path.resolve(root, main);
}

/**
 * Runs one invocation of a function through the app's programming model, as the worker does; resolves to the
 * invocation model, the context and what the handler returned.
 */
async function runFunction(metadata, callback, invocationId, inputData, triggerMetadata) {
  const coreCtx = {
    invocationId,
    state: undefined,
    metadata,
    request: { invocationId, functionId: metadata.name, inputData, triggerMetadata: triggerMetadata || {} },
    log(level, category, message) {
      core.log(level, category, message);
    },
  };
  const model = programmingModel.getInvocationModel(coreCtx);
  const { context, inputs } = await model.getArguments();
  coreCtx.state = 'invocation';
  const result = await model.invokeFunction(context, inputs, callback);
  coreCtx.state = undefined;
  return { model, context, result };
}

async function invoke(fn, invocationId, req, body) {
  const url = `http://${req.headers.host || `127.0.0.1:${port}`}${req.url}`;
  const headers = {};
  for (const [key, value] of Object.entries(req.headers)) {
    headers[key] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  const query = Object.fromEntries(new URL(url).searchParams);
  const inputData = [{
    name: fn.trigger.name,
    data: { http: { method: req.method, url, headers, query, params: {}, body: { bytes: body } } },
  }].concat(durable.clientInputs(fn.metadata));
  const { model, context, result } = await runFunction(fn.metadata, fn.callback, invocationId, inputData, {});
  return model.getResponse(context, result);
}

function send(res, status, headers, body) {
  res.writeHead(status, Object.assign({}, headers, { 'Content-Length': body.length }));
  res.end(body);
}

function bodyOf(data) {
  if (!data) return Buffer.alloc(0);
  if (data.bytes !== undefined && data.bytes !== null) return Buffer.from(data.bytes);
  if (data.string !== undefined && data.string !== null) return Buffer.from(String(data.string), 'utf8');
  if (data.json !== undefined && data.json !== null) return Buffer.from(String(data.json), 'utf8');
  return Buffer.alloc(0);
}

// One invocation at a time, as one worker process serves them in order here.
let queue = Promise.resolve();

async function serve(req, res) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = Buffer.concat(chunks);
  const pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname).replace(/^\/+|\/+$/g, '');
  if (durable.handles(pathname)) {
    const answer = durable.api(req.method, new URL(req.url, `http://${req.headers.host || `127.0.0.1:${port}`}`), body);
    const json = typeof answer.body !== 'string';
    send(res, answer.status, Object.assign({ 'Content-Type': json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8' }, answer.headers || {}),
      Buffer.from(json ? JSON.stringify(answer.body) : answer.body, 'utf8'));
    return;
  }
  const fn = pathname.toLowerCase().startsWith('api/') ? functions.get(pathname.slice(4).toLowerCase()) : undefined;
  if (!fn) {
    send(res, 404, { 'Content-Type': 'text/plain' }, Buffer.from(`no function at /${pathname}`));
    return;
  }
  if (!fn.methods.includes(req.method)) {
    send(res, 405, { 'Content-Type': 'text/plain', Allow: fn.methods.join(', ') },
      Buffer.from(`${fn.metadata.name} does not accept ${req.method}`));
    return;
  }
  const invocationId = String(req.headers[INVOCATION_HEADER] || '').trim() || crypto.randomUUID();
  const run = queue.then(() => invoke(fn, invocationId, req, body));
  queue = run.catch(() => undefined);
  let response;
  try {
    response = await run;
  } catch (e) {
    const text = (e && e.stack) || String(e);
    console.error(`Executed 'Functions.${fn.metadata.name}' (Failed, Id=${invocationId})\n${text}`);
    send(res, 500, { 'Content-Type': 'text/plain; charset=utf-8' }, Buffer.from(`Exception: ${text}`, 'utf8'));
    return;
  }
  const answer = response && response.returnValue && response.returnValue.http;
  if (!answer) {
    send(res, 204, {}, Buffer.alloc(0));
    return;
  }
  const headers = {};
  for (const [key, value] of Object.entries(answer.headers || {})) headers[key] = value;
  send(res, Number(answer.statusCode || 200), headers, bodyOf(answer.body));
}

async function start() {
  process.chdir(appRoot);
  require(mainOf(appRoot));
  if (!programmingModel) {
    throw new Error(`${mainOf(appRoot)} registered no programming model: it must require('@azure/functions') (4.x) and declare functions with app.http`);
  }
  if (programmingModel.getCapabilities) {
    await programmingModel.getCapabilities({});
  }
  if (functions.size === 0) {
    throw new Error(`${mainOf(appRoot)} declared no HTTP function`);
  }
  durable.validateAtStart();
  const server = http.createServer((req, res) => {
    serve(req, res).catch((e) => {
      console.error(e);
      if (!res.headersSent) send(res, 500, { 'Content-Type': 'text/plain' }, Buffer.from(String(e)));
    });
  });
  server.on('connection', (socket) => socket.setNoDelay(true));
  server.keepAliveTimeout = 60000;
  server.listen(port, '127.0.0.1', () => {
    console.log(`sebs azure host: serving ${[...functions.keys()].map((r) => `api/${r}`).join(', ')} on 127.0.0.1:${port}`);
  });
}

start().catch((e) => {
  console.error(`sebs azure host: cannot start the app in ${appRoot}: ${(e && e.stack) || e}`);
  process.exit(1);
});
