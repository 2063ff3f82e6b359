package io.sebs.junit.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.WorkflowInvoker;
import io.sebs.junit.WorkflowRun;
import io.sebs.junit.platform.InvocationResult;
import io.sebs.junit.platform.DeployedWorkflow;
import io.sebs.junit.platform.Platform;
import io.sebs.junit.platform.WorkflowOrchestrator;
import io.sebs.junit.benchmark.WorkflowDefinition;
import io.sebs.junit.workflow.WorkflowEngine;
import java.util.Map;
import java.util.Set;

/**
 * The {@link WorkflowInvoker} users get: the platform's own orchestrator runs the workflow, or, on platforms
 * without one (local, docker), sebs-junit's {@link WorkflowEngine} walks the definition and invokes each
 * function on the platform. It is also a
 * {@link FunctionInvoker} whose invocations are whole runs, so measured series of runs reuse the function
 * machinery (warm-ups, cold starts, bursts, results, baselines) as they are.
 */
final class PlatformWorkflowInvoker implements WorkflowInvoker, FunctionInvoker, AutoCloseable {

  private final String name;
  private final Platform platform;
  private final WorkflowDefinition definition;
  private final Map<String, PreparedFunction> functions;
  private final JsonNode input;
  private final Map<String, String> tables;
  private final java.util.function.Function<JsonNode, WorkflowRun> runner;
  private final AutoCloseable resources;

  /**
   * sebs-junit's engine orchestrates: it walks the definition and invokes each function on the platform.
   *
   * @param name the workflow's name on the platform (its results are filed under it)
   * @param functions each function of the definition, deployed
   */
  static PlatformWorkflowInvoker orchestratedInTheClient(String name, Platform platform, WorkflowDefinition definition,
      Map<String, PreparedFunction> functions, JsonNode input, Map<String, String> tables, int concurrency) {
    long ahead = Math.round(platform.injectedClockOffsetMicros().orElse(0));
    Map<String, PreparedFunction> byName = Map.copyOf(functions);
    WorkflowEngine engine = new WorkflowEngine(definition, (funcName, event) -> call(platform, byName.get(funcName), event),
        concurrency, ahead);
    return new PlatformWorkflowInvoker(name, platform, definition, functions, input, tables, engine::run, engine);
  }

  /** The platform's own orchestrator runs the deployed workflow. */
  static PlatformWorkflowInvoker orchestratedBy(WorkflowOrchestrator orchestrator, DeployedWorkflow workflow,
      Platform platform, Map<String, PreparedFunction> functions, JsonNode input, Map<String, String> tables) {
    return new PlatformWorkflowInvoker(workflow.name(), platform, workflow.definition(), functions, input, tables,
        payload -> orchestrator.run(workflow, payload), () -> { });
  }

  private PlatformWorkflowInvoker(String name, Platform platform, WorkflowDefinition definition,
      Map<String, PreparedFunction> functions, JsonNode input, Map<String, String> tables,
      java.util.function.Function<JsonNode, WorkflowRun> runner, AutoCloseable resources) {
    this.name = name;
    this.platform = platform;
    this.definition = definition;
    this.functions = Map.copyOf(functions);
    this.input = input;
    this.tables = Map.copyOf(tables);
    this.runner = runner;
    this.resources = resources;
  }

  private static WorkflowEngine.FunctionCall call(Platform platform, PreparedFunction function, JsonNode event) {
    InvocationResult r = platform.invoke(function.deployed(), event);
    String error = r.failureReason().map(PlatformWorkflowInvoker::errorLine).orElse(null);
    return new WorkflowEngine.FunctionCall(r.output(), error, r.functionBeginMicros(), r.functionEndMicros(), r.isCold(),
        r.containerId());
  }

  /** "function error: KeyError: 'x' (at f.py:3 in handler)\n<traceback>" to "KeyError: 'x' (at f.py:3 in handler)". */
  static String errorLine(String reason) {
    String line = reason.lines().findFirst().orElse(reason);
    return line.startsWith("function error: ") ? line.substring("function error: ".length()) : line;
  }

  @Override
  public WorkflowRun invoke() {
    return runner.apply(input);
  }

  @Override
  public WorkflowRun invoke(Object payload) {
    return runner.apply(PlatformFunctionInvoker.toJson(payload));
  }

  @Override
  public JsonNode input() {
    return input.deepCopy();
  }

  @Override
  public void enforceColdStart() {
    functions.values().forEach(f -> platform.enforceColdStart(f.deployed()));
  }

  @Override
  public Set<String> functionNames() {
    return definition.functionNames();
  }

  @Override
  public String tableName(String logicalName) {
    String table = tables.get(logicalName);
    if (table == null) {
      throw new IllegalArgumentException("Workflow " + name + " declares no NoSQL table '" + logicalName
          + "'; its tables are " + new java.util.TreeSet<>(tables.keySet()));
    }
    return table;
  }

  @Override
  public String functionName() {
    return name;
  }

  @Override
  public String platform() {
    return platform.name();
  }

  @Override
  public void close() {
    try {
      resources.close();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot close the workflow " + name, e);
    }
  }
}
