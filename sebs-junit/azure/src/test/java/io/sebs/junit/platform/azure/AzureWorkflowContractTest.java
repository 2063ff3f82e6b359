package io.sebs.junit.platform.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.FunctionRecord;
import io.sebs.junit.WorkflowRun;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.platform.tck.WorkflowChecks;
import io.sebs.junit.run.PreparedFunction;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Files;
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
 * Workflows on the azure platform against the stand-in ({@link AzureStandIn}): the functions deploy as function apps
 * and run with the real wrappers in workflow mode; the orchestrator app (real durable-functions and @azure/functions
 * from npm) deploys beside them and runs in the stand-in's Node.js host, whose Durable extension replays the
 * orchestration and runs its activities, which call the function apps over HTTP with their keys. Fixture
 * 920.flow-all-states gives the local engine's output and its 15 function records.
 */
class AzureWorkflowContractTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final AzureStandIn azure = new AzureStandIn(true);

  @TempDir
  Path results;

  private BenchmarkRun run(String... more) {
    List<String> settings = new ArrayList<>(List.of(SebsConfig.PLATFORM, "azure"));
    settings.addAll(azure.settings());
    settings.addAll(List.of(more));
    return new BenchmarkRun(Fixtures.config(results, settings.toArray(String[]::new)));
  }

  private static WorkflowRun runOnce(PreparedFunction workflow, Object input) {
    return (WorkflowRun) (input == null ? workflow.invoker().invoke() : workflow.invoker().invoke(input));
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "nodejs"})
  void everyStateTypeFollowsSebsFlowsDataFlowOnDurableFunctions(String language) {
    try (BenchmarkRun run = run()) {
      PreparedFunction workflow = run.prepare(run.spec("920.flow-all-states", language, "", "test", 256, 30));
      WorkflowRun r = runOnce(workflow, null);

      WorkflowChecks.allStatesFirstRun(r, language);
      assertThat(r.functions()).filteredOn(f -> f.name().equals("scale")).extracting(FunctionRecord::state)
          .containsOnly("scale");

      // a second run: warm functions, the same orchestrator app
      WorkflowRun again = runOnce(workflow, Map.of("n", 2));
      WorkflowChecks.allStatesRunOnTwo(again);
      assertThat(again.requestId()).isNotEqualTo(r.requestId());
    }
  }

  /** The suite's workflows (benchmarks/600.workflows of this repository). */
  @ParameterizedTest
  @CsvSource({"620.func-invo, python", "630.parallel-sleep, nodejs"})
  void theSuitesChainAndFanOutWorkflowsRunOnDurableFunctions(String benchmark, String language) {
    Path suite = Path.of(System.getProperty("user.dir")).getParent().getParent().resolve("benchmarks");
    try (BenchmarkRun run = run(SebsConfig.BENCHMARKS_DIR, suite.toString())) {
      PreparedFunction workflow = run.prepare(run.spec(benchmark, language, "", "test", 256, 30));
      WorkflowRun r = runOnce(workflow, null);
      WorkflowChecks.suiteWorkflow(benchmark, r);
      if (benchmark.equals("630.parallel-sleep")) {
        // each element in an instance of its own, as Flex Consumption runs one request per instance
        assertThat(r.functions()).filteredOn(f -> f.name().equals("process")).extracting(FunctionRecord::containerId)
            .doesNotHaveDuplicates();
      }
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
  void theOrchestratorAppHasItsOwnTaskHubAndCallsTheFunctionAppsWithTheirKeys() throws Exception {
    String name;
    try (BenchmarkRun run = run()) {
      PreparedFunction workflow = run.prepare(run.spec("920.flow-all-states", "nodejs", "", "test", 256, 30));
      name = AzureWorkflowOrchestrator.appName(workflow.spec(), AzureSettings.from(run.config()).uniqueSuffix());
      FunctionAppStandIn app = azure.arm().app(name);
      assertThat(app).as("orchestrator app %s among %s", name, azure.arm().appNames()).isNotNull();
      assertThat(app.functions()).containsExactly(AzureWorkflowOrchestrator.STARTER);
      JsonNode targets = JSON.readTree(app.settings().get("SEBS_WORKFLOW_FUNCTIONS"));
      assertThat(targets.fieldNames()).toIterable()
          .containsExactlyInAnyOrder("start", "inc", "square", "total", "scale", "check", "fail_when", "recover");
      targets.fields().forEachRemaining(t -> {
        String function = t.getValue().path("url").asText();
        FunctionAppStandIn target = azure.arm().appNames().stream().map(azure.arm()::app)
            .filter(a -> function.equals(a.invokeUrl(AzurePlatform.FUNCTION))).findFirst().orElseThrow();
        assertThat(t.getValue().path("key").asText()).isEqualTo(target.key());
        assertThat(target.settings()).containsEntry("SEBS_WORKFLOW_FUNCTION", t.getKey());
      });
      JsonNode host = JSON.readTree(Files.readString(app.appRoot().resolve("host.json")));
      assertThat(host.path("extensions").path("durableTask").path("hubName").asText())
          .isEqualTo(AzureWorkflowOrchestrator.hubName(name)).matches("[A-Za-z][A-Za-z0-9]{2,44}");
      assertThat(host.path("extensionBundle").path("id").asText()).isEqualTo(AzurePackage.EXTENSION_BUNDLE);
      assertThat(app.settings()).containsEntry("SEBS_WORKFLOW_WAIT_SECONDS", "220");
    }
    // a new run finds the orchestrator app as it is and writes nothing to it
    int before = azure.arm().requests().size();
    try (BenchmarkRun run = run()) {
      run.prepare(run.spec("920.flow-all-states", "nodejs", "", "test", 256, 30));
      assertThat(azure.arm().requests().subList(before, azure.arm().requests().size()))
          .noneMatch(r -> r.startsWith("PUT") && r.contains("/sites/" + name + "?"))
          .noneMatch(r -> r.contains("/sites/" + name + "/") && r.contains("publish"));
    }
  }
}
