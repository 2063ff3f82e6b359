package io.sebs.junit.run;

import io.sebs.junit.Measurements.Kind;
import io.sebs.junit.series.StoppingRule;
import java.util.Map;

/**
 * What one measured series is to be: its kind and counts, when it stops, what it may cost; built from a
 * test's annotations by the JUnit glue, run by {@link MeasureStep}.
 *
 * @param warmup warm-up invocations before a warm series (not measured)
 * @param concurrency invocations per burst
 * @param maxCostUsd the spending cap of the series; infinite for none
 * @param settings the settings as result files show them
 * @param description e.g. {@code "3 warm-up + 30 warm invocations"}
 */
public record SeriesPlan(Kind kind, int repetitions, int warmup, int concurrency, StoppingRule stoppingRule,
    double maxCostUsd, Map<String, Object> settings, String description) {

  public SeriesPlan {
    settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
  }

  /** Whether the series stops when it has spent {@link #maxCostUsd()}. */
  public boolean hasCostCap() {
    return Double.isFinite(maxCostUsd);
  }
}
