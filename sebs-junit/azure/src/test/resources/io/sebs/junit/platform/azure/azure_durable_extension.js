'use strict';
/*
 * Test stand-in for the Durable Functions extension of the Azure Functions host, for azure_node_host.js: what the
 * real extension (Microsoft.Azure.WebJobs.Extensions.DurableTask, out-of-process "OrchestratorShim" protocol, the
 * one the durable-functions npm package 3.x speaks) does for a Node.js app, with instances kept in memory.
 *
 * - Bindings: orchestrationTrigger and activityTrigger functions are registered here; an HTTP function's
 *   durableClient (or orchestrationClient) input gets the JSON the extension gives it (taskHubName, creationUrls,
 *   managementUrls, baseUrl, requiredQueryStringParameters, rpcBaseUrl). rpcBaseUrl is
 *   http://127.0.0.1:<port>/durabletask/ on the host's own port, where the SDK's DurableClient sends startNew
 *   (POST orchestrators/<name>[/<id>], body: the JSON input), getStatus (GET instances/<id>; 202 while
 *   Pending/Running, 200 once Completed/Failed/Terminated, 404 unknown), the instance list (GET instances/),
 *   terminate (POST instances/<id>/terminate?reason=; 202, 410 when already ended, 404) and purge
 *   (DELETE instances/<id>). The same routes answer under the webhook base /runtime/webhooks/durabletask when
 *   ?code= carries the host's durabletask_extension key. Other client calls (raiseEvent, rewind, suspend, resume,
 *   restart, entities) answer 501 naming what is not implemented.
 * - Orchestrations: each new batch of events runs one episode that replays the whole history as Durable does:
 *   the orchestrator is invoked with the trigger input of the extension (history of DTFx events with their
 *   EventType numbers, EventId, IsPlayed, Timestamp: OrchestratorStarted 12, ExecutionStarted 0,
 *   TaskScheduled 4, TaskCompleted 5, TaskFailed 6, SubOrchestrationInstanceCreated 7, ...Completed 8,
 *   ...Failed 9, OrchestratorCompleted 13; input, instanceId, isReplaying, parentInstanceId, upperSchemaVersion 1
 *   and upperSchemaVersionNew 2, so the SDK answers in replay schema V3: one flat list of all actions so far, with
 *   Task.all/Task.any as compound actions). The actions are matched by position (the sequence id) against those
 *   of earlier episodes (a mismatch fails the instance as DTFx's non-determinism check does); new ones run:
 *   activities concurrently up to extensions.durableTask.maxConcurrentActivityFunctions (default 10 x CPUs),
 *   sub-orchestrations as child instances with the id DTFx gives them (<parent execution id>:<sequence id>)
 *   unless one is given. Results come back as TaskCompleted/SubOrchestrationInstanceCompleted; failures as
 *   TaskFailed/SubOrchestrationInstanceFailed with Reason "Activity function '<name>' failed: <message>" (or the
 *   child's reason) and Details (a JSON stand-in of the serialized exception), so the SDK throws
 *   "<Reason> \n <Details>" at the orchestrator's yield. An orchestrator that throws (the SDK reports it as
 *   "$OutOfProcData$:" and the state's error) ends Failed with output "Orchestrator function '<name>' failed:
 *   <error>"; one that returns ends Completed with its output. Orchestrator and activity invocations do not wait
 *   for the host's queue of HTTP invocations.
 * - Refusals, at start, for an app that uses durable triggers or bindings: host.json without an extensionBundle
 *   of id Microsoft.Azure.Functions.ExtensionBundle whose version range includes 4.x; an
 *   extensions.durableTask.hubName that is not 3-45 alphanumeric characters starting with a letter. At run time,
 *   actions this stand-in does not implement (timers, retries, external events, entities, continueAsNew,
 *   callHttp) and calls of unknown functions fail the orchestration, naming them.
 *
 * Not implemented: durable storage (instances live in the process that started them, as long as it runs; the
 * processes of a scaled-out app share none, and an activity runs in the process of its orchestration), timers and everything built on them,
 * external events, entities, continueAsNew, callHttp, retry options, suspend/resume/rewind/restart, history in
 * status queries, the failure details of exception-properties providers, the middleware-passthrough (gRPC)
 * protocol of other languages.
 */

const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const EVENT = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionFailed: 2,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubOrchestrationInstanceCreated: 7,
  SubOrchestrationInstanceCompleted: 8,
  SubOrchestrationInstanceFailed: 9,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
};

// The action types of the SDK (actions/ActionType.js) and, for those not implemented, the API that makes them.
const ACTION = { CallActivity: 0, CallSubOrchestrator: 2, WhenAny: 11, WhenAll: 12 };
const UNSUPPORTED_ACTIONS = {
  1: 'CallActivityWithRetry (context.df.callActivityWithRetry)',
  3: 'CallSubOrchestratorWithRetry (context.df.callSubOrchestratorWithRetry)',
  4: 'ContinueAsNew (context.df.continueAsNew)',
  5: 'CreateTimer (context.df.createTimer)',
  6: 'WaitForExternalEvent (context.df.waitForExternalEvent)',
  7: 'CallEntity (context.df.callEntity)',
  8: 'CallHttp (context.df.callHttp)',
  9: 'SignalEntity (context.df.signalEntity)',
  13: 'LockEntities (context.df.lock)',
  14: 'ReleaseEntities (releasing entity locks)',
};
// The out-of-process protocol's schema versions the extension knows (OutOfProcOrchestrationShim.SchemaVersion).
const SCHEMA_NAMES = { 0: 'Original', 1: 'V2', 2: 'V3' };
const UPPER_SCHEMA_VERSION = 1; // V2, for SDKs that read only this field
const UPPER_SCHEMA_VERSION_NEW = 2; // V3
const BUNDLE_ID = 'Microsoft.Azure.Functions.ExtensionBundle';
const DURABLE_TRIGGERS = ['orchestrationtrigger', 'activitytrigger', 'entitytrigger'];
const CLIENT_BINDINGS = ['durableclient', 'orchestrationclient'];
const INSTANCE_ID_PLACEHOLDER = 'INSTANCEID';

/**
 * The extension for one host process. `invokeFunction(metadata, callback, inputData, triggerMetadata)` runs a
 * function through the app's programming model and resolves to what the handler returned (rejects with what it
 * threw).
 */
function createDurableExtension({ appRoot, port, invokeFunction, log }) {
  const orchestrators = new Map(); // name (lower case) -> { name, metadata, callback, trigger }
  const activities = new Map();
  const entities = new Map();
  const clientFunctions = new Set(); // names of functions with a durable client input
  const instances = new Map(); // instance id -> Instance
  const systemKey = crypto.randomBytes(30).toString('base64url');
  const settings = { hubName: 'TestHubName', maxActivities: 10 * os.cpus().length, maxOrchestrators: 10 * os.cpus().length };
  const activitySlots = semaphore(() => settings.maxActivities);
  const orchestratorSlots = semaphore(() => settings.maxOrchestrators);

  // ---------------------------------------------------------------- registration and start-up checks

  /** Takes a function whose trigger is a durable one (returns its disposable); false for others (the host serves those). */
  function register(metadata, callback) {
    const bindings = Object.values(metadata.bindings || {});
    if (bindings.some((b) => CLIENT_BINDINGS.includes(String(b.type).toLowerCase()))) {
      clientFunctions.add(metadata.name);
    }
    const trigger = bindings.find((b) => DURABLE_TRIGGERS.includes(String(b.type).toLowerCase()));
    if (!trigger) return false;
    const type = String(trigger.type).toLowerCase();
    const table = type === 'orchestrationtrigger' ? orchestrators : type === 'activitytrigger' ? activities : entities;
    table.set(metadata.name.toLowerCase(), { name: metadata.name, metadata, callback, trigger });
    return { dispose() { table.delete(metadata.name.toLowerCase()); } };
  }

  function used() {
    return orchestrators.size + activities.size + entities.size + clientFunctions.size > 0;
  }

  function durableFunctionNames() {
    return [...orchestrators.values(), ...activities.values(), ...entities.values()].map((f) => f.name)
      .concat([...clientFunctions]);
  }

  /** The host's checks once the app registered its functions; throws what the real host would refuse. */
  function validateAtStart() {
    if (!used()) return;
    const hostJsonPath = path.join(appRoot, 'host.json');
    if (!fs.existsSync(hostJsonPath)) {
      throw new Error(`the functions ${durableFunctionNames().join(', ')} use Durable Functions bindings, and the app has no host.json to declare the extensionBundle that brings them`);
    }
    const hostJson = JSON.parse(fs.readFileSync(hostJsonPath, 'utf8'));
    const bundle = hostJson.extensionBundle;
    const types = [...new Set([...orchestrators.values(), ...activities.values(), ...entities.values()]
      .map((f) => f.trigger.type).concat(clientFunctions.size ? ['durableClient'] : []))].join(', ');
    if (!bundle || typeof bundle !== 'object') {
      throw new Error(`The binding type(s) '${types}' are not registered: host.json has no extensionBundle. Durable Functions bindings come with the extension bundle; declare "extensionBundle": {"id": "${BUNDLE_ID}", "version": "[4.*, 5.0.0)"}`);
    }
    if (bundle.id !== BUNDLE_ID) {
      throw new Error(`The binding type(s) '${types}' are not registered: host.json's extensionBundle id is ${JSON.stringify(bundle.id)}, not ${BUNDLE_ID}`);
    }
    if (!rangeIncludesMajor(String(bundle.version || ''), 4)) {
      throw new Error(`The binding type(s) '${types}' are not registered: host.json's extensionBundle version ${JSON.stringify(bundle.version)} is not a range that includes 4.x (e.g. "[4.*, 5.0.0)"), the bundle that durable-functions 3.x needs`);
    }
    const durableTask = (hostJson.extensions && hostJson.extensions.durableTask) || {};
    if (durableTask.hubName !== undefined) {
      const hub = String(durableTask.hubName);
      if (!/^[A-Za-z][A-Za-z0-9]{2,44}$/.test(hub)) {
        throw new Error(`Task hub name '${hub}' (host.json extensions.durableTask.hubName) should contain only alphanumeric characters, start with a letter, and have length between 3 and 45.`);
      }
      settings.hubName = hub;
    } else if (process.env.WEBSITE_SITE_NAME) {
      settings.hubName = sanitizedHubName(process.env.WEBSITE_SITE_NAME);
    }
    for (const [key, field] of [['maxConcurrentActivityFunctions', 'maxActivities'], ['maxConcurrentOrchestratorFunctions', 'maxOrchestrators']]) {
      if (durableTask[key] !== undefined) {
        const value = Number(durableTask[key]);
        if (!Number.isInteger(value) || value < 1) {
          throw new Error(`host.json extensions.durableTask.${key} must be a positive integer, not ${JSON.stringify(durableTask[key])}`);
        }
        settings[field] = value;
      }
    }
    for (const fn of entities.values()) {
      log(`sebs azure host: ${fn.name} is an entity function; the stand-in does not implement Durable entities and never runs it`);
    }
  }

  // ---------------------------------------------------------------- the client binding

  function webhookBase() {
    const host = process.env.WEBSITE_HOSTNAME || `127.0.0.1:${port}`;
    return `http://${host}/runtime/webhooks/durabletask`;
  }

  function managementUrls(instanceId, base) {
    const prefix = `${base}/instances/${instanceId}`;
    const query = `taskHub=${encodeURIComponent(settings.hubName)}&connection=Storage&code=${systemKey}`;
    return {
      id: instanceId,
      statusQueryGetUri: `${prefix}?${query}`,
      sendEventPostUri: `${prefix}/raiseEvent/{eventName}?${query}`,
      terminatePostUri: `${prefix}/terminate?reason={text}&${query}`,
      rewindPostUri: `${prefix}/rewind?reason={text}&${query}`,
      purgeHistoryDeleteUri: `${prefix}?${query}`,
      restartPostUri: `${prefix}/restart?${query}`,
      suspendPostUri: `${prefix}/suspend?reason={text}&${query}`,
      resumePostUri: `${prefix}/resume?reason={text}&${query}`,
    };
  }

  /** The value of a durableClient input binding, as the extension serializes it (BindingHelper). */
  function clientInputData() {
    const base = webhookBase();
    return {
      taskHubName: settings.hubName,
      connectionName: null,
      creationUrls: {
        createNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?code=${systemKey}`,
        createAndWaitOnNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&code=${systemKey}`,
      },
      managementUrls: managementUrls(INSTANCE_ID_PLACEHOLDER, base),
      baseUrl: base,
      requiredQueryStringParameters: `code=${systemKey}`,
      rpcBaseUrl: `http://127.0.0.1:${port}/durabletask/`,
      httpBaseUrl: null,
    };
  }

  /** The inputData entries of an invocation of `metadata` for its durable client bindings. */
  function clientInputs(metadata) {
    return Object.entries(metadata.bindings || {})
      .filter(([, b]) => CLIENT_BINDINGS.includes(String(b.type).toLowerCase()) && String(b.direction || 'in').toLowerCase() === 'in')
      .map(([name]) => ({ name, data: { string: JSON.stringify(clientInputData()) } }));
  }

  // ---------------------------------------------------------------- instances

  function newInstance(fn, instanceId, inputJson, parent) {
    const now = new Date();
    const instance = {
      id: instanceId,
      executionId: crypto.randomUUID().replace(/-/g, ''),
      fn,
      inputJson, // JSON text or null
      parent, // { instance, taskId } or null
      status: 'Pending',
      output: null,
      customStatus: null,
      failure: null, // { reason, details }
      createdTime: now,
      lastUpdatedTime: now,
      past: [], // events of finished episodes
      pending: [], // events not yet seen by the orchestrator
      scheduled: [], // actions run so far, by sequence id: { kind, name }
      running: false,
    };
    instance.pending.push({
      EventType: EVENT.ExecutionStarted,
      EventId: -1,
      IsPlayed: false,
      Timestamp: now.toISOString(),
      OrchestrationInstance: { InstanceId: instanceId, ExecutionId: instance.executionId },
      ParentInstance: parent ? {
        Name: parent.instance.fn.name,
        Version: '',
        TaskScheduleId: parent.taskId,
        OrchestrationInstance: { InstanceId: parent.instance.id, ExecutionId: parent.instance.executionId },
      } : null,
      Name: fn.name,
      Version: '',
      Input: inputJson,
      Tags: null,
      Correlation: null,
      ScheduledStartTime: null,
      Generation: 0,
    });
    instances.set(instanceId, instance);
    wake(instance);
    return instance;
  }

  function ended(instance) {
    return instance.status === 'Completed' || instance.status === 'Failed' || instance.status === 'Terminated';
  }

  function deliver(instance, event) {
    if (ended(instance)) return; // a terminated instance drops what comes back to it
    instance.pending.push(Object.assign({ EventId: -1, IsPlayed: false, Timestamp: new Date().toISOString() }, event));
    wake(instance);
  }

  function wake(instance) {
    if (instance.running || ended(instance) || instance.pending.length === 0) return;
    instance.running = true;
    setImmediate(() => {
      orchestratorSlots.run(() => episode(instance))
        .catch((e) => finish(instance, 'Failed', null, failure(instance, `the stand-in's episode broke: ${(e && e.stack) || e}`)))
        .finally(() => {
          instance.running = false;
          wake(instance);
        });
    });
  }

  /** One orchestrator invocation over the whole history plus the new events, and what its actions call for. */
  async function episode(instance) {
    if (ended(instance)) return;
    const started = new Date();
    const newEvents = [{ EventType: EVENT.OrchestratorStarted, EventId: -1, IsPlayed: false, Timestamp: started.toISOString() }]
      .concat(instance.pending.splice(0));
    if (instance.status === 'Pending') instance.status = 'Running';
    instance.lastUpdatedTime = started;
    const history = instance.past.map((e) => Object.assign({}, e, { IsPlayed: true })).concat(newEvents);
    const trigger = {
      history,
      input: instance.inputJson === null || instance.inputJson === undefined ? null : JSON.parse(instance.inputJson),
      instanceId: instance.id,
      isReplaying: instance.past.length > 0,
      parentInstanceId: instance.parent ? instance.parent.instance.id : null,
      upperSchemaVersion: UPPER_SCHEMA_VERSION,
      upperSchemaVersionNew: UPPER_SCHEMA_VERSION_NEW,
      longRunningTimerIntervalDuration: '3.00:00:00',
      maximumShortTimerDuration: '6.00:00:00',
      defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
    };
    const fn = instance.fn;
    let state;
    let thrown;
    try {
      const result = await invokeFunction(fn.metadata, fn.callback,
        [{ name: fn.trigger.name, data: { string: JSON.stringify(trigger) } }], { instanceId: { string: instance.id } });
      state = result === undefined ? undefined : JSON.parse(JSON.stringify(result));
    } catch (e) {
      thrown = e;
      state = outOfProcState(e);
    }
    const commit = (events) => {
      instance.past.push(...newEvents, ...events,
        { EventType: EVENT.OrchestratorCompleted, EventId: -1, IsPlayed: false, Timestamp: new Date().toISOString() });
    };
    if (ended(instance)) return; // terminated meanwhile
    if (!state || typeof state !== 'object' || !Array.isArray(state.actions)) {
      const message = thrown ? String((thrown && thrown.message) || thrown)
        : `Unrecognized orchestrator response payload ${JSON.stringify(state)}: a compatible durable-functions SDK returns an object with an actions array`;
      commit([]);
      return finish(instance, 'Failed', null, failure(instance, message, thrown && thrown.stack));
    }
    if (state.customStatus !== undefined) instance.customStatus = state.customStatus;
    if (state.error !== undefined && state.error !== null && state.error !== '') {
      commit([]);
      return finish(instance, 'Failed', null, failure(instance, String(state.error), thrown && thrown.stack));
    }
    let actions;
    try {
      actions = flatActions(state);
      checkReplay(instance, actions);
    } catch (e) {
      commit([]);
      return finish(instance, 'Failed', null, failure(instance, e.message));
    }
    if (state.isDone) {
      commit([]);
      return finish(instance, 'Completed', state.output === undefined ? null : state.output, null);
    }
    const scheduledEvents = [];
    const toRun = [];
    for (let id = instance.scheduled.length; id < actions.length; id++) {
      const action = actions[id];
      const timestamp = new Date().toISOString();
      if (action.actionType === ACTION.CallActivity) {
        const activity = activities.get(String(action.functionName).toLowerCase());
        const input = activityInputJson(action.input);
        instance.scheduled.push({ kind: 'activity', name: action.functionName });
        scheduledEvents.push({ EventType: EVENT.TaskScheduled, EventId: id, IsPlayed: false, Timestamp: timestamp, Name: action.functionName, Version: '', Input: input });
        toRun.push(() => runActivity(instance, id, activity, input));
      } else {
        const child = orchestrators.get(String(action.functionName).toLowerCase());
        const childId = action.instanceId || `${instance.executionId}:${id}`;
        const input = action.input === undefined ? null : JSON.stringify(action.input);
        instance.scheduled.push({ kind: 'orchestration', name: action.functionName });
        scheduledEvents.push({ EventType: EVENT.SubOrchestrationInstanceCreated, EventId: id, IsPlayed: false, Timestamp: timestamp, Name: action.functionName, Version: '', InstanceId: childId, Input: input });
        toRun.push(() => newInstance(child, childId, input, { instance, taskId: id }));
      }
    }
    commit(scheduledEvents);
    instance.lastUpdatedTime = new Date();
    toRun.forEach((run) => run());
  }

  /** The orchestrator state the SDK put after "$OutOfProcData$:" in the message of what it threw, if any. */
  function outOfProcState(e) {
    const message = String((e && e.message) || '');
    const label = '$OutOfProcData$:';
    const at = message.indexOf(label);
    if (at < 0) return undefined;
    try {
      return JSON.parse(message.slice(at + label.length));
    } catch (parseError) {
      return undefined;
    }
  }

  /** The state's actions as one list by sequence id, checked: known types, known functions, a schema we speak. */
  function flatActions(state) {
    const schema = state.schemaVersion === undefined ? 0 : Number(state.schemaVersion);
    if (!(schema in SCHEMA_NAMES)) {
      throw new Error(`The OOProc schema of version "${state.schemaVersion}" is unsupported by this durable-extension version.`);
    }
    if (schema > 0 && state.actions.length !== 1) {
      throw new Error(`With OOProc schema ${SCHEMA_NAMES[schema]}, expected actions array to be of length 1 in outer layer but got size: ${state.actions.length}`);
    }
    const flat = [];
    const walk = (action) => {
      if (action.actionType === ACTION.WhenAll || action.actionType === ACTION.WhenAny) {
        (action.compoundActions || []).forEach(walk);
      } else if (action.actionType === ACTION.CallActivity) {
        if (!activities.has(String(action.functionName).toLowerCase())) {
          throw new Error(`The function '${action.functionName}' doesn't exist, is disabled, or is not an activity function. Additional info: ${known('activity', activities)}`);
        }
        flat.push(action);
      } else if (action.actionType === ACTION.CallSubOrchestrator) {
        if (!orchestrators.has(String(action.functionName).toLowerCase())) {
          throw new Error(`The function '${action.functionName}' doesn't exist, is disabled, or is not an orchestrator function. Additional info: ${known('orchestrator', orchestrators)}`);
        }
        flat.push(action);
      } else {
        const what = UNSUPPORTED_ACTIONS[action.actionType] || `action type ${action.actionType}`;
        throw new Error(`the stand-in does not implement ${what}: it runs activities, sub-orchestrations and Task.all/Task.any over them only`);
      }
    };
    state.actions.forEach((set) => (set || []).forEach(walk));
    return flat;
  }

  /** DTFx's non-determinism check: what earlier episodes scheduled must be scheduled again, in the same order. */
  function checkReplay(instance, actions) {
    instance.scheduled.forEach((before, id) => {
      const now = actions[id];
      const kind = before.kind === 'activity' ? 'an activity task' : 'a sub-orchestration';
      if (!now) {
        throw new Error(`Non-Deterministic workflow detected: A previous execution of this orchestration scheduled ${kind} with sequence ID ${id} and name '${before.name}' (version ''), but the current replay execution hasn't (yet?) scheduled this task. Was a change made to the orchestrator code after this instance had already started running?`);
      }
      const nowKind = now.actionType === ACTION.CallActivity ? 'activity' : 'orchestration';
      if (nowKind !== before.kind || String(now.functionName).toLowerCase() !== before.name.toLowerCase()) {
        throw new Error(`Non-Deterministic workflow detected: A previous execution of this orchestration scheduled ${kind} with sequence ID ${id} and name '${before.name}', but the current replay execution instead scheduled ${nowKind === 'activity' ? 'an activity task' : 'a sub-orchestration'} named '${now.functionName}' with that sequence ID. Was a change made to the orchestrator code after this instance had already started running?`);
      }
    });
  }

  function known(kind, table) {
    const names = [...table.values()].map((f) => f.name);
    return names.length ? `The following are the known ${kind} functions: '${names.join("', '")}'.` : `No ${kind} functions are currently registered!`;
  }

  /**
   * An activity input as JSON text: the SDK sends a string input already JSON-serialized (Utils.processInput),
   * which the extension takes as the JSON it is; anything else is serialized here.
   */
  function activityInputJson(input) {
    if (input === undefined || input === null) return null;
    if (typeof input === 'string') {
      try {
        JSON.parse(input);
        return input;
      } catch (notJson) {
        return JSON.stringify(input);
      }
    }
    return JSON.stringify(input);
  }

  function runActivity(instance, id, activity, inputJson) {
    activitySlots.run(async () => {
      if (ended(instance)) return;
      try {
        const result = await invokeFunction(activity.metadata, activity.callback,
          [{ name: activity.trigger.name, data: inputJson === null ? undefined : { json: inputJson } }],
          { instanceId: { string: instance.id } });
        const json = result === undefined ? null : JSON.stringify(result);
        deliver(instance, { EventType: EVENT.TaskCompleted, TaskScheduledId: id, Result: json === undefined ? null : json });
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        log(`Executed 'Functions.${activity.name}' (Failed, instance ${instance.id}): ${(e && e.stack) || e}`);
        deliver(instance, {
          EventType: EVENT.TaskFailed,
          TaskScheduledId: id,
          Reason: `Activity function '${activity.name}' failed: ${message}`,
          Details: exceptionDetails(message, e),
        });
      }
    });
  }

  /** A stand-in of the .NET exception the extension serializes as a failure's Details. */
  function exceptionDetails(message, e) {
    return JSON.stringify({
      $type: 'System.Exception, System.Private.CoreLib',
      ClassName: 'System.Exception',
      Message: message,
      InnerException: null,
      StackTraceString: (e && e.stack) ? String(e.stack) : null,
    });
  }

  function failure(instance, message, stack) {
    return { reason: `Orchestrator function '${instance.fn.name}' failed: ${message}`, details: exceptionDetails(message, { stack }) };
  }

  function finish(instance, status, output, why) {
    if (ended(instance)) return;
    instance.status = status;
    instance.lastUpdatedTime = new Date();
    instance.failure = why;
    instance.output = status === 'Failed' ? why.reason : output;
    if (status === 'Failed') log(`sebs azure host: orchestration ${instance.id} failed: ${why.reason}`);
    const parent = instance.parent;
    if (parent) {
      if (status === 'Completed') {
        deliver(parent.instance, { EventType: EVENT.SubOrchestrationInstanceCompleted, TaskScheduledId: parent.taskId, Result: JSON.stringify(output) });
      } else {
        const reason = why ? why.reason : String(output);
        deliver(parent.instance, { EventType: EVENT.SubOrchestrationInstanceFailed, TaskScheduledId: parent.taskId, Reason: reason, Details: why ? why.details : exceptionDetails(reason) });
      }
    }
  }

  // ---------------------------------------------------------------- the HTTP API

  const RPC_PREFIX = 'durabletask/';
  const WEBHOOK_PREFIX = 'runtime/webhooks/durabletask/';

  /** Whether the path (no leading slash) is one of the extension's. */
  function handles(pathname) {
    const p = pathname.toLowerCase() + '/';
    return p.startsWith(RPC_PREFIX) || p.startsWith(WEBHOOK_PREFIX);
  }

  function statusPayload(instance) {
    return {
      name: instance.fn.name,
      instanceId: instance.id,
      runtimeStatus: instance.status,
      input: instance.inputJson === null ? null : JSON.parse(instance.inputJson),
      customStatus: instance.customStatus === undefined ? null : instance.customStatus,
      output: instance.output === undefined ? null : instance.output,
      createdTime: seconds(instance.createdTime),
      lastUpdatedTime: seconds(instance.lastUpdatedTime),
    };
  }

  /** Serves one request to the extension's API: resolves to { status, headers, body } (body: a value to send as JSON, or a string). */
  function api(method, url, body) {
    let route = decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const webhook = route.toLowerCase().startsWith(WEBHOOK_PREFIX) || route.toLowerCase() + '/' === WEBHOOK_PREFIX;
    if (webhook && url.searchParams.get('code') !== systemKey) {
      return { status: 401, body: 'the webhook needs ?code= with the durabletask_extension system key' };
    }
    route = route.slice(webhook ? WEBHOOK_PREFIX.length : RPC_PREFIX.length).replace(/\/+$/, '');
    const parts = route === '' ? [] : route.split('/');
    if (parts[0] === 'orchestrators' && parts.length >= 2 && parts.length <= 3) {
      if (method !== 'POST') return { status: 404, body: '' };
      return startNew(parts[1], parts[2], body, url);
    }
    if (parts[0] === 'instances') {
      const [, instanceId, operation] = parts;
      if (!instanceId) {
        if (method === 'GET') return { status: 200, body: [...instances.values()].map(statusPayload) };
        return notImplemented(`${method} instances/ (purging by filter)`);
      }
      const instance = instances.get(instanceId);
      if (!operation) {
        if (method === 'GET') {
          if (!instance) return { status: 404, body: '' };
          const running = !ended(instance);
          return { status: running ? 202 : 200, headers: running ? { Location: url.href, 'Retry-After': '5' } : {}, body: statusPayload(instance) };
        }
        if (method === 'DELETE') {
          if (!instance) return { status: 404, body: '' };
          if (!ended(instance)) return { status: 400, body: `instance ${instanceId} is ${instance.status}: only ended instances are purged` };
          instances.delete(instanceId);
          return { status: 200, body: { instancesDeleted: 1 } };
        }
        return { status: 404, body: '' };
      }
      if (method === 'POST' && operation.toLowerCase() === 'terminate') {
        if (!instance) return { status: 404, body: '' };
        if (ended(instance)) return { status: 410, body: '' };
        const reason = url.searchParams.get('reason');
        finish(instance, 'Terminated', reason === null ? null : reason, { reason: reason === null ? '' : reason, details: null });
        return { status: 202, body: '' };
      }
      return notImplemented(`${method} instances/<id>/${parts.slice(2).join('/')}`);
    }
    if (parts[0] === 'entities') return notImplemented('Durable entities');
    return { status: 404, body: '' };
  }

  function notImplemented(what) {
    return { status: 501, body: `the stand-in of the Durable Functions extension does not implement ${what}` };
  }

  function startNew(name, instanceId, body, url) {
    const fn = orchestrators.get(String(name).toLowerCase());
    if (!fn) {
      return { status: 400, body: { Message: 'One or more of the arguments submitted is incorrect', ExceptionMessage: `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function. Additional info: ${known('orchestrator', orchestrators)}` } };
    }
    let inputJson = null;
    const text = body.toString('utf8');
    if (text.length > 0) {
      try {
        inputJson = JSON.stringify(JSON.parse(text));
      } catch (e) {
        return { status: 400, body: { Message: 'Invalid JSON content', ExceptionMessage: e.message } };
      }
    }
    const id = instanceId || crypto.randomUUID().replace(/-/g, '');
    const existing = instances.get(id);
    if (existing && !ended(existing)) {
      return { status: 400, body: { Message: 'One or more of the arguments submitted is incorrect', ExceptionMessage: `An Orchestration instance with the status ${existing.status} already exists.` } };
    }
    newInstance(fn, id, inputJson, null);
    const links = managementUrls(id, `${url.origin}/runtime/webhooks/durabletask`);
    return { status: 202, headers: { Location: links.statusQueryGetUri, 'Retry-After': '10' }, body: links };
  }

  return { register, used, validateAtStart, clientInputs, handles, api };
}

/** Whether a NuGet-style version range ("[4.*, 5.0.0)", "[4.0.0, 5.0.0)", "4.0.0") admits some 4.x version. */
function rangeIncludesMajor(range, major) {
  const text = range.trim();
  const version = (v) => {
    const parts = v.trim().replace(/\*/g, '0').split('.').map((n) => Number(n || 0));
    if (parts.some((n) => !Number.isInteger(n))) return null;
    while (parts.length < 3) parts.push(0);
    return parts;
  };
  const compare = (a, b) => {
    for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
  };
  const interval = /^([[(])\s*([^,]*)\s*,\s*([^\])]*)\s*([\])])$/.exec(text);
  let low;
  let high = null;
  let highInclusive = false;
  if (interval) {
    low = interval[2].trim() ? version(interval[2]) : [0, 0, 0];
    high = interval[3].trim() ? version(interval[3]) : null;
    highInclusive = interval[4] === ']';
  } else if (text) {
    low = version(text);
  }
  if (!low || (interval && interval[3].trim() && !high)) return false;
  // some version of [major.0.0, (major+1).0.0) lies in the range
  const from = [major, 0, 0];
  const to = [major + 1, 0, 0];
  const lowOk = compare(low, to) < 0;
  const highOk = high === null || compare(high, from) > 0 || (highInclusive && compare(high, from) === 0);
  return lowOk && highOk;
}

/** The task hub name the extension derives from the app's name when host.json sets none. */
function sanitizedHubName(siteName) {
  let chars = [...siteName].filter((c) => /[A-Za-z0-9]/.test(c));
  if (chars.length === 0) return 'DefaultTaskHub';
  if (/[0-9]/.test(chars[0])) chars = ['t'].concat(chars);
  return chars.slice(0, 45).join('');
}

/** A date as the status API writes it: to the second, in UTC. */
function seconds(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** At most limit() tasks at once; the others wait in order. */
function semaphore(limit) {
  let active = 0;
  const waiting = [];
  const next = () => {
    while (active < limit() && waiting.length) {
      active++;
      const { task, resolve, reject } = waiting.shift();
      Promise.resolve().then(task).then(resolve, reject).finally(() => {
        active--;
        next();
      });
    }
  };
  return {
    run(task) {
      return new Promise((resolve, reject) => {
        waiting.push({ task, resolve, reject });
        next();
      });
    },
  };
}

module.exports = { createDurableExtension, rangeIncludesMajor };
