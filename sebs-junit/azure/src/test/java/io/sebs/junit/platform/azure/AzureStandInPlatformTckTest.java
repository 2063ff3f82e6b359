package io.sebs.junit.platform.azure;

import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.tck.PlatformTck;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The platform contract on the azure platform against the stand-in ({@link AzureStandIn}): Resource Manager checks
 * the requests as Azure does and runs the deployed function apps with {@link AzureFunctionHost} (Python, Node.js
 * and Java workers of our own, since the Azure Functions host cannot be installed here). Function apps stay
 * deployed after a run for reuse (as on aws and gcp); "nothing left" here means the clean-up ({@link
 * AzureResources}) removes every app and plan tagged with the run.
 */
class AzureStandInPlatformTckTest extends PlatformTck {

  @RegisterExtension
  static final AzureStandIn azure = new AzureStandIn();

  @Override
  protected SebsConfig config(Path resultsDir) {
    List<String> settings = new ArrayList<>(List.of(SebsConfig.PLATFORM, "azure"));
    settings.addAll(azure.settings());
    return Fixtures.config(resultsDir, settings.toArray(String[]::new));
  }

  @Override
  protected List<String> languages() {
    return List.of("python", "nodejs", "java");
  }

  @Override
  protected Leftovers leftovers(BenchmarkRun run) {
    String runId = run.runId();
    return () -> {
      try (AzureClients clients = AzureClients.create(AzureSettings.from(config(results)))) {
        AzureResources resources = new AzureResources(clients);
        resources.delete(runId);
        return resources.list(runId).stream().map(r -> r.kind() + " " + r.name()).toList();
      }
    };
  }
}
