package io.sebs.junit.platform.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;

import io.sebs.junit.FunctionRecord;
import io.sebs.junit.WorkflowRun;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.tck.WorkflowChecks;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.PreparedFunction;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Workflows on the cloudflare platform against the API stand-in: Cloudflare Workflows are not driven, so sebs-junit's
 * engine orchestrates the definition from the test JVM, and each of its functions is a Worker of its own uploaded
 * through the Scripts API and invoked on workers.dev. The runs give the local engine's output and records.
 */
class CloudflareWorkflowContractTest {

  @RegisterExtension
  static final CloudflareApiStandIn cloudflare = new CloudflareApiStandIn();

  @TempDir
  Path results;

  private BenchmarkRun run() {
    List<String> settings = new ArrayList<>(List.of(SebsConfig.PLATFORM, CloudflarePlatform.NAME,
        SebsConfig.BENCHMARKS_DIR, Fixtures.catalogueDir().toString()));
    settings.addAll(cloudflare.settings());
    return new BenchmarkRun(Fixtures.config(results, settings.toArray(String[]::new)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"620.func-invo", "630.parallel-sleep"})
  void theSuitesChainAndFanOutRunWithEveryFunctionAWorkerDeployedThroughTheApi(String benchmark) {
    int before = cloudflare.requests().size();
    try (BenchmarkRun run = run()) {
      PreparedFunction workflow = run.prepare(run.spec(benchmark, "nodejs", "", "test", 128, 30));
      WorkflowRun r = (WorkflowRun) workflow.invoker().invoke();

      WorkflowChecks.suiteWorkflow(benchmark, r);
      WorkflowChecks.criticalPathAndClientWindow(r);
      List<String> uploads = cloudflare.requests().subList(before, cloudflare.requests().size()).stream()
          .filter(q -> q.method().equals("PUT") && q.path().contains("/workers/scripts/")).map(q -> q.path()).toList();
      assertThat(uploads).as("one script per function of the definition").hasSize(2).doesNotHaveDuplicates();
      assertThat(r.functions()).extracting(FunctionRecord::name).containsOnly(
          benchmark.equals("620.func-invo") ? new String[] {"gen", "process"} : new String[] {"generate", "process"});
    }
  }
}
