package io.sebs.junit.extension;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.ColdStart;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.FunctionRecord;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import io.sebs.junit.WorkflowInvoker;
import io.sebs.junit.WorkflowMeasurements;
import io.sebs.junit.WorkflowRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EventConditions;
import org.junit.platform.testkit.engine.TestExecutionResultConditions;

/**
 * A workflow benchmark (a folder with SeBS-Flow's definition.json) runs as a test on the local platform:
 * 920.flow-all-states uses every state type, so its output and its function records pin SeBS-Flow's data
 * flow end to end, through real function processes in Python and Node.js.
 */
class WorkflowExtensionTest {

  @TempDir
  Path results;

  static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

  @ServerlessBenchmark(value = "920.flow-all-states", language = "python")
  static class PythonFlow {
    @Test
    void once(WorkflowInvoker workflow) {
      SEEN.put("run", workflow.invoke());
      SEEN.put("functions", workflow.functionNames());
    }

    @Test
    void boom(WorkflowInvoker workflow) {
      SEEN.put("boom", workflow.invoke(Map.of("n", 2, "boom", true)));
    }

    @Test
    @Warm(repetitions = 3)
    void warm(WorkflowMeasurements m) {
      SEEN.put("warm", m);
    }
  }

  @ServerlessBenchmark(value = "920.flow-all-states", language = "nodejs")
  static class NodeFlow {
    @Test
    void once(WorkflowInvoker workflow) {
      SEEN.put("run", workflow.invoke());
    }
  }

  @ParameterizedTest
  @ValueSource(classes = {PythonFlow.class, NodeFlow.class})
  void everyStateTypeFollowsSebsFlowsDataFlow(Class<?> testClass) {
    ExtensionTestKit.run(testClass, results).assertStatistics(s -> s.failed(0));

    WorkflowRun run = (WorkflowRun) SEEN.get("run");
    assertThat(run.failure()).isEmpty();
    JsonNode out = run.output();
    assertThat(out.path("total").asInt()).isEqualTo(14); // squares 1 + 4 + 9, from the parallel branch "total"
    assertThat(out.path("scaled").toString()).isEqualTo("[3,12,27]"); // map with common_params n
    assertThat(out.path("recovered").path("Error").asText()).isIn("ValueError", "RangeError");
    assertThat(out.path("recovered").path("Cause").asText()).isEqualTo("planned failure");
    assertThat(out.path("input_keys").toString()).as("a failure transition passes the failed function's input and error")
        .isEqualTo("[\"error\",\"scaled\",\"total\"]");

    assertThat(run.functions()).extracting(FunctionRecord::name).hasSize(15)
        .containsOnly("start", "inc", "square", "total", "scale", "check", "fail_when", "recover");
    assertThat(run.functions()).filteredOn(f -> f.name().equals("fail_when")).singleElement()
        .satisfies(f -> assertThat(f.failed()).isTrue());
    assertThat(run.functions()).extracting(FunctionRecord::requestId).doesNotHaveDuplicates();
    assertThat(run.criticalPath()).isPositive().isLessThan(run.clientTime());
    assertThat(run.overhead()).isEqualTo(run.clientTime().minus(run.criticalPath()));
    Duration allWork = run.functions().stream().map(FunctionRecord::duration).reduce(Duration.ZERO, Duration::plus);
    assertThat(run.criticalPath()).isLessThanOrEqualTo(allWork);
  }

  @Test
  void anUnhandledFunctionErrorFailsTheRunNamingFunctionAndState() {
    ExtensionTestKit.run(PythonFlow.class, results).assertStatistics(s -> s.failed(0));

    WorkflowRun boom = (WorkflowRun) SEEN.get("boom");
    assertThat(boom.failed()).isTrue();
    assertThat(boom.failure()).hasValueSatisfying(f -> assertThat(f)
        .startsWith("function start (state start) failed: RuntimeError: boom requested (at start.py:3 in handler)"));
    assertThat(boom.functions()).singleElement().satisfies(f -> assertThat(f.failed()).isTrue());
  }

  @Test
  void measuredRunsAreSeriesWithFunctionRecordsInTheResults() throws Exception {
    ExtensionTestKit.run(PythonFlow.class, results).assertStatistics(s -> s.failed(0));

    WorkflowMeasurements m = (WorkflowMeasurements) SEEN.get("warm");
    assertThat(m.runs()).hasSize(3).noneMatch(WorkflowRun::failed).noneMatch(WorkflowRun::isCold);
    assertThat(m.functionTimes("square").count()).isEqualTo(9);
    io.sebs.junit.SebsAssertions.assertThat(m).criticalPath().max().isLessThan(Duration.ofSeconds(10));
    io.sebs.junit.SebsAssertions.assertThat(m).overhead().median().isGreaterThan(Duration.ZERO);

    Path json;
    try (Stream<Path> files = Files.walk(results)) {
      json = files.filter(p -> p.getFileName().toString().equals("PythonFlow.warm.json")).findFirst().orElseThrow();
    }
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    assertThat(root.path("benchmark").asText()).isEqualTo("920.flow-all-states");
    JsonNode runs = root.path("_invocations").elements().next();
    assertThat(runs.size()).isEqualTo(3);
    JsonNode first = runs.elements().next();
    assertThat(first.path("times").has("critical_path")).isTrue();
    assertThat(first.path("functions")).hasSize(15);
    assertThat(first.path("functions").get(0).path("func").asText()).isEqualTo("start");
    assertThat(root.path("statistics").has("critical_path")).isTrue();
    assertThat(root.path("statistics").has("overhead")).isTrue();

    List<String> functions = Files.readAllLines(json.resolveSibling("PythonFlow.warm.functions.csv"));
    assertThat(functions.get(0)).startsWith("workflow_request_id,func,start,end,duration,is_cold,container_id");
    assertThat(functions).hasSize(1 + 3 * 15);
    assertThat(functions.get(1).split(",")[1]).isEqualTo("start");
    assertThat(json.resolveSibling("PythonFlow.warm.timeline.png")).isNotEmptyFile();
    assertThat(json.resolveSibling("PythonFlow.warm.overhead-histogram.png")).isNotEmptyFile();
  }

  @ServerlessBenchmark(value = "920.flow-all-states", language = "python")
  static class FunctionInvokerOnAWorkflow {
    @Test
    void once(FunctionInvoker invoker) {}
  }

  @ServerlessBenchmark("901.echo")
  static class WorkflowInvokerOnAFunction {
    @Test
    void once(WorkflowInvoker invoker) {}
  }

  @Test
  void theWrongInvokerTypeSaysWhichOneToTake() {
    ExtensionTestKit.run(FunctionInvokerOnAWorkflow.class, results).assertThatEvents().haveExactly(1,
        EventConditions.finishedWithFailure(TestExecutionResultConditions.message(m -> m.contains(
            "920.flow-all-states is a workflow (it has a definition.json): take a WorkflowInvoker"))));
    ExtensionTestKit.run(WorkflowInvokerOnAFunction.class, results).assertThatEvents().haveExactly(1,
        EventConditions.finishedWithFailure(TestExecutionResultConditions.message(m -> m.contains(
            "901.echo is a function, not a workflow"))));
  }

  @Test
  void aColdRunIsOneWhereEveryFunctionStartedANewInstance() {
    ExtensionTestKit.run(ColdFlow.class, results).assertStatistics(s -> s.failed(0));
    WorkflowMeasurements m = (WorkflowMeasurements) SEEN.get("cold");
    assertThat(m.runs()).hasSize(2).allMatch(WorkflowRun::isCold);
    assertThat(m.runs().get(0).functions()).filteredOn(f -> f.name().equals("square")).hasSize(3)
        .allMatch(FunctionRecord::isCold); // three concurrent elements: three new instances
    assertThat(m.runs().get(0).functions()).filteredOn(f -> f.name().equals("inc")).extracting(FunctionRecord::isCold)
        .containsExactly(true, false); // the repeat's second execution reuses the first one's instance
  }

  @Test
  void aBurstRunsWholeWorkflowsConcurrentlyOnOneEngine() {
    ExtensionTestKit.run(BurstFlow.class, results).assertStatistics(s -> s.failed(0));
    WorkflowMeasurements m = (WorkflowMeasurements) SEEN.get("burst");
    assertThat(m.runs()).hasSize(3).noneMatch(WorkflowRun::failed);
    assertThat(m.runs()).allSatisfy(run -> assertThat(run.output().path("total").asInt()).isEqualTo(14));
    assertThat(m.runs()).flatExtracting(WorkflowRun::functions).extracting(FunctionRecord::requestId)
        .doesNotHaveDuplicates().hasSize(3 * 15);
  }

  @ServerlessBenchmark(value = "920.flow-all-states", language = "python")
  static class BurstFlow {
    @Test
    @io.sebs.junit.Burst(repetitions = 1, concurrency = 3)
    void burst(WorkflowMeasurements m) {
      SEEN.put("burst", m);
    }
  }

  @ServerlessBenchmark(value = "920.flow-all-states", language = "python")
  static class ColdFlow {
    @Test
    @ColdStart(repetitions = 2)
    void cold(WorkflowMeasurements m) {
      SEEN.put("cold", m);
    }
  }

}
