package io.sebs.junit.platform.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.Invocation;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.PreparedFunction;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aws platform against a local stand-in of the Lambda and IAM APIs ({@link LambdaApiStub}), reached
 * only through the AWS SDK's standard endpoint override ({@code aws.endpointUrl}) and default credential
 * chain: nothing inside the platform is faked. The stub runs the uploaded zip's real handler, so these
 * tests also prove the package and the Lambda wrapper work together.
 */
class AwsPlatformContractTest {

  @TempDir
  Path results;

  @RegisterExtension
  static final AwsStandIns aws = AwsStandIns.stub("AKIDSTUB", "stub-secret");

  private BenchmarkRun run() {
    SebsConfig config = Fixtures.config(results, SebsConfig.PLATFORM, "aws", AwsSettings.REGION, "us-east-1");
    return new BenchmarkRun(config);
  }

  @Test
  void deploysInvokesEnforcesAColdStartAndReadsTheReportLine() {
    try (BenchmarkRun run = run()) {
    PreparedFunction function = run.prepare(run.spec("901.echo", "python", "", "test", 256, 10));
      String name = function.deployed().name();

      // the execution role is looked up, created once (by whichever test deploys first), given the basic
      // execution policy, and only looked up by later runs
      assertThat(aws.stub().iamActions()).startsWith("GetRole", "CreateRole", "AttachRolePolicy");
      assertThat(aws.stub().iamActions()).filteredOn("CreateRole"::equals).hasSize(1);
      JsonNode create = aws.stub().requestsTo("POST", "/2015-03-31/functions").get(0).json();
      assertThat(create.path("FunctionName").asText()).isEqualTo(name);
      assertThat(create.path("Runtime").asText()).isEqualTo("python3.11");
      assertThat(create.path("Handler").asText()).isEqualTo("handler.handler");
      assertThat(create.path("Role").asText()).isEqualTo("arn:aws:iam::123456789012:role/sebs-junit-lambda");
      assertThat(create.path("MemorySize").asInt()).isEqualTo(256);
      assertThat(create.path("Timeout").asInt()).isEqualTo(10);
      assertThat(create.path("Architectures").toString()).isEqualTo("[\"x86_64\"]");
      assertThat(create.path("Tags").path("sebs-junit").asText()).isEqualTo("true");
      assertThat(create.path("Tags").path("sebs-junit-run").asText()).isEqualTo(run.runId());
      assertThat(create.path("Environment").path("Variables").path("SEBS_COLD_START").asText()).isEqualTo("0");
      // requests are signed for the configured region with the default chain's credentials
      assertThat(aws.stub().requestsTo("POST", "/2015-03-31/functions").get(0).headers().get("authorization"))
          .contains("Credential=AKIDSTUB/").contains("/us-east-1/lambda/aws4_request");

      Invocation first = function.invoker().invoke(Map.of("hello", "aws"));
      Invocation second = function.invoker().invoke(Map.of("hello", "again"));
      assertThat(first.failed()).as("%s", first).isFalse();
      assertThat(first.output().path("echo").path("hello").asText()).isEqualTo("aws");
      assertThat(first.isCold()).isTrue();
      assertThat(second.isCold()).isFalse();
      assertThat(second.containerId()).isEqualTo(first.containerId());
      // provider time and init time come from Lambda's REPORT line, init only on the cold one
      assertThat(first.providerTime()).isPresent();
      assertThat(first.initTime()).isPresent();
      assertThat(second.initTime()).isEmpty();
      // memory used is the REPORT line's Max Memory Used (the stub reports 42 MB)
      assertThat(first.memoryUsed()).hasValue(42.0);
      assertThat(second.memoryUsed()).hasValue(42.0);
      assertThat(aws.stub().requests("POST", "/2015-03-31/functions/" + name + "/invocations").get(0).headers())
          .containsEntry("x-amz-log-type", "Tail");
      assertThat(new ObjectMapper().valueToTree(
              aws.stub().requests("POST", "/2015-03-31/functions/" + name + "/invocations").get(0).json()).toString())
          .isEqualTo("{\"hello\":\"aws\"}");

      function.invoker().enforceColdStart();
      JsonNode update = aws.stub().requests("PUT", "/2015-03-31/functions/" + name + "/configuration").get(0).json();
      assertThat(update.path("Environment").path("Variables").path("SEBS_COLD_START").asText())
          .isEqualTo(run.runId() + "-1");
      Invocation afterUpdate = function.invoker().invoke(Map.of());
      assertThat(afterUpdate.isCold()).isTrue();
      assertThat(afterUpdate.containerId()).isNotEqualTo(first.containerId());
    }
  }

  @Test
  void aFunctionErrorIsAFailedInvocationWithTheFunctionsMessage() {
    try (BenchmarkRun run = run()) {
    PreparedFunction function = run.prepare(run.spec("901.echo", "python", "", "test", 128, 10));
      Invocation failed = function.invoker().invoke(Map.of("fail", "boom"));
      assertThat(failed.failed()).isTrue();
      assertThat(failed.failureReason().orElseThrow()).contains("RuntimeError: boom");
    }
  }

  @Test
  void throttlingIsAFailedInvocationThatSaysSoAfterTheSdksRetries() {
    try (BenchmarkRun run = run()) {
    PreparedFunction function = run.prepare(run.spec("901.echo", "python", "", "test", 128, 10));
      aws.stub().throttleNextInvocations(100);
      Invocation throttled;
      try {
    throttled = function.invoker().invoke(Map.of());
      } finally {
    aws.stub().throttleNextInvocations(0);
  }
      assertThat(throttled.failed()).isTrue();
      assertThat(throttled.failureReason().orElseThrow()).startsWith("throttled by the platform")
          .contains("Rate Exceeded");
      assertThat(function.invoker().invoke(Map.of()).failed()).isFalse();
    }
  }

  @Test
  void anUnchangedFunctionIsReusedAndItsCodeNotUploadedAgain() {
    try (BenchmarkRun first = run()) {
    first.prepare(first.spec("901.echo", "nodejs", "", "test", 512, 10));
    }
    int creates = aws.stub().requestsTo("POST", "/2015-03-31/functions").size();
    int codeUpdates = aws.stub().requests("PUT", "/2015-03-31/functions/").stream()
        .filter(r -> r.path().endsWith("/code")).toList().size();
    try (BenchmarkRun second = run()) {
    PreparedFunction function = second.prepare(second.spec("901.echo", "nodejs", "", "test", 512, 10));
      assertThat(function.invoker().invoke(Map.of("n", 1)).output().path("echo").path("n").asInt()).isEqualTo(1);
    }
    assertThat(aws.stub().requestsTo("POST", "/2015-03-31/functions")).hasSize(creates);
    assertThat(aws.stub().requests("PUT", "/2015-03-31/functions/").stream().filter(r -> r.path().endsWith("/code")))
        .hasSize(codeUpdates);
  }

  @Test
  void theCleanupListsAndDeletesOnlyTaggedFunctions() {
    String runId;
    try (BenchmarkRun run = run()) {
    runId = run.runId();
      run.prepare(run.spec("901.echo", "python", "", "test", 1024, 10));
    }
    try (AwsClients clients = AwsClients.create(AwsSettings.from(Fixtures.config(results, AwsSettings.REGION,
        "us-east-1")))) {
    AwsResources resources = new AwsResources(clients.lambda());
      List<AwsResources.Resource> ofRun = resources.list(runId);
      assertThat(ofRun).extracting(AwsResources.Resource::name).containsExactly("sebs-901-echo-python-1024");
      assertThat(resources.delete(runId)).hasSize(1);
      assertThat(resources.list(runId)).isEmpty();
    }
    assertThat(aws.stub().requestsTo("DELETE", "/2015-03-31/functions/sebs-901-echo-python-1024")).hasSize(1);
  }

  /** A measured test on the aws platform, through the extension. */
  @io.sebs.junit.Platform("aws") // skipped when a -Dtest pattern selects it outside the test kit
  @io.sebs.junit.ServerlessBenchmark(value = "901.echo", language = "python", memory = 512)
  static class WarmOnAws {
    @Test
    @io.sebs.junit.Warm(repetitions = 3, warmup = 1)
    void warm(io.sebs.junit.Measurements m) {}
  }

  @Test
  void aMeasuredTestIsBilledFromTheReportLinesDurationAtAwsPrices() throws Exception {
    var request = org.junit.platform.testkit.engine.EngineTestKit.engine("junit-jupiter")
        .configurationParameters(Fixtures.configMap(results))
        .configurationParameter(SebsConfig.PLATFORM, "aws")
        .configurationParameter(AwsSettings.REGION, "us-east-1");
    request.selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(WarmOnAws.class)).execute()
        .testEvents().assertStatistics(s -> s.succeeded(1));

    Path json;
    try (var files = java.nio.file.Files.walk(results)) {
    json = files.filter(f -> f.getFileName().toString().equals("WarmOnAws.warm.json")).findFirst().orElseThrow();
    }
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    JsonNode invocations = root.path("_invocations").path("sebs-901-echo-python-512");
    assertThat(invocations.size()).isEqualTo(3);
    for (JsonNode invocation : invocations) {
    double providerMs = invocation.path("provider_times").path("execution").asLong() / 1000.0;
      JsonNode billing = invocation.path("billing");
      // Lambda bills the REPORT line's Duration rounded up to 1 ms, at 512 MB = 0.5 GB:
      // cost = ceil(ms) / 1000 * 0.5 GB * $0.0000166667 per GB-s + $0.20 / 1M requests
      long billedMs = (long) Math.ceil(providerMs);
      assertThat(billing.path("estimated").asBoolean()).isFalse();
      assertThat(invocation.path("stats").path("memory_used").asDouble()).as("Max Memory Used").isEqualTo(42.0);
      assertThat(billing.path("billed_time").asDouble()).isEqualTo(billedMs);
      assertThat(billing.path("cost_usd").asDouble())
          .isCloseTo(billedMs / 1000.0 * 0.5 * 0.0000166667 + 0.20 / 1_000_000, org.assertj.core.data.Offset.offset(1e-12));
    }
    assertThat(root.path("statistics").path("cost").path("provider").asText()).isEqualTo("aws");
    assertThat(root.path("statistics").path("memory_used").path("max").asDouble()).isEqualTo(42.0);
  }
}
