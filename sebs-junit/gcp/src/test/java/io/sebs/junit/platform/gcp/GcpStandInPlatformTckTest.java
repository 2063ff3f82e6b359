package io.sebs.junit.platform.gcp;

import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.tck.PlatformTck;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The platform contract on the gcp platform against the stand-in ({@link GcpStandIn}), which runs the uploaded
 * functions with Google's Functions Framework (Node.js), Google's Java function invoker, and a Python host of our
 * own. Functions stay deployed after a run for reuse (as on aws); "nothing left" here means the clean-up
 * ({@link GcpResources}) removes every function labelled with the run.
 */
class GcpStandInPlatformTckTest extends PlatformTck {

  @RegisterExtension
  static final GcpStandIn gcp = new GcpStandIn();

  @Override
  protected SebsConfig config(Path resultsDir) {
    return Fixtures.config(resultsDir, SebsConfig.PLATFORM, "gcp", GcpSettings.ENDPOINT, gcp.url(),
        GcpSettings.CREDENTIALS, gcp.keyFile().toString(), GcpSettings.PROJECT, gcp.project(),
        GcpSettings.LOG_WAIT, "10s");
  }

  @Override
  protected List<String> languages() {
    return List.of("python", "nodejs", "java");
  }

  @Override
  protected Leftovers leftovers(BenchmarkRun run) {
    String runId = run.runId();
    return () -> {
      try (GcpClients clients = GcpClients.create(GcpSettings.from(config(results)))) {
        GcpResources resources = new GcpResources(clients);
        resources.delete(runId);
        return resources.list(runId).stream().map(r -> "Cloud Function " + r.name()).toList();
      }
    };
  }
}
