package io.sebs.junit.platform.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.WorkflowRun;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.platform.tck.WorkflowChecks;
import io.sebs.junit.run.PreparedFunction;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Workflows on the gcp platform against the stand-in ({@link GcpStandIn}): the functions deploy to the Cloud
 * Functions stand-in and run there with the real wrappers in workflow mode, the definition is transcribed and
 * deployed to the Workflows stand-in, whose interpreter executes it and calls the functions with OIDC ID
 * tokens, and the wrappers' execution records come back from the Datastore stand-in. Fixture 920.flow-all-states
 * gives the local engine's output and its 15 function records.
 */
class GcpWorkflowContractTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final GcpStandIn gcp = new GcpStandIn();

  @TempDir
  Path results;

  private BenchmarkRun run(String... settings) {
    List<String> keyValues = new ArrayList<>(List.of(SebsConfig.PLATFORM, "gcp", GcpSettings.ENDPOINT, gcp.url(),
        GcpSettings.CREDENTIALS, gcp.keyFile().toString(), GcpSettings.PROJECT, gcp.project(),
        GcpSettings.LOG_WAIT, "15s"));
    keyValues.addAll(List.of(settings));
    return new BenchmarkRun(Fixtures.config(results, keyValues.toArray(String[]::new)));
  }

  private static WorkflowRun runOnce(PreparedFunction workflow, Object input) {
    return (WorkflowRun) (input == null ? workflow.invoker().invoke() : workflow.invoker().invoke(input));
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "nodejs"})
  void everyStateTypeFollowsSebsFlowsDataFlowOnGoogleWorkflows(String language) throws Exception {
    try (BenchmarkRun run = run()) {
      PreparedFunction workflow = run.prepare(run.spec("920.flow-all-states", language, "", "test", 256, 30));
      int executions = gcp.workflows().executionCount();
      WorkflowRun r = runOnce(workflow, null);
      assertThat(gcp.workflows().executionCount()).as("Google Workflows ran it").isEqualTo(executions + 1);

      WorkflowChecks.allStatesFirstRun(r, language);

      // a second run: warm functions, the workflow reused as it is
      WorkflowRun again = runOnce(workflow, Map.of("n", 2));
      WorkflowChecks.allStatesRunOnTwo(again);
    }
  }

  /** The suite's workflows (benchmarks/600.workflows of this repository). */
  @ParameterizedTest
  @CsvSource({"620.func-invo, python", "630.parallel-sleep, python", "630.parallel-sleep, nodejs"})
  void theSuitesChainAndFanOutWorkflowsRunOnGoogleWorkflows(String benchmark, String language) {
    Path suite = Path.of(System.getProperty("user.dir")).getParent().getParent().resolve("benchmarks");
    try (BenchmarkRun run = run(SebsConfig.BENCHMARKS_DIR, suite.toString())) {
      PreparedFunction workflow = run.prepare(run.spec(benchmark, language, "", "test", 256, 30));
      WorkflowChecks.suiteWorkflow(benchmark, runOnce(workflow, null));
    }
  }

  @Test
  void anUnhandledFunctionErrorFailsTheRunNamingFunctionAndState() {
    try (BenchmarkRun run = run()) {
      PreparedFunction workflow = run.prepare(run.spec("920.flow-all-states", "python", "", "test", 256, 30));
      WorkflowChecks.allStatesUnhandledError(runOnce(workflow, Map.of("n", 2, "boom", true)));
    }
  }

  @Test
  void aRunPastTheWorkflowTimeoutIsCancelledAndFailsSayingSo() {
    try (BenchmarkRun run = run(GcpWorkflowOrchestrator.WORKFLOW_TIMEOUT, "0s")) {
      PreparedFunction workflow = run.prepare(run.spec("920.flow-all-states", "python", "", "test", 256, 30));
      WorkflowRun r = runOnce(workflow, null);
      assertThat(r.failure()).hasValueSatisfying(f -> assertThat(f).contains("did not end within")
          .contains(GcpWorkflowOrchestrator.WORKFLOW_TIMEOUT).contains("cancelled"));
      assertThat(r.output().isMissingNode()).isTrue();
    }
  }

  @Test
  void theWorkflowIsLabelledAndTheCleanUpRemovesIt() throws Exception {
    String runId;
    try (BenchmarkRun run = run()) {
      runId = run.runId();
      PreparedFunction workflow = run.prepare(run.spec("920.flow-all-states", "python", "", "test", 256, 30));
      com.google.cloud.workflows.v1.Workflow deployed = gcp.workflows().workflows().values().stream()
          .filter(w -> w.getName().endsWith("/workflows/" + GcpWorkflowOrchestrator.workflowId(
              workflow.spec()))).findFirst().orElseThrow();
      assertThat(deployed.getName()).startsWith("projects/" + gcp.project() + "/locations/us-central1/workflows/");
      assertThat(deployed.getLabelsMap()).containsEntry(GcpPlatform.TAG, "true").containsKey(GcpPlatform.RUN_LABEL);
      JsonNode source = JSON.readTree(deployed.getSourceContents());
      assertThat(source.path("main").path("params").toString()).isEqualTo("[\"input\"]");
      JsonNode start = source.path("main").path("steps").get(1).path("start");
      assertThat(start.path("call").asText()).isEqualTo("http.post");
      assertThat(start.path("args").path("auth").path("type").asText()).isEqualTo("OIDC");
      assertThat(start.path("args").path("auth").path("audience").asText())
          .isEqualTo(start.path("args").path("url").asText()).startsWith(gcp.url() + "/run/");
    }
    SebsConfig config = Fixtures.config(results, SebsConfig.PLATFORM, "gcp", GcpSettings.ENDPOINT, gcp.url(),
        GcpSettings.CREDENTIALS, gcp.keyFile().toString(), GcpSettings.PROJECT, gcp.project());
    try (GcpClients clients = GcpClients.create(GcpSettings.from(config))) {
      GcpResources resources = new GcpResources(clients);
      assertThat(resources.list(null)).anySatisfy(r -> {
        assertThat(r.kind()).isEqualTo(GcpResources.Kind.WORKFLOW);
        assertThat(r.name()).endsWith("/workflows/" + GcpWorkflowOrchestrator.workflowId(
            new BenchmarkRun(config).spec("920.flow-all-states", "python", "", "test", 256, 30)));
      });
      resources.delete(null);
      assertThat(resources.list(null)).noneSatisfy(r -> assertThat(r.kind()).isEqualTo(GcpResources.Kind.WORKFLOW));
    }
    assertThat(runId).isNotEmpty();
  }
}
