package io.sebs.junit.platform.gcp;

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
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fixture 920.flow-all-states on a real project's Cloud Functions, Google Workflows and Datastore, then the run's
 * functions, workflow and records removed. Skipped, saying why, without Google credentials and a project. The
 * workflow runs as {@code sebs.gcp.workflowServiceAccount} or the project's default compute service account,
 * which needs {@code roles/run.invoker} on the functions, and the project needs a Firestore database in
 * Datastore mode.
 */
class GcpWorkflowLiveTest {

  @TempDir
  Path results;

  private static Optional<String> whyNot() {
    String credentials = firstSet(System.getProperty(GcpSettings.CREDENTIALS),
        System.getenv("GOOGLE_APPLICATION_CREDENTIALS"));
    boolean adc = Files.exists(Path.of(System.getProperty("user.home"),
        ".config/gcloud/application_default_credentials.json"));
    if (credentials == null && !adc) {
      return Optional.of("no Google credentials here (GOOGLE_APPLICATION_CREDENTIALS, -D" + GcpSettings.CREDENTIALS
          + " or gcloud's application default credentials): this test runs the workflow on a real project's Cloud"
          + " Functions, Google Workflows and Datastore");
    }
    if (project() == null) {
      return Optional.of("no Google Cloud project (GOOGLE_CLOUD_PROJECT or -D" + GcpSettings.PROJECT + ")");
    }
    if (System.getProperty(GcpSettings.ENDPOINT) != null) {
      return Optional.of("-D" + GcpSettings.ENDPOINT + " points at a stand-in: the live test needs Google's APIs");
    }
    return Optional.empty();
  }

  private static String project() {
    return firstSet(System.getProperty(GcpSettings.PROJECT), System.getenv("GOOGLE_CLOUD_PROJECT"));
  }

  private static String firstSet(String... candidates) {
    for (String c : candidates) {
      if (c != null && !c.isBlank()) {
        return c;
      }
    }
    return null;
  }

  @Test
  void theFixtureWithEveryStateTypeRunsOnGoogleWorkflows() {
    Optional<String> skip = whyNot();
    assumeTrue(skip.isEmpty(), () -> "Skipped: " + skip.orElse(""));
    SebsConfig config = Fixtures.config(results, SebsConfig.PLATFORM, "gcp", GcpSettings.PROJECT, project());
    try (BenchmarkRun run = new BenchmarkRun(config)) {
      try {
        PreparedFunction workflow = run.prepare(run.spec("920.flow-all-states", "python", "", "test", 256, 30));
        WorkflowRun r = (WorkflowRun) workflow.invoker().invoke();
        assertThat(r.failure()).as("%s", r).isEmpty();
        JsonNode out = r.output();
        assertThat(out.path("total").asInt()).isEqualTo(14);
        assertThat(out.path("scaled").toString()).isEqualTo("[3,12,27]");
        assertThat(out.path("recovered").path("Error").asText()).isEqualTo("ValueError");
        assertThat(out.path("recovered").path("Cause").asText()).isEqualTo("planned failure");
        assertThat(r.functions()).extracting(FunctionRecord::requestId).hasSize(15).doesNotHaveDuplicates();
        assertThat(r.criticalPath()).isPositive().isLessThan(r.clientTime());
        System.out.printf("live Google Workflows run: client %d ms, critical path %d ms, overhead %d ms%n",
            r.clientTime().toMillis(), r.criticalPath().toMillis(), r.overhead().toMillis());
      } finally {
        try (GcpClients clients = GcpClients.create(GcpSettings.from(config))) {
          new GcpResources(clients).delete(run.runId());
        }
      }
    }
  }
}
