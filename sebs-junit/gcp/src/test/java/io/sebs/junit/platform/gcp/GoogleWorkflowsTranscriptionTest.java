package io.sebs.junit.platform.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.benchmark.BenchmarkConfigurationException;
import io.sebs.junit.benchmark.WorkflowDefinition;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Google Workflows source of small definitions and of the fixture with every state type, checked in shape
 * and run by the stand-in's interpreter ({@link GoogleWorkflowsInterpreter}) over Java stand-ins of the
 * fixture's functions, so the data flow is the local engine's.
 */
class GoogleWorkflowsTranscriptionTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String URL = "https://f.example/";

  private static WorkflowDefinition definition(String text) throws Exception {
    return WorkflowDefinition.parse(JSON.readTree(text), "test");
  }

  private static ObjectNode source(WorkflowDefinition def, Integer limit) {
    Map<String, String> urls = new TreeMap<>();
    def.functionNames().forEach(f -> urls.put(f, URL + f));
    return GoogleWorkflowsTranscription.transcribe(def, urls, limit, 60);
  }

  /** Runs the source over Java functions (func_name to handler); an exception is a function error. */
  private static JsonNode run(ObjectNode source, JsonNode payload, Map<String, Function<JsonNode, JsonNode>> fs,
      List<String> calls) {
    GoogleWorkflowsInterpreter interpreter = new GoogleWorkflowsInterpreter(source, (url, audience, body, timeout) -> {
      assertThat(audience).isEqualTo(url);
      String func = url.substring(URL.length());
      calls.add(func + "@" + body.path("state").asText());
      assertThat(body.path("request_id").asText()).isEqualTo("run-1");
      try {
        JsonNode event = body.get("payload").deepCopy();
        if (event instanceof ObjectNode o) {
          o.put("request-id", "fn-" + calls.size());
        }
        return new GoogleWorkflowsInterpreter.Answer(200, "application/json", JSON.writeValueAsString(
            fs.get(func).apply(event)));
      } catch (RuntimeException e) {
        return new GoogleWorkflowsInterpreter.Answer(500, "application/json", JSON.createObjectNode()
            .put("error", e.getClass().getSimpleName()).put("message", e.getMessage()).toString());
      }
    });
    try {
      ObjectNode input = JSON.createObjectNode();
      input.set("payload", payload);
      input.put("request_id", "run-1");
      return interpreter.run(input);
    } finally {
      interpreter.close();
    }
  }

  /** The fixture's functions (900.fixtures/920.flow-all-states/python) in Java. */
  private static Map<String, Function<JsonNode, JsonNode>> fixtureFunctions() {
    Map<String, Function<JsonNode, JsonNode>> fs = new TreeMap<>();
    fs.put("start", e -> {
      if (e.path("boom").asBoolean()) {
        throw new IllegalStateException("boom requested");
      }
      int n = e.get("n").asInt();
      ObjectNode out = JSON.createObjectNode().put("n", n);
      ArrayNode items = out.putArray("items");
      for (int i = 1; i <= n; i++) {
        items.add(i);
      }
      out.put("counter", 0).put("seen_request_id", e.get("request-id").asText());
      return out;
    });
    fs.put("inc", e -> ((ObjectNode) e.deepCopy()).put("counter", e.get("counter").asInt() + 1));
    fs.put("square", e -> JSON.getNodeFactory().numberNode(e.asInt() * e.asInt()));
    fs.put("total", e -> {
      int sum = 0;
      for (JsonNode i : e.get("items")) {
        sum += i.asInt();
      }
      return JSON.getNodeFactory().numberNode(sum);
    });
    fs.put("scale", e -> JSON.getNodeFactory().numberNode(e.get("array_element").asInt() * e.get("n").asInt()));
    fs.put("check", e -> JSON.createObjectNode().put("checked", e.asInt()));
    fs.put("fail_when", e -> {
      throw new IllegalArgumentException("planned failure");
    });
    fs.put("recover", e -> {
      ObjectNode out = JSON.createObjectNode();
      out.set("recovered", e.get("error"));
      out.set("total", e.get("total"));
      out.set("scaled", e.get("scaled"));
      List<String> keys = new ArrayList<>();
      e.fieldNames().forEachRemaining(k -> {
        if (!k.equals("request-id")) {
          keys.add(k);
        }
      });
      Collections.sort(keys);
      keys.forEach(out.putArray("input_keys")::add);
      return out;
    });
    return fs;
  }

  private static Path fixture() {
    return Fixtures.benchmarksDir().resolve("900.fixtures/920.flow-all-states/definition.json");
  }

  @Test
  void aTaskIsAnOidcHttpPostOfPayloadRequestIdAndStateWhoseBodyIsTheNextPayload() throws Exception {
    ObjectNode source = source(definition("""
        {"root": "a", "states": {"a": {"type": "task", "func_name": "f", "next": "b"},
                                 "b": {"type": "task", "func_name": "g"}}}"""), null);
    assertThat(source.fieldNames()).toIterable().containsExactly("main");
    JsonNode steps = source.path("main").path("steps");
    assertThat(source.path("main").path("params").toString()).isEqualTo("[\"input\"]");
    assertThat(steps.get(0).toString()).isEqualTo("{\"sebs_init\":{\"assign\":[{\"payload\":\"${input.payload}\"},"
        + "{\"request_id\":\"${input.request_id}\"}]}}");
    assertThat(steps.get(1).toString()).isEqualTo("{\"a\":{\"call\":\"http.post\",\"args\":{\"url\":\"" + URL + "f\","
        + "\"auth\":{\"type\":\"OIDC\",\"audience\":\"" + URL + "f\"},\"body\":{\"payload\":\"${payload}\","
        + "\"request_id\":\"${request_id}\",\"state\":\"a\"},\"timeout\":60},\"result\":\"sebs_answer\"}}");
    assertThat(steps.get(2).toString()).isEqualTo(
        "{\"a_result\":{\"assign\":[{\"payload\":\"${sebs_answer.body}\"}],\"next\":\"b\"}}");
    assertThat(steps.get(steps.size() - 1).toString()).isEqualTo("{\"sebs_return\":{\"return\":\"${payload}\"}}");
    List<String> calls = new ArrayList<>();
    JsonNode out = run(source, JSON.readTree("{\"x\":1}"), Map.of(
        "f", e -> ((ObjectNode) e).put("f", true), "g", e -> ((ObjectNode) e).put("g", true)), calls);
    assertThat(out.path("x").asInt()).isEqualTo(1);
    assertThat(out.path("f").asBoolean()).isTrue();
    assertThat(out.path("g").asBoolean()).isTrue();
    assertThat(calls).containsExactly("f@a", "g@b");
  }

  @Test
  void aSwitchComparesInGooglesExpressionsAndEndsWithoutADefault() throws Exception {
    WorkflowDefinition def = definition("""
        {"root": "s", "states": {
          "s": {"type": "switch", "cases": [{"var": "a.b", "op": ">=", "val": 2, "next": "big"},
                                            {"var": "name", "op": "==", "val": "x\\"y", "next": "named"}]},
          "big": {"type": "task", "func_name": "f"},
          "named": {"type": "task", "func_name": "g"}}}""");
    ObjectNode source = source(def, null);
    JsonNode sw = source.path("main").path("steps").get(1).path("s");
    assertThat(sw.toString()).isEqualTo("{\"switch\":[{\"condition\":\"${payload.a.b >= 2}\",\"next\":\"big\"},"
        + "{\"condition\":\"${payload.name == \\\"x\\\\\\\"y\\\"}\",\"next\":\"named\"}],\"next\":\"sebs_return\"}");
    Map<String, Function<JsonNode, JsonNode>> fs = Map.of("f", e -> JSON.getNodeFactory().textNode("big"),
        "g", e -> JSON.getNodeFactory().textNode("named"));
    assertThat(run(source, JSON.readTree("{\"a\":{\"b\":3},\"name\":\"\"}"), fs, new ArrayList<>()).asText())
        .isEqualTo("big");
    assertThat(run(source, JSON.readTree("{\"a\":{\"b\":1},\"name\":\"x\\\"y\"}"), fs, new ArrayList<>()).asText())
        .isEqualTo("named");
    assertThat(run(source, JSON.readTree("{\"a\":{\"b\":1},\"name\":\"z\"}"), fs, new ArrayList<>()).toString())
        .isEqualTo("{\"a\":{\"b\":1},\"name\":\"z\"}");
  }

  @Test
  void aMapIsAParallelForWithTheConcurrencyLimitWhoseResultsReplaceTheArrayInOrder() throws Exception {
    WorkflowDefinition def = definition("""
        {"root": "m", "states": {"m": {"type": "map", "array": "xs", "root": "sq", "common_params": "k",
          "states": {"sq": {"type": "task", "func_name": "f"}}}}}""");
    ObjectNode source = source(def, 3);
    assertThat(source.fieldNames()).toIterable().containsExactly("main", "map_m");
    JsonNode parallel = source.path("main").path("steps").get(3).path("m_run").path("parallel");
    assertThat(parallel.path("concurrency_limit").asInt()).isEqualTo(3);
    assertThat(parallel.path("shared").toString()).isEqualTo("[\"sebs_results\"]");
    assertThat(source(def, 500).path("main").path("steps").get(3).path("m_run").path("parallel")
        .path("concurrency_limit").asInt()).isEqualTo(GoogleWorkflowsTranscription.GOOGLE_MAX_CONCURRENCY);
    JsonNode out = run(source, JSON.readTree("{\"xs\":[1,2,3,4,5],\"k\":10}"), Map.of("f", e -> {
      try {
        Thread.sleep(50 - 10L * e.get("array_element").asInt());
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
      return JSON.getNodeFactory().numberNode(e.get("array_element").asInt() * e.get("k").asInt());
    }), new ArrayList<>());
    assertThat(out.toString()).isEqualTo("{\"xs\":[10,20,30,40,50],\"k\":10}");
  }

  @Test
  void aFailureTransitionAddsErrorAndCauseToThePayloadAndWrapsOneThatIsNoMap() throws Exception {
    WorkflowDefinition def = definition("""
        {"root": "t", "states": {"t": {"type": "task", "func_name": "bad", "failure": "r"},
                                 "r": {"type": "task", "func_name": "echo"}}}""");
    ObjectNode source = source(def, null);
    assertThat(source.fieldNames()).toIterable().containsExactly("main", GoogleWorkflowsTranscription.ERROR_SUBWORKFLOW);
    Map<String, Function<JsonNode, JsonNode>> fs = Map.of("bad", e -> {
      throw new IllegalArgumentException("no good");
    }, "echo", e -> {
      ((ObjectNode) e).remove("request-id");
      return e;
    });
    assertThat(run(source, JSON.readTree("{\"a\":1}"), fs, new ArrayList<>()).toString())
        .isEqualTo("{\"a\":1,\"error\":{\"Error\":\"IllegalArgumentException\",\"Cause\":\"no good\"}}");
    assertThat(run(source, JSON.readTree("[1]"), fs, new ArrayList<>()).toString())
        .isEqualTo("{\"input\":[1],\"error\":{\"Error\":\"IllegalArgumentException\",\"Cause\":\"no good\"}}");
  }

  @Test
  void anErrorThatIsNoFunctionAnswerGivesItsFirstTagAndMessage() throws Exception {
    ObjectNode source = source(definition("""
        {"root": "t", "states": {"t": {"type": "task", "func_name": "slow", "failure": "r"},
                                 "r": {"type": "task", "func_name": "echo"}}}"""), null);
    GoogleWorkflowsInterpreter interpreter = new GoogleWorkflowsInterpreter(source, (url, audience, body, timeout) ->
        url.endsWith("slow") ? new GoogleWorkflowsInterpreter.Answer(504, "text/html", "<h1>upstream timeout</h1>")
            : new GoogleWorkflowsInterpreter.Answer(200, "application/json", body.get("payload").toString()));
    try {
      JsonNode out = interpreter.run(JSON.readTree("{\"payload\":{\"a\":1},\"request_id\":\"r\"}"));
      assertThat(out.toString()).isEqualTo("{\"a\":1,\"error\":{\"Error\":\"HttpError\","
          + "\"Cause\":\"HTTP server responded with error code 504\"}}");
    } finally {
      interpreter.close();
    }
  }

  @Test
  void aTaskWithoutFailureTransitionFailsTheExecutionWithGooglesHttpError() throws Exception {
    ObjectNode source = source(fixtureDefinition(), null);
    assertThatThrownBy(() -> run(source, JSON.readTree("{\"n\":3,\"boom\":true}"), fixtureFunctions(),
        new ArrayList<>())).isInstanceOf(GoogleWorkflowsInterpreter.WorkflowError.class)
        .hasMessageContaining("HttpError").hasMessageContaining("boom requested");
  }

  @Test
  void aCaseWithAListValueCannotBeAGoogleCondition() throws Exception {
    WorkflowDefinition def = definition("""
        {"root": "s", "states": {"s": {"type": "switch", "cases": [{"var": "a", "op": "==", "val": [1], "next": "t"}]},
                                 "t": {"type": "task", "func_name": "f"}}}""");
    assertThatThrownBy(() -> source(def, null)).isInstanceOf(BenchmarkConfigurationException.class)
        .hasMessageContaining("switch state 's'").hasMessageContaining("Google Workflows condition");
  }

  @Test
  void namesAreReducedToGooglesAlphabetAndMadeUnique() throws Exception {
    ObjectNode source = source(definition("""
        {"root": "process-state", "states": {
          "process-state": {"type": "task", "func_name": "f", "next": "process_state"},
          "process_state": {"type": "task", "func_name": "f", "next": "end"},
          "end": {"type": "task", "func_name": "f"}}}"""), null);
    List<String> names = new ArrayList<>();
    source.path("main").path("steps").forEach(s -> names.add(s.fieldNames().next()));
    assertThat(names).containsExactly("sebs_init", "process_state", "process_state_result", "process_state_2",
        "process_state_2_result", "end_state", "end_state_result", "sebs_return");
    List<String> calls = new ArrayList<>();
    run(source, JSON.readTree("{}"), Map.of("f", e -> e), calls);
    assertThat(calls).containsExactly("f@process-state", "f@process_state", "f@end");
  }

  private static WorkflowDefinition fixtureDefinition() {
    return WorkflowDefinition.read(fixture(), "920");
  }

  @Test
  void theFixtureWithEveryStateTypeRunsWithTheLocalEnginesResults() throws Exception {
    ObjectNode source = source(fixtureDefinition(), 2);
    List<String> calls = Collections.synchronizedList(new ArrayList<>());
    JsonNode out = run(source, JSON.readTree("{\"n\":3}"), fixtureFunctions(), calls);
    assertThat(out.path("total").asInt()).isEqualTo(14);
    assertThat(out.path("scaled").toString()).isEqualTo("[3,12,27]");
    assertThat(out.path("recovered").toString())
        .isEqualTo("{\"Error\":\"IllegalArgumentException\",\"Cause\":\"planned failure\"}");
    assertThat(out.path("input_keys").toString()).isEqualTo("[\"error\",\"scaled\",\"total\"]");
    assertThat(calls).hasSize(15).startsWith("start@start", "inc@twice", "inc@twice")
        .endsWith("fail_when@risky", "recover@recover");
    assertThat(calls).filteredOn(c -> c.equals("square@square")).hasSize(3);
    assertThat(calls).filteredOn(c -> c.equals("scale@scale")).hasSize(3);
    assertThat(calls).filteredOn(c -> c.equals("check@audit")).hasSize(3);
    // the source is what the API gets: JSON text that parses back to the same
    assertThat(JSON.readTree(GoogleWorkflowsTranscription.toSource(fixtureDefinition(),
        Map.of("start", "u", "inc", "u", "fail_when", "u", "square", "u", "total", "u", "scale", "u", "check", "u",
            "recover", "u"), 2, 60)).fieldNames()).toIterable()
        .containsExactly("main", "map_squares", "branch_fanout_total", "branch_fanout_scaled", "map_scaled",
            GoogleWorkflowsTranscription.ERROR_SUBWORKFLOW);
  }

  @Test
  void everySuiteWorkflowTranscribesAndPassesTheStandInsStrictCheck() throws Exception {
    Path suite = Path.of(System.getProperty("user.dir")).getParent().getParent().resolve("benchmarks/600.workflows");
    List<Path> definitions;
    try (Stream<Path> files = Files.list(suite)) {
      definitions = files.map(d -> d.resolve("definition.json")).filter(Files::isRegularFile).sorted().toList();
    }
    assertThat(definitions).hasSizeGreaterThanOrEqualTo(6);
    for (Path file : definitions) {
      ObjectNode source = source(WorkflowDefinition.read(file, file.getParent().getFileName().toString()), null);
      new GoogleWorkflowsInterpreter(source, (u, a, b, t) -> null).close();
    }
  }

  @Test
  void theStandInRejectsUnknownKeysAsGooglesDeploymentDoes() throws Exception {
    ObjectNode source = source(definition("{\"root\": \"a\", \"states\": {\"a\": {\"type\": \"task\", \"func_name\":"
        + " \"f\"}}}"), null);
    ((ObjectNode) source.path("main").path("steps").get(1).path("a")).put("retries", 3);
    assertThatThrownBy(() -> new GoogleWorkflowsInterpreter(source, (u, a, b, t) -> null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown key 'retries'");
  }
}
