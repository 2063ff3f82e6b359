package io.sebs.junit.platform.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.Invocation;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.WrapperSource;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.DeployedFunction;
import io.sebs.junit.platform.InvocationResult;
import io.sebs.junit.platform.PlatformContext;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The azure platform against the stand-in ({@link AzureStandIn}), reached only through the endpoint overrides and
 * a bearer token: the Resource Manager requests checked here are the ones the Azure SDK's management clients
 * send, and the Log Analytics query the one azure-monitor-query sends. The stand-in runs the deployed package with
 * {@link AzureFunctionHost}, so these tests also prove the package layout and the wrappers work together.
 */
class AzurePlatformContractTest {

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  @RegisterExtension
  static final AzureStandIn azure = new AzureStandIn(true);

  @TempDir
  Path results;

  private SebsConfig config(String... more) {
    List<String> settings = new ArrayList<>(List.of(SebsConfig.PLATFORM, "azure"));
    settings.addAll(azure.settings());
    settings.addAll(List.of(more));
    return Fixtures.config(results, settings.toArray(String[]::new));
  }

  private AzurePlatform platform(String runId, String... more) {
    SebsConfig config = config(more);
    AzureSettings settings = AzureSettings.from(config);
    return new AzurePlatform(new PlatformContext(config, new WrapperSource(config.benchmarksDir()), config.cacheDir(),
        runId), settings, AzureClients.create(settings));
  }

  private FunctionSpec spec(String benchmark, String language, int memory) {
    return spec(benchmark, language, "", memory);
  }

  private FunctionSpec spec(String benchmark, String language, String version, int memory) {
    try (BenchmarkRun run = new BenchmarkRun(config())) {
      return run.spec(benchmark, language, version, "test", memory, 10);
    }
  }

  private static String runId() {
    return "20261203-100000-" + UUID.randomUUID().toString().substring(0, 6);
  }

  private List<String> since(int before) {
    List<String> all = azure.arm().requests();
    return all.subList(before, all.size());
  }

  @Test
  void deployingCreatesAFlexConsumptionAppAndPublishesThePackage() {
    int before = azure.arm().requests().size();
    String runId = runId();
    try (AzurePlatform platform = platform(runId)) {
      DeployedFunction fn = platform.deploy(spec("901.echo", "python", 256));

      List<String> calls = since(before).stream().map(c -> c.replaceAll("\\?api-version=.*", "")).toList();
      String rg = "/subscriptions/" + AzureStandIn.SUBSCRIPTION + "/resourcegroups/sebs-junit-westeurope";
      assertThat(calls).as("the shared resources once, then the plan and the app")
          .anySatisfy(c -> assertThat(c).isEqualToIgnoringCase("PUT " + rg))
          .anySatisfy(c -> assertThat(c).containsIgnoringCase("Microsoft.Storage/storageAccounts/").endsWith("/listKeys"))
          .anySatisfy(c -> assertThat(c).containsIgnoringCase("Microsoft.Web/serverfarms/" + fn.name()))
          .anySatisfy(c -> assertThat(c).startsWith("PUT").containsIgnoringCase("Microsoft.Web/sites/" + fn.name()))
          .anySatisfy(c -> assertThat(c).containsIgnoringCase("sites/" + fn.name() + "/functions/handler/listkeys"));
      assertThat(since(before)).as("every call names its API version")
          .allSatisfy(c -> assertThat(c).matches(".*\\?api-version=\\d{4}-\\d{2}-\\d{2}(-preview)?$"));

      JsonNode site = azure.arm().lastBody("PUT " + rg + "/providers/Microsoft.Web/sites/" + fn.name());
      JsonNode config = site.path("properties").path("functionAppConfig");
      assertThat(site.path("kind").asText()).isEqualTo("functionapp,linux");
      assertThat(config.path("runtime").path("name").asText()).isEqualTo("python");
      assertThat(config.path("scaleAndConcurrency").path("instanceMemoryMB").asInt())
          .as("256 MB runs on Flex's smallest instance").isEqualTo(512);
      assertThat(config.path("scaleAndConcurrency").path("triggers").path("http").path("perInstanceConcurrency").asInt())
          .as("one request per instance, as every platform measures").isEqualTo(1);
      assertThat(site.path("tags").path("sebs-junit-run").asText()).isEqualTo(runId);
      assertThat(site.path("tags").has(AzurePlatform.CODE_TAG)).as("the code tag only once the code is deployed")
          .isFalse();
      assertThat(since(before)).as("then the code tag, through the tags API")
          .last().asString().containsIgnoringCase("sites/" + fn.name() + "/functions/handler/listkeys");
      assertThat(since(before)).anySatisfy(c -> assertThat(c).startsWith("PATCH")
          .containsIgnoringCase("sites/" + fn.name() + "/providers/Microsoft.Resources/tags/default"));
      assertThat(site.path("properties").path("siteConfig").path("appSettings").toString())
          .contains("AzureWebJobsStorage", "APPLICATIONINSIGHTS_CONNECTION_STRING", "SEBS_COLD_START")
          .doesNotContain("FUNCTIONS_WORKER_RUNTIME");

      InvocationResult answer = platform.invoke(fn, JSON.createObjectNode().put("message", "hi"));
      assertThat(answer.failed()).as("%s", answer).isFalse();
      assertThat(answer.output().path("echo").path("message").asText()).as("%s", answer.output()).isEqualTo("hi");
      assertThat(answer.isCold()).isTrue();
    }
  }

  @Test
  void appsOfOneBenchmarkAndLanguageGetHostIdsOfTheirOwn() {
    // the names differ only after their first 32 characters, from which the Functions host takes its id
    try (AzurePlatform platform = platform(runId())) {
      DeployedFunction small = platform.deploy(spec("903.storage-echo", "python", "3.11", 512));
      DeployedFunction large = platform.deploy(spec("903.storage-echo", "python", "3.11", 4096));
      assertThat(small.name().substring(0, 32)).isEqualTo(large.name().substring(0, 32));

      // no input staged: the benchmark fails, but in its function, so both hosts are up (a host-id collision
      // would have shut one down: 503 before any function runs)
      InvocationResult first = platform.invoke(small, JSON.createObjectNode());
      InvocationResult answer = platform.invoke(large, JSON.createObjectNode());
      assertThat(first.functionBeginMicros()).as("%s", first).isPositive();
      assertThat(answer.functionBeginMicros()).as("%s", answer).isPositive();
      assertThat(azure.arm().app(large.name()).settings().get(AzurePlatform.HOST_ID_SETTING))
          .hasSizeLessThanOrEqualTo(32)
          .isNotEqualTo(azure.arm().app(small.name()).settings().get(AzurePlatform.HOST_ID_SETTING));
    }
  }

  @Test
  void anUnchangedAppIsReusedWithoutWritingAnything() {
    FunctionSpec spec = spec("901.echo", "nodejs", 128);
    try (AzurePlatform first = platform(runId())) {
      first.deploy(spec);
    }
    int before = azure.arm().requests().size();
    try (AzurePlatform second = platform(runId())) {
      DeployedFunction fn = second.deploy(spec);
      assertThat(since(before)).as("reads only: the site, its settings, its functions and keys")
          .noneSatisfy(c -> assertThat(c).containsIgnoringCase("Microsoft.Web/sites/" + fn.name()).startsWith("PUT"));
      assertThat(since(before)).as("but the run's tag, so that this run's clean-up finds the app")
          .anySatisfy(c -> assertThat(c).startsWith("PATCH").containsIgnoringCase("tags/default"));
      assertThat(second.invoke(fn, JSON.createObjectNode()).failed()).isFalse();
    }
  }

  @Test
  void anEnforcedColdStartChangesAnAppSettingAndTheNextAnswerComesFromANewInstance() {
    try (AzurePlatform platform = platform(runId())) {
      DeployedFunction fn = platform.deploy(spec("901.echo", "python", 128));
      InvocationResult first = platform.invoke(fn, JSON.createObjectNode());
      InvocationResult warm = platform.invoke(fn, JSON.createObjectNode());
      int before = azure.arm().requests().size();

      platform.enforceColdStart(fn);
      InvocationResult cold = platform.invoke(fn, JSON.createObjectNode());

      assertThat(since(before)).anySatisfy(c -> assertThat(c).startsWith("PUT")
          .containsIgnoringCase("sites/" + fn.name() + "/config/appsettings"));
      assertThat(warm.isCold()).isFalse();
      assertThat(cold.isCold()).as("%s", cold).isTrue();
      assertThat(azure.insights().answered(fn.name(), 409))
          .as("the instance from before the change (the stand-in restarts apps %d ms late) refused, unrun",
              FunctionAppStandIn.RESTART_DELAY_MS)
          .isGreaterThanOrEqualTo(1);
      assertThat(cold.containerId()).isNotEqualTo(first.containerId());
      assertThat(azure.arm().app(fn.name()).settings().get(AzurePlatform.COLD_START_SETTING)).isNotEqualTo("0");
    }
  }

  @Test
  void providerTimesComeFromApplicationInsightsByInvocationId() {
    try (AzurePlatform platform = platform(runId())) {
      DeployedFunction fn = platform.deploy(spec("901.echo", "python", 128));
      List<Invocation> invocations = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        invocations.add(platform.invoke(fn, JSON.createObjectNode()));
      }

      List<Invocation> filled = platform.fetchMetrics(fn, invocations);

      assertThat(filled).allSatisfy(i -> assertThat(i.providerTime()).isPresent());
      assertThat(azure.insights().queries()).last().asString()
          .startsWith("AppRequests").contains(((InvocationResult) invocations.get(0)).requestId());
    }
  }

  @Test
  void aFunctionKeyIsRequiredAndAWrongOneIsNamed() {
    assertThat(AzurePlatform.answer(401, "", "id", 0, 1000, 10).failureReason())
        .hasValueSatisfying(r -> assertThat(r).contains("function key"));
    assertThat(AzurePlatform.answer(500, "", "id", 0, 11_000_000, 10).failureReason())
        .hasValueSatisfying(r -> assertThat(r).startsWith("timed out").contains("functionTimeout"));
    assertThat(AzurePlatform.answer(500, "", "id", 0, 1_000_000, 10).failureReason())
        .hasValueSatisfying(r -> assertThat(r).startsWith("HTTP 500"));
  }

  @Test
  void aWrongTokenIsRefusedByResourceManagerAndTheMessageSaysWhatToDo() {
    try (AzurePlatform platform = platform(runId(), AzureSettings.ACCESS_TOKEN, "not-the-token")) {
      assertThatThrownBy(() -> platform.deploy(spec("901.echo", "python", 128)))
          .hasMessageContaining("Azure refused to").hasMessageContaining("Contributor");
    }
  }

  @Test
  void memoryBeyondFlexConsumptionsLargestInstanceFailsBeforeAnyRequest() {
    int before = azure.arm().requests().size();
    try (AzurePlatform platform = platform(runId())) {
      assertThatThrownBy(() -> platform.deploy(spec("901.echo", "python", 8192)))
          .hasMessageContaining("4096 MB");
    }
    assertThat(since(before)).isEmpty();
  }

  @Test
  void theCleanUpRemovesTheRunsAppsPlansContainersAndTables() {
    String runId = runId();
    String other = runId();
    try (AzurePlatform platform = platform(runId); AzurePlatform otherRun = platform(other)) {
      platform.deploy(spec("901.echo", "python", 2048));
      platform.storage().objectStorage().upload(platform.storage().bucket(), "in/x.txt", new byte[] {1});
      platform.storage().noSqlStorage().createTable("sebs-" + runId + "-130-crud-api-cart", "cart_id", "product_id");
      otherRun.storage().objectStorage();
    }
    try (AzureClients clients = AzureClients.create(AzureSettings.from(config()))) {
      AzureResources resources = new AzureResources(clients);
      assertThat(resources.list(runId)).extracting(AzureResources.Resource::kind)
          .containsExactlyInAnyOrder(AzureResources.Kind.FUNCTION_APP, AzureResources.Kind.PLAN,
              AzureResources.Kind.BLOB_CONTAINER, AzureResources.Kind.COSMOS_CONTAINER);
      resources.delete(runId);
      assertThat(resources.list(runId)).isEmpty();
      assertThat(resources.list(other)).as("another run's container stays")
          .extracting(AzureResources.Resource::name).containsExactly("sebs-" + other);
    }
  }
}
