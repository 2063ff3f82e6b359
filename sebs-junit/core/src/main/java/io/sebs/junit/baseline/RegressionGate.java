package io.sebs.junit.baseline;

import io.sebs.junit.TimeMetric;
import io.sebs.junit.stats.HodgesLehmannShift;
import io.sebs.junit.stats.RankSumTest;
import io.sebs.junit.stats.SampleStatistics;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a metric got slower than its baseline beyond a tolerance, so that a CI build fails on
 * real regressions and never on noise alone.
 *
 * <p>With {@code T = tolerance × baseline median} and the Hodges–Lehmann shift's two-sided interval
 * {@code [L, U]} at the confidence {@code c} (current minus baseline):
 *
 * <ul>
 *   <li><b>fail</b> when the one-sided rank-sum test says "slower" at level {@code 1 - c} <i>and</i>
 *       {@code L > T}: the data show that the slowdown exceeds the tolerance;
 *   <li><b>pass</b> when {@code U < T}: the data show that any slowdown is within the tolerance (an
 *       unchanged or faster function passes once the samples are precise enough);
 *   <li><b>inconclusive</b> otherwise: {@code T} lies inside the interval (more samples narrow it), or
 *       {@code L > T} but the test is not significant (possible with ties or the normal approximation).
 * </ul>
 *
 * Each bound of a two-sided {@code c} interval is a one-sided {@code (1+c)/2} bound, so a false failure of
 * an unchanged function has probability at most {@code (1-c)/2} (2.5 % at 95 %) for continuous data,
 * less the larger the tolerance. The tolerance makes the gate about practical, not merely statistical,
 * significance: with many samples, a 0.3 % slowdown is "significant" but should not break a build.
 */
public final class RegressionGate {

  /** Largest sample size tried when saying how many samples are needed. */
  private static final int SEARCH_LIMIT = 10_000;

  private RegressionGate() {}

  /**
   * Compares {@code current} with {@code baseline} (same unit, e.g. microseconds).
   *
   * @param tolerance the allowed slowdown as a fraction of the baseline median, at least 0 (0.10 = 10 %)
   * @param confidence in (0, 1), e.g. 0.95
   * @param source where the baseline comes from, quoted in the verdict
   * @throws IllegalArgumentException if the tolerance is negative or not finite, or a sample is empty
   */
  public static GateVerdict judge(TimeMetric metric, double[] current, double[] baseline, double tolerance,
      double confidence, String source) {
    if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException("tolerance must be a fraction >= 0 of the baseline median, e.g. 0.10 for "
          + "10% slower, but was " + tolerance);
    }
    SampleStatistics now = SampleStatistics.of(current);
    SampleStatistics before = SampleStatistics.of(baseline);
    if (now.isEmpty() || before.isEmpty()) {
      throw new IllegalArgumentException("both samples need values, but had " + now.count() + " (current) and "
          + before.count() + " (baseline)");
    }
    double threshold = tolerance * before.median();
    Optional<HodgesLehmannShift> shift = HodgesLehmannShift.of(current, baseline, confidence);
    if (shift.isEmpty()) {
      int needed = neededCurrentSamples(before.count(), confidence);
      String advice = needed < 0 ? "the baseline itself is too small: re-record it with more repetitions"
          : "it needs at least " + needed + " current samples against the " + before.count() + " of the baseline"
              + " (or lower the confidence)";
      return new GateVerdict(GateVerdict.Outcome.TOO_FEW_SAMPLES, metric, tolerance, confidence, threshold,
          Optional.empty(), Optional.empty(), now.median(), before.median(), now.count(), before.count(), source,
          "the samples are too small for a " + percent(confidence) + " confidence interval of the shift: " + advice,
          now.values(), before.values());
    }
    RankSumTest test = RankSumTest.greater(current, baseline);
    double lower = shift.get().interval().lower();
    double upper = shift.get().interval().upper();
    GateVerdict.Outcome outcome;
    String reason;
    if (lower > threshold && test.isSignificant(confidence)) {
      outcome = GateVerdict.Outcome.FAIL;
      reason = "significantly slower, and the whole interval of the shift is above the tolerance";
    } else if (upper < threshold) {
      outcome = GateVerdict.Outcome.PASS;
      reason = "the whole interval of the shift is below the tolerance";
    } else if (lower > threshold) {
      outcome = GateVerdict.Outcome.INCONCLUSIVE;
      reason = "the interval of the shift is above the tolerance but the rank test is not significant (p = "
          + String.format(Locale.ROOT, "%.3g", test.pValue()) + " >= " + String.format(Locale.ROOT, "%.3g",
          1 - confidence) + ")";
    } else {
      outcome = GateVerdict.Outcome.INCONCLUSIVE;
      reason = "the tolerance lies inside the interval of the shift";
    }
    return new GateVerdict(outcome, metric, tolerance, confidence, threshold, Optional.of(test), shift, now.median(),
        before.median(), now.count(), before.count(), source, reason, now.values(), before.values());
  }

  /** The smallest current sample size that gives an interval against {@code baseline} samples; -1 if none. */
  static int neededCurrentSamples(int baseline, double confidence) {
    for (int m = 1; m <= SEARCH_LIMIT; m = m < 64 ? m + 1 : m * 2) {
      if (HodgesLehmannShift.lowerRank(m, baseline, confidence).isPresent()) {
        return m;
      }
    }
    return -1;
  }

  static String percent(double level) {
    return new java.math.BigDecimal(Double.toString(level * 100.0)).round(new java.math.MathContext(10))
        .stripTrailingZeros().toPlainString() + "%";
  }
}
