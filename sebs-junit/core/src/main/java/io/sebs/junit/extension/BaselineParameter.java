package io.sebs.junit.extension;

import io.sebs.junit.Baseline;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.baseline.BaselineRecord;
import io.sebs.junit.baseline.BaselineResults;
import io.sebs.junit.baseline.ComparisonFile;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.run.BenchmarkRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/**
 * Resolves a {@link Baseline} parameter: loads the folder named by {@code sebs.baseline} once per test plan
 * (root store) and finds this test's record in it. Missing baselines are values, not errors; a configured
 * folder that is wrong fails the test with what to fix.
 */
final class BaselineParameter {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BaselineParameter.class);

  private BaselineParameter() {}

  static Baseline resolve(ExtensionContext context, Optional<ServerlessBenchmark> benchmark) {
    SebsConfig config = SebsExtension.config(context);
    List<Path> configured = config.baselines();
    if (configured.isEmpty()) {
      return Baseline.unavailable("no baseline is configured; set " + SebsConfig.BASELINE + " to the results folder"
          + " of an earlier run (e.g. -D" + SebsConfig.BASELINE + "=reports/results/<run-id>) to compare with it");
    }
    BaselineResults results;
    try {
      results = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(configured,
          paths -> BaselineResults.load(configured, SebsConfig.BASELINE), BaselineResults.class);
    } catch (IllegalArgumentException e) {
      throw new ParameterResolutionException(e.getMessage(), e);
    }
    BenchmarkRun run = SebsExtension.run(context);
    String name = SebsExtension.testName(context);
    BaselineResults.Match match = results.find(name, context.getUniqueId(), run.platform().name());
    if (match.record().isEmpty()) {
      return Baseline.unavailable(match.reason());
    }
    BaselineRecord record = match.record().get();
    if (benchmark.isPresent()) {
      ServerlessBenchmark b = benchmark.get();
      FunctionSpec spec;
      try {
        spec = run.spec(b.value(), b.language(), b.languageVersion(), b.size(), b.memory(), b.timeout());
      } catch (IllegalArgumentException e) {
        throw new ParameterResolutionException("@ServerlessBenchmark on " + name + ": " + e.getMessage(), e);
      }
      List<String> differences = record.differencesFrom(spec.benchmark().id(), spec.language().id(), spec.size(),
          spec.memoryMb());
      if (!differences.isEmpty()) {
        return Baseline.unavailable("the baseline " + record.source() + " of " + name + " was measured with "
            + String.join(", ", differences) + ": comparing would be misleading; record a new baseline");
      }
    }
    return Baseline.of(record, config.confidence(),
        new ComparisonFile(run.results().directory(), name, record.describeSource()));
  }
}
