package io.sebs.junit.platform.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.Invocation;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.PreparedFunction;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * {@code sebs.aws.trigger=url}: functions are invoked through their Function URL, created with IAM
 * authentication, by POSTs signed with SigV4. The stand-in recomputes each signature with the known secret
 * and refuses a wrong one (HTTP 403), wraps the body in Lambda's HTTP event, and answers with the wrapper's
 * JSON. There is no log tail on this path: provider times come from the REPORT lines in CloudWatch Logs,
 * downloaded once per measured series ({@code Platform.fetchMetrics}).
 */
class AwsFunctionUrlContractTest {

  static final String KEY = "AKIDURL";
  static final String SECRET = "url-secret";

  @TempDir
  Path results;

  @RegisterExtension
  static final AwsStandIns aws = AwsStandIns.stub(KEY, SECRET);

  @AfterEach
  void restoreCredentials() {
    System.setProperty("aws.secretAccessKey", SECRET);
  }

  private BenchmarkRun run() {
    return new BenchmarkRun(Fixtures.config(results, SebsConfig.PLATFORM, "aws", AwsSettings.REGION, "us-east-1",
        AwsSettings.TRIGGER, "url", AwsSettings.LOG_WAIT, "5s"));
  }

  @Test
  void invocationsGoThroughAnIamAuthenticatedFunctionUrlWithSignedRequests() {
    try (BenchmarkRun run = run()) {
    PreparedFunction function = run.prepare(run.spec("901.echo", "python", "", "test", 256, 10));
      String name = function.deployed().name();
      Invocation first = function.invoker().invoke(Map.of("via", "url"));
      Invocation second = function.invoker().invoke(Map.of("via", "again"));

      assertThat(first.failed()).as("%s", first).isFalse();
      assertThat(first.output().path("echo").path("via").asText()).isEqualTo("url");
      assertThat(first.isCold()).isTrue();
      assertThat(second.isCold()).isFalse();
      // the URL was looked up, then created with IAM authentication, never public
      assertThat(aws.stub().requestsTo("GET", "/2021-10-31/functions/" + name + "/url")).hasSize(1);
      List<LambdaApiStub.Request> creates = aws.stub().requestsTo("POST", "/2021-10-31/functions/" + name + "/url");
      assertThat(creates).hasSize(1);
      assertThat(creates.get(0).json().path("AuthType").asText()).isEqualTo("AWS_IAM");
      // both invocations were signed POSTs of the event to the URL, not SDK invokes
      List<LambdaApiStub.Request> posts = aws.stub().requests("POST", "/lambda-url/" + name + "/");
      assertThat(posts).hasSize(2);
      assertThat(posts.get(0).headers().get("authorization"))
          .startsWith("AWS4-HMAC-SHA256 Credential=" + KEY + "/").contains("/us-east-1/lambda/aws4_request");
      assertThat(posts.get(0).body()).isEqualTo("{\"via\":\"url\"}");
      assertThat(aws.stub().requests("POST", "/2015-03-31/functions/" + name + "/invocations")).isEmpty();
      // no log tail on this path: provider times are not known until the logs are fetched
      assertThat(first.providerTime()).isEmpty();

      List<Invocation> filled = run.platform().fetchMetrics(function.deployed(), List.of(first, second));
      assertThat(filled.get(0).providerTime()).isPresent();
      assertThat(filled.get(0).initTime()).as("cold: Init Duration").isPresent();
      assertThat(filled.get(1).initTime()).as("warm: no Init Duration").isEmpty();
      assertThat(filled.get(1).memoryUsed()).hasValue(42.0);
      assertThat(filled).extracting(Invocation::requestId).containsExactly(first.requestId(), second.requestId());
      JsonNode filter = aws.stub().requests.stream()
          .filter(r -> r.headers().getOrDefault("x-amz-target", "").equals("Logs_20140328.FilterLogEvents"))
          .findFirst().orElseThrow().json();
      assertThat(filter.path("logGroupName").asText()).isEqualTo("/aws/lambda/" + name);
      assertThat(filter.path("filterPattern").asText()).isEqualTo("\"REPORT RequestId\"");
    }
  }

  @Test
  void aBadSignatureIsRefusedAndTheFailureSaysWhichPermissionIsNeeded() {
    try (BenchmarkRun run = run()) {
    PreparedFunction function = run.prepare(run.spec("901.echo", "python", "", "test", 384, 10));
      System.setProperty("aws.secretAccessKey", "not-the-secret");
      Invocation refused = function.invoker().invoke(Map.of());
      assertThat(refused.failed()).isTrue();
      assertThat(refused.failureReason().orElseThrow()).contains("HTTP 403").contains("lambda:InvokeFunctionUrl")
          .contains("signature mismatch");
      System.setProperty("aws.secretAccessKey", SECRET);
      assertThat(function.invoker().invoke(Map.of()).failed()).isFalse();
    }
  }

  @Test
  void aPublicFunctionUrlIsSwitchedToIamAuthentication() {
    try (BenchmarkRun run = run()) {
    PreparedFunction function = run.prepare(run.spec("901.echo", "nodejs", "", "test", 512, 10));
      String name = function.deployed().name();
      aws.stub().extras.urlConfig(name, "NONE");
      assertThat(function.invoker().invoke(Map.of("n", 3)).output().path("echo").path("n").asInt()).isEqualTo(3);
      assertThat(aws.stub().requestsTo("PUT", "/2021-10-31/functions/" + name + "/url")).hasSize(1);
      assertThat(aws.stub().extras.urlAuthType(name)).isEqualTo("AWS_IAM");
    }
  }

  @Test
  void aFunctionErrorIsAFailedInvocationWithTheFunctionsMessage() {
    try (BenchmarkRun run = run()) {
    PreparedFunction function = run.prepare(run.spec("901.echo", "python", "", "test", 640, 10));
      Invocation failed = function.invoker().invoke(Map.of("fail", "boom"));
      assertThat(failed.failed()).isTrue();
      assertThat(failed.failureReason().orElseThrow()).contains("RuntimeError: boom");
    }
  }

  /** A measured test over the URL trigger, through the extension. */
  @io.sebs.junit.Platform("aws") // skipped when a -Dtest pattern selects it outside the test kit
  @io.sebs.junit.ServerlessBenchmark(value = "901.echo", language = "python", memory = 1024)
  static class WarmOverUrl {
    @Test
    @io.sebs.junit.Warm(repetitions = 4, warmup = 1)
    void warm(io.sebs.junit.Measurements m) {}
  }

  @Test
  void aMeasuredSeriesGetsProviderTimesAndBillingFromTheLogs() throws Exception {
    aws.stub().extras.logPageSize(2); // 4 REPORT lines (and the warm-up's) over several pages
    long before = aws.stub().extras.filterCalls();
    EngineTestKit.engine("junit-jupiter").configurationParameters(Fixtures.configMap(results))
        .configurationParameter(SebsConfig.PLATFORM, "aws").configurationParameter(AwsSettings.REGION, "us-east-1")
        .configurationParameter(AwsSettings.TRIGGER, "url").configurationParameter(AwsSettings.LOG_WAIT, "5s")
        .selectors(DiscoverySelectors.selectClass(WarmOverUrl.class)).execute()
        .testEvents().assertStatistics(s -> s.succeeded(1));
    aws.stub().extras.logPageSize(3);
    assertThat(aws.stub().extras.filterCalls() - before).as("paged: one call per page of 2").isGreaterThanOrEqualTo(3);

    Path json;
    try (var files = Files.walk(results)) {
    json = files.filter(f -> f.getFileName().toString().equals("WarmOverUrl.warm.json")).findFirst().orElseThrow();
    }
    JsonNode invocations = new ObjectMapper().readTree(json.toFile()).path("_invocations")
        .path("sebs-901-echo-python-1024");
    assertThat(invocations.size()).isEqualTo(4);
    for (JsonNode invocation : invocations) {
    assertThat(invocation.path("provider_times").path("execution").asLong()).as("from the REPORT line")
          .isPositive();
      assertThat(invocation.path("billing").path("estimated").asBoolean()).isFalse();
      assertThat(invocation.path("stats").path("memory_used").asDouble()).isEqualTo(42.0);
    }
  }
}
