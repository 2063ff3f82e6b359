package io.sebs.junit.baseline;

import io.sebs.junit.TimeMetric;
import io.sebs.junit.stats.HodgesLehmannShift;
import io.sebs.junit.stats.RankSumTest;
import java.util.Optional;

/**
 * What the {@link RegressionGate} decided for one metric, with the evidence: the rank test, the shift
 * with its interval, the sizes and medians of both samples, and a sentence saying why.
 *
 * @param outcome pass, fail, inconclusive, or too few samples to decide
 * @param metric the compared time
 * @param tolerance the allowed slowdown relative to the baseline median, e.g. 0.10
 * @param confidence the confidence of the test and the interval
 * @param threshold {@code tolerance × baseline median}, microseconds
 * @param test the one-sided rank-sum test (absent when too few samples)
 * @param shift the Hodges–Lehmann shift and its interval (absent when too few samples)
 * @param currentMedian microseconds
 * @param baselineMedian microseconds
 * @param currentSize successful invocations of this run with the metric
 * @param baselineSize those of the baseline
 * @param baselineSource the baseline's results file
 * @param reason why the gate decided so, one sentence
 * @param currentSamples this run's values, ascending, microseconds: with {@code baselineSamples} the two
 *     series a chart needs (empirical CDFs or box plots of both runs side by side)
 * @param baselineSamples the baseline's values, ascending, microseconds
 */
public record GateVerdict(
    Outcome outcome,
    TimeMetric metric,
    double tolerance,
    double confidence,
    double threshold,
    Optional<RankSumTest> test,
    Optional<HodgesLehmannShift> shift,
    double currentMedian,
    double baselineMedian,
    int currentSize,
    int baselineSize,
    String baselineSource,
    String reason,
    double[] currentSamples,
    double[] baselineSamples) {

  /** The gate's three answers, and the case where the samples cannot give one. */
  public enum Outcome {
    /** The slowdown is shown to be below the tolerance (the interval's upper bound is). */
    PASS,
    /** Significantly slower, and the slowdown is shown to exceed the tolerance (the lower bound does). */
    FAIL,
    /** The interval straddles the tolerance, or the test is not significant: the data cannot decide. */
    INCONCLUSIVE,
    /** Too few samples for an interval at this confidence. */
    TOO_FEW_SAMPLES;

    /** {@code "pass"}, {@code "fail"}, ... as written in result files. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
