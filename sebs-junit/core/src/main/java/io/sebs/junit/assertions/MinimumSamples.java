package io.sebs.junit.assertions;

import io.sebs.junit.stats.ConfidenceInterval;
import io.sebs.junit.stats.SampleStatistics;
import java.util.Optional;
import java.util.function.Function;

/**
 * The smallest sample size for which a confidence interval can be computed. Found by asking the statistics
 * themselves on synthetic samples, so the answer always agrees with {@link SampleStatistics} (Le Boudec's
 * order statistics for the median, Student-t for the mean), whatever its exact rule.
 */
final class MinimumSamples {

  /** Beyond this we stop looking and say "more than". */
  static final int SEARCH_LIMIT = 1 << 20;

  private MinimumSamples() {}

  /**
   * The smallest n with an interval, or -1 when none up to {@link #SEARCH_LIMIT}. Assumes that once an
   * interval exists for n it exists for every larger n (true for both intervals).
   */
  static int of(Function<SampleStatistics, Optional<ConfidenceInterval>> interval) {
    int high = 2;
    while (!hasInterval(interval, high)) {
      if (high >= SEARCH_LIMIT) {
        return -1;
      }
      high *= 2;
    }
    int low = high / 2; // no interval at low (or low == 1, checked below)
    if (hasInterval(interval, low)) {
      return low;
    }
    while (high - low > 1) {
      int middle = (low + high) >>> 1;
      if (hasInterval(interval, middle)) {
        high = middle;
      } else {
        low = middle;
      }
    }
    return high;
  }

  private static boolean hasInterval(
      Function<SampleStatistics, Optional<ConfidenceInterval>> interval, int n) {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = 1000.0 + i; // distinct, positive: no degenerate spread
    }
    try {
      return interval.apply(SampleStatistics.of(values)).isPresent();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
