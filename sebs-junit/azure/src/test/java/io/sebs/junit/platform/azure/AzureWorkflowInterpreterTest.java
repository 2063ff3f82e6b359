package io.sebs.junit.platform.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.process.Command;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orchestrator app's interpreter (sebs_workflow.js) on the edge cases of SeBS-Flow's data flow, driven by
 * workflow_interpreter_harness.js as Durable would drive it, without a Functions host: fake functions answer at once
 * (inc, echo, fail, fail_late, list, empty; see the harness). The full data flow of every state type on the stand-in
 * is {@link AzureWorkflowContractTest}'s.
 */
class AzureWorkflowInterpreterTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private JsonNode run(String definition, String input) throws IOException {
    copy("workflow/sebs_workflow.js", AzurePackage.class, dir.resolve("sebs_workflow.js"));
    copy("workflow_interpreter_harness.js", AzureWorkflowInterpreterTest.class, dir.resolve("harness.js"));
    Files.writeString(dir.resolve("definition.json"), definition);
    Files.writeString(dir.resolve("scenario.json"), "{\"input\": " + input + "}");
    Command.Result result = Command.of("node", dir.resolve("harness.js").toString(), dir.toString(),
        dir.resolve("scenario.json").toString()).timeout(Duration.ofSeconds(60)).run().orThrow("the harness");
    return JSON.readTree(result.stdout());
  }

  private static void copy(String resource, Class<?> base, Path target) throws IOException {
    try (InputStream in = base.getResourceAsStream(resource)) {
      Files.write(target, in.readAllBytes());
    }
  }

  @Test
  void aMapOverAnEmptyListGivesAnEmptyListAndGoesOn() throws IOException {
    JsonNode r = run("{\"root\": \"make\", \"states\": {"
        + "\"make\": {\"type\": \"task\", \"func_name\": \"empty\", \"next\": \"each\"},"
        + "\"each\": {\"type\": \"map\", \"array\": \"xs\", \"root\": \"one\", \"next\": \"after\","
        + "  \"states\": {\"one\": {\"type\": \"task\", \"func_name\": \"inc\"}}},"
        + "\"after\": {\"type\": \"task\", \"func_name\": \"echo\"}}}", "{\"n\": 1}");

    assertThat(r.path("output").path("error").isMissingNode()).as("%s", r).isTrue();
    assertThat(r.path("output").path("output").path("xs").toString()).isEqualTo("[]");
    assertThat(r.path("output").path("records")).extracting(n -> n.path("func").asText()).containsExactly("empty", "echo");
  }

  @Test
  void anEmptyNextEndsTheWorkflowAsAMissingOneDoes() throws IOException {
    JsonNode r = run("{\"root\": \"a\", \"states\": {\"a\": {\"type\": \"task\", \"func_name\": \"inc\", \"next\": \"\"}}}",
        "{\"n\": 1}");

    assertThat(r.path("output").path("output").path("n").asInt()).as("%s", r).isEqualTo(2);
  }

  @Test
  void aFanOutFailsWithTheEarliestFailureInTimeAndKeepsEveryRecord() throws IOException {
    // the first branch fails 1 s after it began, the second 5 ms after: the second's failure ended the run first
    JsonNode r = run("{\"root\": \"both\", \"states\": {\"both\": {\"type\": \"parallel\", \"parallel_functions\": ["
        + "{\"root\": \"slow\", \"states\": {\"slow\": {\"type\": \"task\", \"func_name\": \"fail_late\"}}},"
        + "{\"root\": \"quick\", \"states\": {\"quick\": {\"type\": \"task\", \"func_name\": \"fail\"}}}]}}}",
        "{\"n\": 1}");

    assertThat(r.path("output").path("error").asText())
        .isEqualTo("function fail (state quick) failed: ValueError: planned failure of quick");
    assertThat(r.path("output").path("records")).hasSize(2);
  }

  @Test
  void aFailureTransitionGetsThePayloadPlusTheErrorWithoutWhereItFailed() throws IOException {
    JsonNode r = run("{\"root\": \"risky\", \"states\": {"
        + "\"risky\": {\"type\": \"task\", \"func_name\": \"fail\", \"failure\": \"recover\"},"
        + "\"recover\": {\"type\": \"task\", \"func_name\": \"echo\"}}}", "{\"n\": 1}");

    JsonNode out = r.path("output").path("output");
    assertThat(out.path("n").asInt()).as("%s", r).isEqualTo(1);
    assertThat(out.path("error").path("Error").asText()).isEqualTo("ValueError");
    assertThat(out.path("error").path("Cause").asText()).isEqualTo("planned failure of risky");
  }

  @Test
  void aSwitchThatCannotCompareItsValueFailsTheRunNamingTheState() throws IOException {
    JsonNode r = run("{\"root\": \"pick\", \"states\": {\"pick\": {\"type\": \"switch\", \"cases\": ["
        + "{\"var\": \"n\", \"op\": \"<\", \"val\": \"ten\", \"next\": \"a\"}], \"default\": \"a\"},"
        + "\"a\": {\"type\": \"task\", \"func_name\": \"echo\"}}}", "{\"n\": 1}");

    assertThat(r.path("output").path("error").asText()).startsWith("switch state 'pick': cannot compare n = 1 < \"ten\"");
    assertThat(r.path("output").path("records")).isEmpty();
  }

  @Test
  void aMultiStateMapBodyRunsAsSubOrchestrationsWithCommonParams() throws IOException {
    JsonNode r = run("{\"root\": \"make\", \"states\": {"
        + "\"make\": {\"type\": \"task\", \"func_name\": \"list\", \"next\": \"each\"},"
        + "\"each\": {\"type\": \"map\", \"array\": \"xs\", \"root\": \"first\", \"common_params\": \"n\","
        + "  \"states\": {\"first\": {\"type\": \"task\", \"func_name\": \"echo\", \"next\": \"second\"},"
        + "              \"second\": {\"type\": \"task\", \"func_name\": \"echo\"}}}}}", "{\"n\": 7}");

    JsonNode xs = r.path("output").path("output").path("xs");
    assertThat(xs).as("%s", r).hasSize(3);
    assertThat(xs.get(0).path("array_element").asInt()).isEqualTo(1);
    assertThat(xs.get(2).path("n").asInt()).isEqualTo(7);
    assertThat(r.path("output").path("records")).hasSize(7);
  }
}
