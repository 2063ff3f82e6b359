package io.sebs.junit.platform.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.functions.v2.Environment;
import com.google.cloud.functions.v2.Function;
import com.google.cloud.functions.v2.ServiceConfig;
import com.google.protobuf.util.JsonFormat;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.Invocation;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.WrapperSource;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.DeployedFunction;
import io.sebs.junit.platform.InvocationResult;
import io.sebs.junit.platform.PlatformContext;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gcp platform against the stand-in ({@link GcpStandIn}), reached only through the endpoint override
 * ({@code sebs.gcp.endpoint}) and a service-account key whose token URI is the stand-in: the requests checked here
 * are the ones Google's own Java client and auth library send. The stand-in runs the uploaded zip with the runtime
 * the function names, so these tests also prove the package layout and the wrappers work together.
 */
class GcpPlatformContractTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final GcpStandIn gcp = new GcpStandIn();

  @TempDir
  Path results;

  private SebsConfig config() {
    return Fixtures.config(results, SebsConfig.PLATFORM, "gcp", GcpSettings.ENDPOINT, gcp.url(),
        GcpSettings.CREDENTIALS, gcp.keyFile().toString(), GcpSettings.PROJECT, gcp.project(),
        GcpSettings.LOG_WAIT, "15s");
  }

  private GcpPlatform platform(String runId) {
    SebsConfig config = config();
    GcpSettings settings = GcpSettings.from(config);
    return new GcpPlatform(new PlatformContext(config, new WrapperSource(config.benchmarksDir()), config.cacheDir(),
        runId), settings, GcpClients.create(settings));
  }

  private FunctionSpec spec(String benchmark, String language, int memory) {
    try (BenchmarkRun run = new BenchmarkRun(config())) {
      return run.spec(benchmark, language, "", "test", memory, 10);
    }
  }

  @Test
  void deployingUploadsTheSourceCreatesTheFunctionAndWaitsForTheOperation() throws IOException {
    String runId = "20261203-070000-" + UUID.randomUUID().toString().substring(0, 6);
    int before = gcp.functions().requests().size();
    try (GcpPlatform platform = platform(runId)) {
      DeployedFunction fn = platform.deploy(spec("901.echo", "python", 256));

      List<CloudFunctionsStandIn.ApiRequest> calls = gcp.functions().requests().subList(before,
          gcp.functions().requests().size());
      String location = "/v2/projects/" + gcp.project() + "/locations/us-central1";
      assertThat(calls.stream().map(CloudFunctionsStandIn.ApiRequest::line).toList())
          .as("generate an upload URL, upload, create, poll the operation")
          .first().asString().startsWith("GET " + location + "/functions/" + fn.name() + "?");
      assertThat(calls.get(1).line()).startsWith("POST " + location + "/functions:generateUploadUrl?");
      assertThat(calls.get(2).line()).startsWith("PUT /gcf-upload/");
      assertThat(calls.get(3).line()).startsWith("POST " + location + "/functions?functionId=" + fn.name());
      assertThat(calls.subList(4, calls.size())).allSatisfy(c ->
          assertThat(c.line()).startsWith("GET " + location + "/operations/"));

      // the client sends enums as numbers ($alt=json;enum-encoding=int): read the body as the API's message
      Function.Builder create = Function.newBuilder();
      JsonFormat.parser().merge(calls.get(3).body(), create);
      assertThat(create.getEnvironment()).isEqualTo(Environment.GEN_2);
      assertThat(create.getBuildConfig().getRuntime()).isEqualTo("python311");
      assertThat(create.getBuildConfig().getEntryPoint()).isEqualTo("handler");
      ServiceConfig service = create.getServiceConfig();
      assertThat(service.getAvailableMemory()).isEqualTo("256Mi");
      assertThat(service.getAvailableCpu()).as("Google's default for 256 MiB").isEqualTo("0.167");
      assertThat(service.getMaxInstanceRequestConcurrency()).as("one request per instance").isEqualTo(1);
      assertThat(service.getTimeoutSeconds()).isEqualTo(10);
      assertThat(service.getEnvironmentVariablesMap()).containsEntry("SEBS_COLD_START", "0")
          .containsEntry("GOOGLE_CLOUD_PROJECT", gcp.project());
      assertThat(create.getLabelsMap()).containsEntry("sebs-junit", "true").containsEntry("sebs-junit-run", runId);

      String object = create.getBuildConfig().getSource().getStorageSource().getObject();
      assertThat(entries(gcp.functions().upload(object).orElseThrow()))
          .as("Python's layout: main.py and requirements.txt at the root, the benchmark under function/")
          .contains("main.py", "requirements.txt", "function/function.py");
    }
  }

  @Test
  void aSecondRunWithTheSameCodeReusesTheFunctionWithoutUploadingOrUpdating() {
    FunctionSpec spec = spec("901.echo", "python", 512);
    try (GcpPlatform platform = platform("20261203-070001-aaaaaa")) {
      platform.deploy(spec);
    }
    int before = gcp.functions().requests().size();
    try (GcpPlatform platform = platform("20261203-070002-bbbbbb")) {
      DeployedFunction fn = platform.deploy(spec);
      assertThat(gcp.functions().requests().subList(before, gcp.functions().requests().size()))
          .extracting(r -> r.method() + " " + r.path())
          .containsExactly("GET /v2/projects/" + gcp.project() + "/locations/us-central1/functions/" + fn.name());
      assertThat(platform.invoke(fn, JSON.createObjectNode().put("m", 1)).failed()).isFalse();
    }
  }

  @Test
  void invocationsCarryAnIdTokenAndTheirOwnTraceWhoseRequestLogGivesTheProviderTime() {
    try (GcpPlatform platform = platform("20261203-070003-cccccc")) {
      DeployedFunction fn = platform.deploy(spec("901.echo", "nodejs", 256));
      List<Invocation> invocations = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        invocations.add(platform.invoke(fn, JSON.createObjectNode().put("i", i)));
      }
      assertThat(invocations).noneMatch(Invocation::failed);
      InvocationResult first = (InvocationResult) invocations.get(0);
      assertThat(first.requestId()).as("the trace id the client sent, echoed by the wrapper").matches("[0-9a-f]{32}");
      assertThat(first.providerTime()).as("not before the request logs are fetched").isEmpty();

      List<Invocation> filled = platform.fetchMetrics(fn, invocations);

      for (Invocation i : filled) {
        assertThat(i.providerTime()).as("Cloud Run's request latency of %s", i).isPresent();
        assertThat(i.providerTime().orElseThrow()).isLessThanOrEqualTo(i.clientTime());
        assertThat(i.providerTime().orElseThrow()).isGreaterThanOrEqualTo(i.benchmarkTime());
      }
      assertThat(gcp.logging().filtersSeen()).last().asString()
          .contains("resource.labels.service_name=\"" + fn.name() + "\"")
          .contains("projects/" + gcp.project() + "/traces/" + first.requestId());
    }
  }

  @Test
  void backToBackInvocationsStayOnTheOneWarmInstance() {
    try (GcpPlatform platform = platform("20261203-070006-ffffff")) {
      DeployedFunction fn = platform.deploy(spec("901.echo", "python", 128));
      List<InvocationResult> series = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        series.add(platform.invoke(fn, JSON.createObjectNode().put("i", i)));
      }
      assertThat(series).noneMatch(InvocationResult::failed);
      assertThat(series.subList(1, series.size())).as("the next request may come the moment an answer arrives")
          .noneMatch(InvocationResult::isCold)
          .allSatisfy(r -> assertThat(r.containerId()).isEqualTo(series.get(0).containerId()));
    }
  }

  @Test
  void anEnforcedColdStartChangesOnlyTheEnvironmentAndWaitsForTheNewRevision() {
    try (GcpPlatform platform = platform("20261203-070004-dddddd")) {
      DeployedFunction fn = platform.deploy(spec("901.echo", "python", 128));
      InvocationResult warm = platform.invoke(fn, JSON.createObjectNode());
      int before = gcp.functions().requests().size();

      platform.enforceColdStart(fn);

      CloudFunctionsStandIn.ApiRequest patch = gcp.functions().requests().get(before);
      assertThat(patch.method()).isEqualTo("PATCH");
      assertThat(patch.query()).contains("updateMask=");
      assertThat(patch.query().replace("%2C", ",")).containsAnyOf("service_config.environment_variables",
          "serviceConfig.environmentVariables");
      InvocationResult cold = platform.invoke(fn, JSON.createObjectNode());
      assertThat(cold.isCold()).isTrue();
      assertThat(cold.containerId()).isNotEqualTo(warm.containerId());
      assertThat(cold.initTime()).as("from the wrapper's process start").isPresent();
    }
  }

  @Test
  void publicFunctionsAreInvokedWithoutATokenAfterAllUsersIsAddedToTheServicesPolicy() {
    SebsConfig config = Fixtures.config(results, SebsConfig.PLATFORM, "gcp", GcpSettings.ENDPOINT, gcp.url(),
        GcpSettings.CREDENTIALS, gcp.keyFile().toString(), GcpSettings.PROJECT, gcp.project(),
        GcpSettings.PUBLIC, "true");
    GcpSettings settings = GcpSettings.from(config);
    try (GcpPlatform platform = new GcpPlatform(new PlatformContext(config, new WrapperSource(config.benchmarksDir()),
        config.cacheDir(), "20261203-070005-eeeeee"), settings, GcpClients.create(settings))) {
      int before = gcp.functions().requests().size();
      DeployedFunction fn = platform.deploy(spec("901.echo", "python", 1024));

      List<CloudFunctionsStandIn.ApiRequest> calls = gcp.functions().requests().subList(before,
          gcp.functions().requests().size());
      String service = "/v2/projects/" + gcp.project() + "/locations/us-central1/services/" + fn.name();
      assertThat(calls).extracting(CloudFunctionsStandIn.ApiRequest::line)
          .contains("GET " + service + ":getIamPolicy", "POST " + service + ":setIamPolicy");
      assertThat(calls.get(calls.size() - 1).body()).contains("roles/run.invoker").contains("allUsers")
          .as("written back with the etag read").contains("etag");
      InvocationResult answer = platform.invoke(fn, JSON.createObjectNode().put("open", true));
      assertThat(answer.failed()).as("%s", answer).isFalse();
    }
  }

  @Test
  void aRefusedTokenOrAMissingFunctionIsAFailedInvocationSayingWhatCameBack() {
    InvocationResult refused = GcpPlatform.answer(403, "<h1>Error: Forbidden</h1>", "t", 0, 5);
    assertThat(refused.failed()).isTrue();
    assertThat(refused.failureReason().orElseThrow()).startsWith("HTTP 403").contains("Forbidden");
    assertThat(GcpPlatform.answer(429, "Rate exceeded", "t", 0, 5).failureReason().orElseThrow())
        .startsWith("throttled");
    assertThat(GcpPlatform.answer(504, "upstream request timeout", "t", 0, 5).failureReason().orElseThrow())
        .startsWith("timed out");
  }

  @Test
  void javaFunctionsWithGoogleClientsGetOneJacksonVersion() {
    assertThat(GcpPlatform.javaJackson(false)).containsOnlyKeys("com.fasterxml.jackson.core:jackson-databind");
    Map<String, String> withClients = GcpPlatform.javaJackson(true);
    String version = withClients.get("com.fasterxml.jackson.core:jackson-databind");
    assertThat(withClients).containsEntry("com.fasterxml.jackson.core:jackson-core", version)
        .containsEntry("com.fasterxml.jackson.core:jackson-annotations", version.substring(0, version.lastIndexOf('.')));
  }

  @Test
  void cpuAndMemoryFollowCloudRunsRulesBeforeAnythingIsUploaded() {
    GcpPlatform.checkCpuAndMemory("0.083", 128);
    GcpPlatform.checkCpuAndMemory("0.583", 1024);
    GcpPlatform.checkCpuAndMemory("4", 16384);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> GcpPlatform.checkCpuAndMemory("0.25", 1024))
        .hasMessageContaining("1024 MB needs at least 0.5 vCPU").hasMessageContaining(GcpSettings.CPU);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> GcpPlatform.checkCpuAndMemory("1.5", 2048))
        .hasMessageContaining("whole numbers");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> GcpPlatform.checkCpuAndMemory("4", 1024))
        .hasMessageContaining("allows 2048 to 16384 MB");
  }

  @Test
  void aDeploymentIsReusedOnlyWhenActiveAndEqualInWhatSebsSets() {
    Function wanted = Function.newBuilder().putLabels("sebs-code", "abc")
        .setBuildConfig(com.google.cloud.functions.v2.BuildConfig.newBuilder().setRuntime("python311")
            .setEntryPoint("handler"))
        .setServiceConfig(ServiceConfig.newBuilder().setAvailableMemory("256Mi").setAvailableCpu("0.167")
            .setTimeoutSeconds(10).setMaxInstanceCount(100).setMaxInstanceRequestConcurrency(1)
            .putEnvironmentVariables("SEBS_COLD_START", "0").putEnvironmentVariables("A", "1")).build();
    Function deployed = wanted.toBuilder().setState(Function.State.ACTIVE)
        .setServiceConfig(wanted.getServiceConfig().toBuilder().putEnvironmentVariables("LOG_EXECUTION_ID", "true")
            .putEnvironmentVariables("SEBS_COLD_START", "20261203-1")).build();

    assertThat(GcpPlatform.sameDeployment(deployed, wanted))
        .as("Google's own variables and an earlier enforced cold start do not count").isTrue();
    assertThat(GcpPlatform.sameDeployment(deployed.toBuilder().setState(Function.State.FAILED).build(), wanted))
        .as("a failed deployment may serve older code").isFalse();
    assertThat(GcpPlatform.sameDeployment(deployed, wanted.toBuilder().setBuildConfig(
        wanted.getBuildConfig().toBuilder().setRuntime("python312")).build())).isFalse();
  }

  @Test
  void functionIdsFollowCloudFunctionsRules() {
    assertThat(GcpPlatform.functionId("sebs-110-dynamic-html-python-3_11-128"))
        .isEqualTo("sebs-110-dynamic-html-python-3-11-128");
    String longName = GcpPlatform.functionId("sebs-" + "x".repeat(80) + "-python-128");
    assertThat(longName).hasSizeLessThanOrEqualTo(62).matches("[a-z]([-a-z0-9]*[a-z0-9])?");
  }

  private static TreeSet<String> entries(byte[] zip) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        names.add(e.getName());
      }
    }
    return names;
  }
}
