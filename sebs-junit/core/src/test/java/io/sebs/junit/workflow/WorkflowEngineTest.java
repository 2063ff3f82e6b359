package io.sebs.junit.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.FunctionRecord;
import io.sebs.junit.WorkflowRun;
import io.sebs.junit.benchmark.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * SeBS-Flow's data flow, state by state, with functions in the JVM: what each function receives, where its
 * result goes, and how the critical path adds up (each function "runs" 10 ms on a synthetic clock).
 */
class WorkflowEngineTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Functions by name; every call is recorded with the event it received. */
  private final Map<String, Function<JsonNode, Object>> functions = new ConcurrentHashMap<>();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();
  private final AtomicLong clock = new AtomicLong(1_700_000_000_000_000L);

  private WorkflowRun run(String definition, Object input) {
    return run(definition, input, 8);
  }

  private WorkflowRun run(String definition, Object input, int concurrency) {
    WorkflowDefinition d = WorkflowDefinition.parse(json(definition), "test");
    WorkflowEngine.FunctionCaller caller = (name, event) -> {
      calls.add(name);
      events.add(event);
      long begin = clock.getAndAdd(10_000);
      try {
        Object out = functions.get(name).apply(event);
        return new WorkflowEngine.FunctionCall(JSON.valueToTree(out), null, begin, begin + 10_000, true, name);
      } catch (RuntimeException e) {
        return new WorkflowEngine.FunctionCall(null, "ValueError: " + e.getMessage() + " (at f.py:1 in handler)",
            begin, begin + 10_000, true, name);
      }
    };
    try (WorkflowEngine engine = new WorkflowEngine(d, caller, concurrency, 0)) {
      return engine.run(JSON.valueToTree(input));
    }
  }

  @Test
  void aTaskGetsThePayloadWithARequestIdAndReturnsTheNextPayload() {
    functions.put("a", e -> Map.of("x", e.path("x").asInt() + 1));
    functions.put("b", e -> Map.of("x", e.path("x").asInt() * 10));
    WorkflowRun run = run("{'root': 'a', 'states': {'a': {'type': 'task', 'func_name': 'a', 'next': 'b'},"
        + " 'b': {'type': 'task', 'func_name': 'b'}}}", Map.of("x", 1));

    assertThat(run.output().toString()).isEqualTo("{\"x\":20}");
    assertThat(events.get(0).path("request-id").asText()).isEqualTo(run.functions().get(0).requestId()).isNotEmpty();
    assertThat(run.criticalPath()).isEqualTo(Duration.ofMillis(20));
  }

  @Test
  void aRepeatChainsOneFunction() {
    functions.put("inc", e -> Map.of("n", e.path("n").asInt() + 1));
    WorkflowRun run = run("{'root': 'r', 'states': {'r': {'type': 'repeat', 'func_name': 'inc', 'count': 3}}}",
        Map.of("n", 0));
    assertThat(run.output().path("n").asInt()).isEqualTo(3);
    assertThat(run.functions()).extracting(FunctionRecord::state).containsExactly("r", "r", "r");
    assertThat(run.criticalPath()).isEqualTo(Duration.ofMillis(30));
  }

  @Test
  void aSwitchTakesTheFirstMatchingCaseElseTheDefault() {
    functions.put("few", e -> "few");
    functions.put("many", e -> "many");
    String definition = "{'root': 's', 'states': {'s': {'type': 'switch', 'cases': ["
        + "{'var': 'p.n', 'op': '<', 'val': 10, 'next': 'few'}, {'var': 'p.n', 'op': '>=', 'val': 10, 'next': 'many'}],"
        + " 'default': 'few'}, 'few': {'type': 'task', 'func_name': 'few'}, 'many': {'type': 'task', 'func_name': 'many'}}}";
    assertThat(run(definition, Map.of("p", Map.of("n", 3))).output().asText()).isEqualTo("few");
    assertThat(run(definition, Map.of("p", Map.of("n", 10.0))).output().asText()).isEqualTo("many");
  }

  @Test
  void aMapRunsElementsConcurrentlyAndReplacesTheArrayWithTheirResults() {
    functions.put("sq", e -> e.asInt() * e.asInt());
    WorkflowRun run = run("{'root': 'm', 'states': {'m': {'type': 'map', 'array': 'data.items', 'root': 'sq',"
        + " 'states': {'sq': {'type': 'task', 'func_name': 'sq'}}}}}", Map.of("keep", 1, "data", Map.of("items",
            List.of(1, 2, 3))));

    assertThat(run.output()).isEqualTo(json("{'keep': 1, 'data': {'items': [1, 4, 9]}}"));
    assertThat(events).allSatisfy(e -> assertThat(e.isInt()).as("an element that is not an object gets no request-id").isTrue());
    assertThat(run.criticalPath()).as("the slowest element, not their sum").isEqualTo(Duration.ofMillis(10));
  }

  @Test
  void aMapWithCommonParamsWrapsEachElement() {
    functions.put("f", e -> e);
    run("{'root': 'm', 'states': {'m': {'type': 'map', 'array': 'items', 'root': 'f', 'common_params': 'bucket,cfg.k',"
        + " 'states': {'f': {'type': 'task', 'func_name': 'f'}}}}}",
        Map.of("items", List.of("a"), "bucket", "b1", "cfg", Map.of("k", 7)));
    ObjectNode event = (ObjectNode) events.get(0);
    assertThat(event.path("array_element").asText()).isEqualTo("a");
    assertThat(event.path("bucket").asText()).isEqualTo("b1");
    assertThat(event.path("cfg.k").asInt()).as("keyed by the param as written").isEqualTo(7);
  }

  @Test
  void aLoopRunsElementsOneByOneAndKeepsThePayload() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    functions.put("check", e -> {
      most.accumulateAndGet(running.incrementAndGet(), Math::max);
      running.decrementAndGet();
      return "checked";
    });
    WorkflowRun run = run("{'root': 'l', 'states': {'l': {'type': 'loop', 'func_name': 'check', 'array': 'xs'}}}",
        Map.of("xs", List.of(1, 2, 3)));
    assertThat(run.output().toString()).isEqualTo("{\"xs\":[1,2,3]}");
    assertThat(calls).hasSize(3);
    assertThat(most.get()).isEqualTo(1);
    assertThat(run.criticalPath()).isEqualTo(Duration.ofMillis(30));
  }

  @Test
  void aParallelStateKeysEachBranchResultByItsRootAndABranchEndingInAMapYieldsItsList() {
    functions.put("total", e -> e.path("xs").get(0).asInt() + e.path("xs").get(1).asInt());
    functions.put("dbl", e -> e.asInt() * 2);
    WorkflowRun run = run("{'root': 'p', 'states': {'p': {'type': 'parallel', 'parallel_functions': ["
        + "{'root': 'sum', 'states': {'sum': {'type': 'task', 'func_name': 'total'}}},"
        + "{'root': 'doubled', 'states': {'doubled': {'type': 'map', 'array': 'xs', 'root': 'd',"
        + "  'states': {'d': {'type': 'task', 'func_name': 'dbl'}}}}}]}}}", Map.of("xs", List.of(2, 5)));
    assertThat(run.output()).isEqualTo(json("{'sum': 7, 'doubled': [4, 10]}"));
  }

  @Test
  void aFailureTransitionPassesTheFailedFunctionsInputWithTheError() {
    functions.put("bad", e -> {
      throw new IllegalStateException("no rooms");
    });
    functions.put("undo", e -> e);
    WorkflowRun run = run("{'root': 'b', 'states': {'b': {'type': 'task', 'func_name': 'bad', 'failure': 'u'},"
        + " 'u': {'type': 'task', 'func_name': 'undo'}}}", Map.of("trip", "t1"));
    assertThat(run.failed()).isFalse();
    JsonNode out = run.output();
    assertThat(out.path("trip").asText()).isEqualTo("t1");
    assertThat(out.path("error").toString()).isEqualTo("{\"Error\":\"ValueError\",\"Cause\":\"no rooms\"}");
    assertThat(run.functions()).extracting(FunctionRecord::failed).containsExactly(true, false);
  }

  @Test
  void anUnhandledFailureFailsTheRunNamingFunctionStateAndError() {
    functions.put("bad", e -> {
      throw new IllegalStateException("no rooms");
    });
    WorkflowRun run = run("{'root': 'hotel', 'states': {'hotel': {'type': 'task', 'func_name': 'bad'}}}", Map.of());
    assertThat(run.failure()).hasValue(
        "function bad (state hotel) failed: ValueError: no rooms (at f.py:1 in handler)");
  }

  @Test
  void aMissingPathFailsTheRunWithThePayload() {
    WorkflowRun run = run("{'root': 'l', 'states': {'l': {'type': 'loop', 'func_name': 'x', 'array': 'a.b'}}}",
        Map.of("a", Map.of()));
    assertThat(run.failure()).hasValue("state 'l': the payload has no 'a.b' (payload: {\"a\":{}})");
  }

  @Test
  void noMoreFunctionsRunAtOnceThanTheConcurrencyAllows() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    functions.put("slow", e -> {
      most.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        Thread.sleep(20);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
      running.decrementAndGet();
      return 1;
    });
    run("{'root': 'm', 'states': {'m': {'type': 'map', 'array': 'xs', 'root': 's',"
        + " 'states': {'s': {'type': 'task', 'func_name': 'slow'}}}}}", Map.of("xs", List.of(1, 2, 3, 4, 5, 6)), 2);
    assertThat(calls).hasSize(6);
    assertThat(most.get()).isEqualTo(2);
  }

  @Test
  void aCycleOfSwitchesEndsTheRunInsteadOfSpinning() {
    WorkflowRun run = run("{'root': 'a', 'states': {'a': {'type': 'switch', 'cases': [], 'default': 'b'},"
        + " 'b': {'type': 'switch', 'cases': [], 'default': 'a'}}}", Map.of());
    assertThat(run.failure()).hasValueSatisfying(f -> assertThat(f).contains("entered more than 100000 states"));
  }

  @Test
  void aFailingElementStopsTheElementsStillWaitingForASlot() {
    functions.put("maybe", e -> {
      if (e.asInt() == 0) {
        throw new IllegalStateException("element 0");
      }
      return e;
    });
    List<Integer> forty = java.util.stream.IntStream.range(0, 40).boxed().toList();
    WorkflowRun run = run("{'root': 'm', 'states': {'m': {'type': 'map', 'array': 'xs', 'root': 'f',"
        + " 'states': {'f': {'type': 'task', 'func_name': 'maybe'}}}}}", Map.of("xs", forty), 2);
    assertThat(run.failure()).hasValueSatisfying(f -> assertThat(f).contains("element 0"));
    assertThat(calls.size()).as("calls after the failure").isLessThanOrEqualTo(3);
  }

  @Test
  void concurrentRunsOnOneEngineEachHaveTheirOwnConcurrencyLimit() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    functions.put("slow", e -> {
      most.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        Thread.sleep(50);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
      running.decrementAndGet();
      return 1;
    });
    WorkflowDefinition d = WorkflowDefinition.parse(json("{'root': 'm', 'states': {'m': {'type': 'map', 'array': 'xs',"
        + " 'root': 's', 'states': {'s': {'type': 'task', 'func_name': 'slow'}}}}}"), "test");
    WorkflowEngine.FunctionCaller caller = (name, event) -> {
      long begin = clock.getAndAdd(10_000);
      return new WorkflowEngine.FunctionCall(JSON.valueToTree(functions.get(name).apply(event)), null, begin,
          begin + 10_000, false, "c");
    };
    try (WorkflowEngine engine = new WorkflowEngine(d, caller, 2, 0)) {
      JsonNode input = JSON.valueToTree(Map.of("xs", List.of(1, 2)));
      var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
      List<java.util.concurrent.Future<WorkflowRun>> runs = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        runs.add(pool.submit(() -> engine.run(input)));
      }
      for (var f : runs) {
        assertThat(f.get().failed()).isFalse();
      }
      pool.shutdown();
    }
    assertThat(most.get()).as("3 runs x 2 elements, each run allowed 2 at once").isEqualTo(6);
  }

  @Test
  void theCriticalPathFromRecordsCountsAMapsStaggeredElementsOnce() {
    java.time.Instant t = java.time.Instant.parse("2026-01-01T00:00:00Z");
    WorkflowDefinition d = WorkflowDefinition.parse(json("{'root': 'gen', 'states': {"
        + "'gen': {'type': 'task', 'func_name': 'gen', 'next': 'm'},"
        + "'m': {'type': 'map', 'array': 'xs', 'root': 'p', 'next': 'r', 'states': {'p': {'type': 'task', 'func_name': 'p'}}},"
        + "'r': {'type': 'repeat', 'func_name': 'r', 'count': 2}}}"), "test");
    List<FunctionRecord> records = new java.util.ArrayList<>(List.of(record("gen", t, 10)));
    for (int i = 0; i < 10; i++) { // elements started 20 ms apart, 5 ms each: they never overlap
      records.add(record("p", t.plusMillis(12 + 20 * i), 5));
    }
    records.add(record("r", t.plusMillis(300), 7));
    records.add(record("r", t.plusMillis(310), 7));
    assertThat(CriticalPath.ofRecords(records, d)).isEqualTo(Duration.ofMillis(10 + 5 + 7 + 7));
  }

  private static FunctionRecord record(String state, java.time.Instant begin, long millis) {
    return new FunctionRecord(state, state, UUID_PREFIX + begin, begin, begin.plusMillis(millis), false, "c", null);
  }

  private static final String UUID_PREFIX = "r-";

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text.replace('\'', '"'));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
