package io.sebs.junit.experiment.eviction;

import io.sebs.junit.report.Charts;
import io.sebs.junit.report.Charts.Series;
import io.sebs.junit.report.Charts.XScale;
import io.sebs.junit.run.ExperimentScope;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The chart of an eviction-model run, next to its result files and in Allure:
 * {@code eviction.warm-fraction.png}, idle time against the fraction of second-round invocations that found
 * a warm instance, one curve per instance count, with the platform's keep-alive as a vertical line where it
 * has one.
 */
final class EvictionCharts {

  private EvictionCharts() {}

  static void write(ExperimentScope scope, EvictionResult result, Charts charts) {
    if (result.points().isEmpty()) {
      return;
    }
    scope.writeChart("eviction.warm-fraction.png", "idle time vs fraction warm",
        () -> charts.xyLine(scope.testName() + ": instances still warm after idling", "idle time (s)",
            "fraction of invocations warm (0-1)", series(result), XScale.LINEAR));
  }

  private static List<Series> series(EvictionResult result) {
    List<Series> series = new ArrayList<>();
    for (int n : result.points().stream().map(EvictionPoint::instances).distinct().sorted().toList()) {
      WarmCurve curve = result.curve(n);
      series.add(new Series(curve.label(), curve.idleSeconds(), curve.warmFraction()));
    }
    result.keepAlive().ifPresent(rule -> {
      double seconds = rule.keepAlive().toNanos() / 1e9;
      series.add(new Series("keep-alive " + format(seconds) + " s (+ check every "
          + format(rule.checkPeriod().toNanos() / 1e9) + " s)", new double[] {seconds, seconds},
          new double[] {0, 1}));
    });
    return series;
  }

  private static String format(double seconds) {
    return new DecimalFormat("0.###", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(seconds);
  }
}
