package io.sebs.junit.stats;

import java.util.Arrays;
import java.util.Optional;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;

/**
 * An immutable summary of one sample (e.g. the execution times of a series of invocations), the
 * single place where budgets, reports and comparisons get their numbers, so they all agree.
 *
 * <p>Definitions a user can rely on:
 *
 * <ul>
 *   <li>{@link #standardDeviation()} is the sample one (n - 1 denominator), 0 for one value;
 *   <li>{@link #percentile(double)} is Hyndman–Fan type 7 (linear interpolation between order
 *       statistics), the default of numpy.percentile and R's quantile, so numbers can be checked
 *       against either; {@link #median()} is {@code percentile(50)};
 *   <li>{@link #meanInterval(double)} is a {@link StudentTInterval},
 *       {@link #medianInterval(double)} a distribution-free {@link LeBoudecInterval}: prefer the
 *       latter for skewed latencies.
 * </ul>
 *
 * <p>An empty sample is allowed (a series where every invocation failed) so that it can still be
 * reported: {@link #count()} is 0, {@link #values()} is empty, the intervals are empty, and every
 * other accessor throws {@link IllegalStateException} {@code "no samples"} rather than return NaN,
 * because NaN slips silently through comparisons and would let a budget check pass on no data.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class SampleStatistics {

  private static final SampleStatistics EMPTY = new SampleStatistics(new double[0]);

  private final double[] sorted;
  private final double mean;
  private final double standardDeviation;

  private SampleStatistics(double[] sorted) {
    this.sorted = sorted;
    if (sorted.length == 0) {
      this.mean = Double.NaN;
      this.standardDeviation = Double.NaN;
    } else {
      this.mean = StatUtils.mean(sorted);
      this.standardDeviation = Math.sqrt(StatUtils.variance(sorted, mean));
    }
  }

  /**
   * Summarises {@code values}, copying them: later changes to the array do not affect the result.
   *
   * @param values the sample in any order, possibly empty
   * @throws IllegalArgumentException if a value is NaN or infinite
   * @throws NullPointerException if {@code values} is null
   */
  public static SampleStatistics of(double[] values) {
    double[] copy = Arguments.requireFiniteSample(values).clone();
    if (copy.length == 0) {
      return EMPTY;
    }
    Arrays.sort(copy);
    return new SampleStatistics(copy);
  }

  /** The number of values; 0 for an empty sample. */
  public int count() {
    return sorted.length;
  }

  /** Whether there are no values, in which case only count, values and the intervals answer. */
  public boolean isEmpty() {
    return sorted.length == 0;
  }

  /** The smallest value. */
  public double min() {
    requireValues();
    return sorted[0];
  }

  /** The largest value. */
  public double max() {
    requireValues();
    return sorted[sorted.length - 1];
  }

  /** The arithmetic mean. */
  public double mean() {
    requireValues();
    return mean;
  }

  /** The median, {@code percentile(50)}: the middle value, or the mean of the two middle ones. */
  public double median() {
    return percentile(50);
  }

  /** The sample standard deviation (n - 1 denominator); 0 for a single value. */
  public double standardDeviation() {
    requireValues();
    return standardDeviation;
  }

  /**
   * {@code standardDeviation() / mean()}: the spread in units of the mean, comparable across
   * functions of different speeds. Infinite (or NaN) when the mean is 0.
   */
  public double coefficientOfVariation() {
    requireValues();
    return standardDeviation / mean;
  }

  /**
   * The {@code p}-th percentile by Hyndman–Fan type 7, as {@code numpy.percentile(values, p)}:
   * with {@code h = (n - 1) p / 100} and {@code f = floor(h)}, it is
   * {@code x[f] + (h - f) (x[f + 1] - x[f])} over the 0-based sorted values, so
   * {@code percentile(100)} is the maximum.
   *
   * @param p in (0, 100], e.g. 99 for p99
   * @throws IllegalArgumentException if {@code p} is outside (0, 100]
   */
  public double percentile(double p) {
    if (!(p > 0.0 && p <= 100.0)) {
      throw new IllegalArgumentException("percentile must be in (0, 100], e.g. 99, but was " + p);
    }
    requireValues();
    // A new Percentile per call: it caches pivots and is not thread-safe.
    return new Percentile().withEstimationType(EstimationType.R_7).evaluate(sorted, p);
  }

  /**
   * The {@link StudentTInterval} for the mean.
   *
   * @return empty for fewer than 2 values
   * @throws IllegalArgumentException if the confidence is outside (0, 1)
   */
  public Optional<ConfidenceInterval> meanInterval(double confidence) {
    return StudentTInterval.forMean(sorted, confidence);
  }

  /**
   * The distribution-free {@link LeBoudecInterval} for the median.
   *
   * @return empty below {@link LeBoudecInterval#minimumSampleSize(double)} values
   * @throws IllegalArgumentException if the confidence is outside (0, 1)
   */
  public Optional<ConfidenceInterval> medianInterval(double confidence) {
    Arguments.requireConfidence(confidence);
    return LeBoudecInterval.forMedianOfSorted(sorted, confidence);
  }

  /** The values sorted ascending, as a fresh copy (the input order is not kept). */
  public double[] values() {
    return sorted.clone();
  }

  @Override
  public String toString() {
    if (isEmpty()) {
      return "SampleStatistics{count=0}";
    }
    return "SampleStatistics{count="
        + count()
        + ", min="
        + min()
        + ", median="
        + median()
        + ", mean="
        + mean
        + ", max="
        + max()
        + ", sd="
        + standardDeviation
        + "}";
  }

  private void requireValues() {
    if (sorted.length == 0) {
      throw new IllegalStateException("no samples");
    }
  }
}
