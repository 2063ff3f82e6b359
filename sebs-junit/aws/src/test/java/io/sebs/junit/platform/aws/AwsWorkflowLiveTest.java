package io.sebs.junit.platform.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.FunctionRecord;
import io.sebs.junit.WorkflowRun;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.PreparedFunction;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Fixture 920.flow-all-states on a real AWS account: Lambda, an Express state machine, DynamoDB records.
 * Runs only where AWS credentials are configured (AWS_ACCESS_KEY_ID, AWS_PROFILE or ~/.aws) and a region is
 * known (AWS_REGION, AWS_DEFAULT_REGION or -Dsebs.aws.region); otherwise it is skipped saying so, before any
 * request is sent. At the end it removes the functions and state machine tagged with its run (those an
 * earlier run created and this one reused keep that run's tag and stay; the two IAM roles stay, as for
 * every run; the records table goes when the platform closes).
 */
class AwsWorkflowLiveTest {

  @TempDir
  Path results;

  private static Optional<String> whyNot() {
    boolean credentials = System.getenv("AWS_ACCESS_KEY_ID") != null || System.getenv("AWS_PROFILE") != null
        || Files.exists(Path.of(System.getProperty("user.home"), ".aws"));
    if (!credentials) {
      return Optional.of("no AWS credentials here (AWS_ACCESS_KEY_ID, AWS_PROFILE or ~/.aws): this test runs the "
          + "workflow on a real account's Lambda, Step Functions and DynamoDB");
    }
    if (region() == null) {
      return Optional.of("no AWS region (AWS_REGION, AWS_DEFAULT_REGION or -D" + AwsSettings.REGION + ")");
    }
    return Optional.empty();
  }

  private static String region() {
    for (String candidate : new String[] {System.getProperty(AwsSettings.REGION), System.getenv("AWS_REGION"),
        System.getenv("AWS_DEFAULT_REGION")}) {
      if (candidate != null && !candidate.isBlank()) {
        return candidate;
      }
    }
    return null;
  }

  @Test
  void theFixtureWithEveryStateTypeRunsOnStepFunctions() {
    Optional<String> skip = whyNot();
    assumeTrue(skip.isEmpty(), () -> "Skipped: " + skip.orElse(""));
    SebsConfig config = Fixtures.config(results, SebsConfig.PLATFORM, "aws", AwsSettings.REGION, region());
    String runId;
    try (BenchmarkRun run = new BenchmarkRun(config)) {
      runId = run.runId();
      try {
        PreparedFunction workflow = run.prepare(run.spec("920.flow-all-states", "python", "", "test", 128, 30));
        WorkflowRun r = (WorkflowRun) workflow.invoker().invoke();
        assertThat(r.failure()).as("%s", r).isEmpty();
        JsonNode out = r.output();
        assertThat(out.path("total").asInt()).isEqualTo(14);
        assertThat(out.path("scaled").toString()).isEqualTo("[3,12,27]");
        assertThat(out.path("recovered").path("Error").asText()).isEqualTo("ValueError");
        assertThat(out.path("recovered").path("Cause").asText()).isEqualTo("planned failure");
        assertThat(r.functions()).extracting(FunctionRecord::requestId).hasSize(15).doesNotHaveDuplicates();
        assertThat(r.criticalPath()).isPositive().isLessThan(r.clientTime());
        System.out.printf("live Step Functions run: client %d ms, critical path %d ms, overhead %d ms%n",
            r.clientTime().toMillis(), r.criticalPath().toMillis(), r.overhead().toMillis());
      } finally {
        try (AwsClients clients = AwsClients.create(AwsSettings.from(config));
            SfnClient sfn = AwsClients.sfn(clients.region(), Duration.ofSeconds(60), true)) {
          new AwsResources(clients.lambda(), null, null, sfn).delete(run.runId());
        }
      }
    }
    assertThat(runId).isNotEmpty();
  }
}
