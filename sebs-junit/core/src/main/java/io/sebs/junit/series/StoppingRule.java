package io.sebs.junit.series;

import io.sebs.junit.Invocation;
import io.sebs.junit.TimeMetric;
import io.sebs.junit.stats.ConfidenceInterval;
import io.sebs.junit.stats.LeBoudecInterval;
import io.sebs.junit.stats.SampleStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides after each measured invocation whether a series has measured enough. The reason it gives is
 * kept with the results, so a reader knows whether a series ended by precision or by its cap.
 */
@FunctionalInterface
public interface StoppingRule {

  /** A reason to stop now, given the measured invocations so far; empty to go on. */
  Optional<String> stopAfter(List<Invocation> measured);

  /** Never stops early: the series runs its fixed number of repetitions. */
  StoppingRule FIXED = measured -> Optional.empty();

  /**
   * Stops when the Le Boudec confidence interval of the median client time of the successful
   * invocations has a half-width within {@code relativeError} of the median. The rule is checked after
   * every invocation, which is optional stopping: the interval's nominal coverage is then not guaranteed
   * (a sequential method that accounts for it is future work). Use it to save invocations, and a fixed
   * count where exact coverage matters.
   */
  static StoppingRule medianPrecision(double relativeError, double confidence, int minimum) {
    if (!(relativeError > 0)) {
      throw new IllegalArgumentException("relativeError must be positive, e.g. 0.05, but was " + relativeError);
    }
    int start = Math.max(minimum, LeBoudecInterval.minimumSampleSize(confidence));
    return measured -> {
      List<Invocation> ok = measured.stream().filter(i -> !i.failed()).toList();
      if (ok.size() < start) {
        return Optional.empty();
      }
      SampleStatistics stats = SampleStatistics.of(ok.stream()
          .mapToDouble(i -> TimeMetric.CLIENT_TIME.of(i).orElseThrow().toNanos() / 1000.0).toArray());
      Optional<ConfidenceInterval> ci = stats.medianInterval(confidence);
      if (ci.isEmpty()) {
        return Optional.empty();
      }
      double relative = ci.get().relativeHalfWidth(stats.median());
      return relative <= relativeError
          ? Optional.of(String.format(Locale.ROOT,
              "precise enough after %d successful invocations: median client time %.1f us, %s half-width "
                  + "%.2f%% <= %.2f%%", ok.size(), stats.median(), ci.get(), relative * 100, relativeError * 100))
          : Optional.empty();
    };
  }
}
