package io.sebs.junit.platform.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.benchmark.BenchmarkConfigurationException;
import io.sebs.junit.benchmark.WorkflowDefinition;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The exact States Language of small definitions, one per SeBS-Flow state type. */
class StepFunctionsTranscriptionTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ARN = "arn:aws:lambda:us-east-1:123456789012:function:";

  private static ObjectNode asl(String definition) {
    try {
      WorkflowDefinition def = WorkflowDefinition.parse(JSON.readTree(definition), "test");
      Map<String, String> arns = new TreeMap<>();
      def.functionNames().forEach(f -> arns.put(f, ARN + f));
      ObjectNode machine = StepFunctionsTranscription.transcribe(def, arns);
      assertThat(machine.path("Comment").asText()).isNotEmpty();
      machine.remove("Comment");
      return machine;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String task(String func, String state, String rest) {
    return "{\"Type\":\"Task\",\"Resource\":\"" + ARN + func + "\",\"Parameters\":{\"payload.$\":\"$.payload\","
        + "\"request_id.$\":\"$.request_id\",\"state\":\"" + state + "\"},\"ResultPath\":\"$.payload\"," + rest + "}";
  }

  @Test
  void aTaskChainIsTaskStatesOnThePayload() {
    ObjectNode machine = asl("""
        {"root": "a", "states": {"a": {"type": "task", "func_name": "f", "next": "b"},
                                 "b": {"type": "task", "func_name": "g"}}}""");
    assertThat(machine).isEqualTo(json("{\"StartAt\":\"a\",\"States\":{"
        + "\"a\":" + task("f", "a", "\"Next\":\"b\"") + ","
        + "\"b\":" + task("g", "b", "\"End\":true") + "}}"));
    // the exact text, in this order
    assertThat(machine.toString()).isEqualTo("{\"StartAt\":\"a\",\"States\":{\"a\":{\"Type\":\"Task\",\"Resource\":\""
        + ARN + "f\",\"Parameters\":{\"payload.$\":\"$.payload\",\"request_id.$\":\"$.request_id\",\"state\":\"a\"},"
        + "\"ResultPath\":\"$.payload\",\"Next\":\"b\"},\"b\":{\"Type\":\"Task\",\"Resource\":\"" + ARN + "g\","
        + "\"Parameters\":{\"payload.$\":\"$.payload\",\"request_id.$\":\"$.request_id\",\"state\":\"b\"},"
        + "\"ResultPath\":\"$.payload\",\"End\":true}}}");
  }

  @Test
  void aFailureTransitionCatchesEverythingAndShapesTheLocalEnginesPayload() {
    ObjectNode machine = asl("""
        {"root": "a", "states": {"a": {"type": "task", "func_name": "f", "failure": "r"},
                                 "r": {"type": "task", "func_name": "g"}}}""");
    String pass = "{\"Type\":\"Pass\",\"Parameters\":%s,\"ResultPath\":\"%s\",\"Next\":\"%s\"}";
    assertThat(machine).isEqualTo(json("{\"StartAt\":\"a\",\"States\":{"
        + "\"a\":" + task("f", "a", "\"End\":true,\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"ResultPath\":"
            + "\"$.error\",\"Next\":\"a.error\"}]") + ","
        + "\"a.error\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.error.Cause\","
            + "\"StringMatches\":\"{*\\\"errorMessage\\\"*}\",\"Next\":\"a.error.parse\"}],\"Default\":\"a.error.plain\"},"
        + "\"a.error.parse\":" + String.format(pass, "{\"Error.$\":\"$.error.Error\","
            + "\"Cause.$\":\"States.StringToJson($.error.Cause)\"}", "$.error", "a.error.message") + ","
        + "\"a.error.message\":" + String.format(pass, "{\"error\":{\"Error.$\":\"$.error.Error\","
            + "\"Cause.$\":\"$.error.Cause.errorMessage\"}}", "$.error", "a.error.payload") + ","
        + "\"a.error.plain\":" + String.format(pass, "{\"error\":{\"Error.$\":\"$.error.Error\","
            + "\"Cause.$\":\"$.error.Cause\"}}", "$.error", "a.error.payload") + ","
        + "\"a.error.payload\":{\"Type\":\"Choice\",\"Choices\":[{\"Or\":["
            + "{\"Variable\":\"$.payload\",\"IsNumeric\":true},{\"Variable\":\"$.payload\",\"IsString\":true},"
            + "{\"Variable\":\"$.payload\",\"IsBoolean\":true},{\"Variable\":\"$.payload\",\"IsNull\":true},"
            + "{\"Variable\":\"$.payload[0]\",\"IsPresent\":true}],\"Next\":\"a.error.wrap\"}],"
            + "\"Default\":\"a.error.merge\"},"
        + "\"a.error.merge\":" + String.format(pass, "{\"payload.$\":\"States.JsonMerge($.payload, $.error, false)\","
            + "\"request_id.$\":\"$.request_id\"}", "$", "r") + ","
        + "\"a.error.wrap\":" + String.format(pass, "{\"payload\":{\"input.$\":\"$.payload\",\"error.$\":"
            + "\"$.error.error\"},\"request_id.$\":\"$.request_id\"}", "$", "r") + ","
        + "\"r\":" + task("g", "r", "\"End\":true") + "}}"));
  }

  @Test
  void aSwitchIsAChoiceByTheValuesTypeAndEndsWithSucceedWithoutADefault() {
    ObjectNode machine = asl("""
        {"root": "s", "states": {
          "s": {"type": "switch", "cases": [
            {"var": "n", "op": "<", "val": 2, "next": "a"},
            {"var": "deep.name", "op": ">=", "val": "m", "next": "a"},
            {"var": "flag", "op": "==", "val": true, "next": "a"},
            {"var": "x", "op": "==", "val": null, "next": "a"},
            {"var": "ratio", "op": "==", "val": 0.5, "next": "a"}]},
          "a": {"type": "task", "func_name": "f"}}}""");
    assertThat(machine).isEqualTo(json("{\"StartAt\":\"s\",\"States\":{"
        + "\"s\":{\"Type\":\"Choice\",\"Choices\":["
        + "{\"Variable\":\"$.payload.n\",\"NumericLessThan\":2,\"Next\":\"a\"},"
        + "{\"Variable\":\"$.payload.deep.name\",\"StringGreaterThanEquals\":\"m\",\"Next\":\"a\"},"
        + "{\"Variable\":\"$.payload.flag\",\"BooleanEquals\":true,\"Next\":\"a\"},"
        + "{\"Variable\":\"$.payload.x\",\"IsNull\":true,\"Next\":\"a\"},"
        + "{\"Variable\":\"$.payload.ratio\",\"NumericEquals\":0.5,\"Next\":\"a\"}],"
        + "\"Default\":\"s.end\"},"
        + "\"s.end\":{\"Type\":\"Succeed\"},"
        + "\"a\":" + task("f", "a", "\"End\":true") + "}}"));

    ObjectNode withDefault = asl("""
        {"root": "s", "states": {
          "s": {"type": "switch", "cases": [{"var": "n", "op": "==", "val": 1, "next": "a"}], "default": "b"},
          "a": {"type": "task", "func_name": "f"}, "b": {"type": "task", "func_name": "f"}}}""");
    assertThat(withDefault.path("States").path("s").path("Default").asText()).isEqualTo("b");
    assertThat(withDefault.path("States").has("s.end")).isFalse();

    assertThatThrownBy(() -> asl("""
        {"root": "s", "states": {
          "s": {"type": "switch", "cases": [{"var": "n", "op": "<", "val": true, "next": "a"}]},
          "a": {"type": "task", "func_name": "f"}}}"""))
        .isInstanceOf(BenchmarkConfigurationException.class).hasMessageContaining("cannot be a Step Functions Choice");
  }

  @Test
  void aMapSelectsEachElementAndWritesTheResultsBackAtItsArray() {
    ObjectNode machine = asl("""
        {"root": "m", "states": {
          "m": {"type": "map", "array": "items", "root": "sq", "next": "c",
                "states": {"sq": {"type": "task", "func_name": "square"}}},
          "c": {"type": "map", "array": "data.xs", "root": "sc", "common_params": "n,cfg.k",
                "states": {"sc": {"type": "task", "func_name": "scale", "next": "t"},
                           "t": {"type": "task", "func_name": "square"}}}}}""");
    assertThat(machine).isEqualTo(json("{\"StartAt\":\"m\",\"States\":{"
        + "\"m\":{\"Type\":\"Map\",\"ItemsPath\":\"$.payload.items\","
        + "\"ItemSelector\":{\"payload.$\":\"$$.Map.Item.Value\",\"request_id.$\":\"$.request_id\"},"
        + "\"ItemProcessor\":{\"ProcessorConfig\":{\"Mode\":\"INLINE\"},\"StartAt\":\"sq\",\"States\":{"
        + "\"sq\":" + task("square", "sq", "\"End\":true,\"OutputPath\":\"$.payload\"") + "}},"
        + "\"ResultPath\":\"$.payload.items\",\"Next\":\"c\"},"
        + "\"c\":{\"Type\":\"Map\",\"ItemsPath\":\"$.payload.data.xs\","
        + "\"ItemSelector\":{\"payload\":{\"array_element.$\":\"$$.Map.Item.Value\",\"n.$\":\"$.payload.n\","
        + "\"cfg.k.$\":\"$.payload.cfg.k\"},\"request_id.$\":\"$.request_id\"},"
        + "\"ItemProcessor\":{\"ProcessorConfig\":{\"Mode\":\"INLINE\"},\"StartAt\":\"sc\",\"States\":{"
        + "\"sc\":" + task("scale", "sc", "\"Next\":\"t\"") + ","
        + "\"t\":" + task("square", "t", "\"End\":true,\"OutputPath\":\"$.payload\"") + "}},"
        + "\"ResultPath\":\"$.payload.data.xs\",\"End\":true}}}"));
  }

  @Test
  void aLoopIsAMapOneElementAtATimeWhoseResultsAreDiscarded() {
    ObjectNode machine = asl("""
        {"root": "l", "states": {"l": {"type": "loop", "func_name": "check", "array": "xs"}}}""");
    assertThat(machine).isEqualTo(json("{\"StartAt\":\"l\",\"States\":{"
        + "\"l\":{\"Type\":\"Map\",\"ItemsPath\":\"$.payload.xs\",\"MaxConcurrency\":1,"
        + "\"ItemSelector\":{\"payload.$\":\"$$.Map.Item.Value\",\"request_id.$\":\"$.request_id\"},"
        + "\"ItemProcessor\":{\"ProcessorConfig\":{\"Mode\":\"INLINE\"},\"StartAt\":\"l.check\",\"States\":{"
        + "\"l.check\":" + task("check", "l", "\"End\":true") + "}},"
        + "\"ResultPath\":null,\"End\":true}}}"));
  }

  @Test
  void aRepeatIsAChainOfTasksNamedAfterItsState() {
    ObjectNode machine = asl("""
        {"root": "r", "states": {"r": {"type": "repeat", "func_name": "inc", "count": 3, "next": "z"},
                                 "z": {"type": "task", "func_name": "f"}}}""");
    assertThat(machine).isEqualTo(json("{\"StartAt\":\"r\",\"States\":{"
        + "\"r\":" + task("inc", "r", "\"Next\":\"r.2\"") + ","
        + "\"r.2\":" + task("inc", "r", "\"Next\":\"r.3\"") + ","
        + "\"r.3\":" + task("inc", "r", "\"Next\":\"z\"") + ","
        + "\"z\":" + task("f", "z", "\"End\":true") + "}}"));
  }

  @Test
  void aParallelKeysEachBranchResultByItsRootAndAMapEndedBranchYieldsItsList() {
    ObjectNode machine = asl("""
        {"root": "p", "states": {"p": {"type": "parallel", "parallel_functions": [
          {"root": "total", "states": {"total": {"type": "task", "func_name": "sum"}}},
          {"root": "scaled", "states": {"scaled": {"type": "map", "array": "items", "root": "scale",
             "states": {"scale": {"type": "task", "func_name": "scale"}}}}}]}}}""");
    assertThat(machine).isEqualTo(json("{\"StartAt\":\"p\",\"States\":{"
        + "\"p\":{\"Type\":\"Parallel\",\"Branches\":["
        + "{\"StartAt\":\"total\",\"States\":{\"total\":" + task("sum", "total", "\"End\":true,\"OutputPath\":\"$.payload\"")
        + "}},"
        + "{\"StartAt\":\"scaled\",\"States\":{\"scaled\":{\"Type\":\"Map\",\"ItemsPath\":\"$.payload.items\","
        + "\"ItemSelector\":{\"payload.$\":\"$$.Map.Item.Value\",\"request_id.$\":\"$.request_id\"},"
        + "\"ItemProcessor\":{\"ProcessorConfig\":{\"Mode\":\"INLINE\"},\"StartAt\":\"scale\",\"States\":{"
        + "\"scale\":" + task("scale", "scale", "\"End\":true,\"OutputPath\":\"$.payload\"") + "}},"
        + "\"ResultPath\":\"$.payload.items\",\"End\":true,\"OutputPath\":\"$.payload.items\"}}}],"
        + "\"ResultSelector\":{\"total.$\":\"$[0]\",\"scaled.$\":\"$[1]\"},"
        + "\"ResultPath\":\"$.payload\",\"End\":true}}}"));
  }

  @Test
  void namesUsedAgainInNestedStatesGetASuffixAndFunctionsStillSeeTheirState() {
    ObjectNode machine = asl("""
        {"root": "x", "states": {
          "x": {"type": "map", "array": "xs", "root": "x", "states": {"x": {"type": "task", "func_name": "f"}}}}}""");
    JsonNode inner = machine.path("States").path("x").path("ItemProcessor");
    assertThat(inner.path("StartAt").asText()).isEqualTo("x#2");
    assertThat(inner.path("States").path("x#2").path("Parameters").path("state").asText()).isEqualTo("x");
  }

  @Test
  void aBranchEndingOnASwitchWithoutDefaultEndsWithTheResultBeforeIt() {
    ObjectNode machine = asl("""
        {"root": "p", "states": {"p": {"type": "parallel", "parallel_functions": [
          {"root": "m", "states": {
            "m": {"type": "map", "array": "xs", "root": "f", "next": "s",
                  "states": {"f": {"type": "task", "func_name": "f"}}},
            "s": {"type": "switch", "cases": [{"var": "n", "op": ">", "val": 1, "next": "g"}]},
            "g": {"type": "task", "func_name": "f"}}}]}}}""");
    JsonNode branch = machine.path("States").path("p").path("Branches").get(0).path("States");
    assertThat(branch.path("s.end")).isEqualTo(json("{\"Type\":\"Succeed\",\"OutputPath\":\"$.payload.xs\"}"));
  }

  @Test
  void theFixtureWithEveryStateTypeTranscribes() throws Exception {
    WorkflowDefinition def = WorkflowDefinition.read(io.sebs.junit.testing.Fixtures.benchmarksDir()
        .resolve("900.fixtures/920.flow-all-states/definition.json"), "920");
    Map<String, String> arns = new TreeMap<>();
    def.functionNames().forEach(f -> arns.put(f, ARN + f));
    JsonNode machine = JSON.readTree(StepFunctionsTranscription.toJson(def, arns));
    assertThat(machine.path("StartAt").asText()).isEqualTo("start");
    assertThat(machine.path("States").fieldNames()).toIterable().containsExactly("start", "twice", "twice.2",
        "choose", "broken", "squares", "fanout", "audit", "risky", "risky.error", "risky.error.parse",
        "risky.error.message", "risky.error.plain", "risky.error.payload", "risky.error.merge", "risky.error.wrap",
        "recover");
  }
}
