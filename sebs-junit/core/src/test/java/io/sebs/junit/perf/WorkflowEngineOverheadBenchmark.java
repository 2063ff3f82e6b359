package io.sebs.junit.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.WorkflowInvoker;
import io.sebs.junit.WorkflowRun;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.WorkflowDefinition;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.stats.SampleStatistics;
import io.sebs.junit.workflow.WorkflowEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What sebs-junit's workflow engine adds per state transition, against baselines measured in the same run:
 *
 * <ul>
 *   <li>{@code engine_transition_us} (real functions): 620.func-invo (gen, then process eight times: nine
 *       function executions) run warm through {@link WorkflowInvoker}, against a direct sequence of the same
 *       nine invocations of the same warm instances through {@link FunctionInvoker} (same payloads, the
 *       {@code request-id} added the same way), interleaved (alternating which goes first); the difference of the medians divided by 9.
 *   <li>{@code engine_only_transition_us}: the same definition walked with functions that answer at once in
 *       the JVM, so only the engine's own work is timed (payload copies, request ids, records).
 * </ul>
 *
 * <p>Run: {@code mvn -B -q -pl sebs-junit/core test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.sebs.junit.perf.WorkflowEngineOverheadBenchmark -Dsebs.benchmarks.dir=benchmarks}
 * (from the repository root, after {@code mvn -B install -DskipTests}). Argument: {@code [pairs]}, default 100.
 */
public final class WorkflowEngineOverheadBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FUNCTIONS = 9;

  public static void main(String[] args) throws Exception {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    SebsConfig config = SebsConfig.fromSystemProperties();
    try (BenchmarkRun run = new BenchmarkRun(config)) {
      FunctionSpec spec = run.spec("620.func-invo", "python", "", "test", 0, 0);
      WorkflowInvoker workflow = (WorkflowInvoker) run.prepare(spec).invoker();
      FunctionInvoker gen = run.prepare(spec.forWorkflowFunction("gen")).invoker();
      FunctionInvoker process = run.prepare(spec.forWorkflowFunction("process")).invoker();
      JsonNode input = workflow.input();
      for (int i = 0; i < 20; i++) { // warm the instances and both code paths
        workflow.invoke();
        direct(gen, process, input);
      }
      double[] viaEngine = new double[pairs];
      double[] directly = new double[pairs];
      double[] overhead = new double[pairs];
      for (int i = 0; i < pairs; i++) { // alternating which goes first, so neither always follows a pause
        if (i % 2 == 1) {
          directly[i] = direct(gen, process, input);
        }
        WorkflowRun r = workflow.invoke();
        if (r.failed()) {
          throw new IllegalStateException("The workflow failed: " + r.failure().orElse(""));
        }
        viaEngine[i] = r.clientTime().toNanos() / 1e3;
        overhead[i] = r.overhead().toNanos() / 1e3;
        if (i % 2 == 0) {
          directly[i] = direct(gen, process, input);
        }
      }
      double engine = SampleStatistics.of(viaEngine).median();
      double base = SampleStatistics.of(directly).median();
      System.out.printf("workflow_run_us=%.1f direct_sequence_us=%.1f (9 invocations, median of %d interleaved pairs)%n",
          engine, base, pairs);
      System.out.printf("engine_transition_us=%.1f (per function execution, difference of medians / 9)%n",
          (engine - base) / FUNCTIONS);
      System.out.printf("workflow_overhead_us=%.1f (client time minus critical path: the 9 round trips and the engine)%n",
          SampleStatistics.of(overhead).median());
      engineOnly(run, spec);
    }
  }

  /** The nine invocations one after the other, as the workflow makes them; microseconds end to end. */
  private static double direct(FunctionInvoker gen, FunctionInvoker process, JsonNode input) {
    long start = System.nanoTime();
    JsonNode payload = gen.invoke(withRequestId(input)).output();
    for (int i = 0; i < 8; i++) {
      var answer = process.invoke(withRequestId(payload));
      if (answer.failed()) {
        throw new IllegalStateException("process failed: " + answer.failureReason().orElse(""));
      }
      payload = answer.output();
    }
    return (System.nanoTime() - start) / 1e3;
  }

  private static JsonNode withRequestId(JsonNode payload) {
    ObjectNode copy = ((ObjectNode) payload).deepCopy();
    copy.put("request-id", UUID.randomUUID().toString());
    return copy;
  }

  /** The definition walked with in-JVM functions that answer at once: the engine's own cost. */
  private static void engineOnly(BenchmarkRun run, FunctionSpec spec) {
    WorkflowDefinition definition = WorkflowDefinition.read(spec.benchmark().workflowDefinition(), "620.func-invo");
    JsonNode answer = JSON.createObjectNode().put("size", 1024).put("step", 1).put("data", "x".repeat(1024));
    WorkflowEngine.FunctionCaller instant = (name, event) -> {
      long now = io.sebs.junit.platform.ClientClock.nowEpochMicros();
      return new WorkflowEngine.FunctionCall(answer, null, now, now, false, "jvm");
    };
    List<Double> perRun = new ArrayList<>();
    try (WorkflowEngine engine = new WorkflowEngine(definition, instant, 8, 0)) {
      JsonNode input = JSON.createObjectNode().put("size", 1024);
      for (int i = 0; i < 20_000; i++) {
        long start = System.nanoTime();
        engine.run(input);
        if (i >= 10_000) {
          perRun.add((System.nanoTime() - start) / 1e3);
        }
      }
    }
    double median = SampleStatistics.of(perRun.stream().mapToDouble(Double::doubleValue).toArray()).median();
    System.out.printf("engine_only_transition_us=%.2f (median run of 9 instant functions %.1f us / 9, after 10000 runs)%n",
        median / FUNCTIONS, median);
  }
}
