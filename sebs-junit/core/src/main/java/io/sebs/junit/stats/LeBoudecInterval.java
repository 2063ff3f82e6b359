package io.sebs.junit.stats;

import java.util.Arrays;
import java.util.Optional;
import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * A distribution-free confidence interval for the MEDIAN, from order statistics (J.-Y. Le Boudec,
 * <i>Performance Evaluation of Computer and Communication Systems</i>, Theorem 2.1 and Table A.1).
 *
 * <p>It assumes only that the values are independent and identically distributed, nothing about
 * their distribution, which is why it suits latencies: skewed, heavy-tailed, with cold-start
 * outliers that would wreck a {@link StudentTInterval}. For a sorted sample {@code x(1) <= ... <=
 * x(n)} the interval is {@code [x(j), x(n + 1 - j)]}, where {@code j} is the largest rank with
 * {@code P(j <= B <= n - j) >= confidence} for {@code B ~ Binomial(n, 1/2)} (the number of values
 * below the median). The binomial sum is computed for every {@code n}, with no normal
 * approximation, so the coverage is at least the nominal confidence at any level (up to a relative
 * 1e-9 of floating-point slack on the miss probability).
 *
 * <p>Below {@link #minimumSampleSize(double)} values no such interval exists (6 at 95 %, 8 at 99
 * %), whatever the data.
 */
public final class LeBoudecInterval {

  /** The {@link ConfidenceInterval#method()} name of these intervals. */
  public static final String METHOD = "Le Boudec median";

  /**
   * Relative slack when comparing the miss probability {@code P(B < j) + P(B > n - j)} with
   * {@code 1 - confidence}: Commons Math's binomial CDF is off by a few ulps (coverage
   * 0.3124999999999998 for the exact 20/64), which would otherwise turn exact ties into misses.
   */
  private static final double RELATIVE_SLACK = 1e-9;

  private LeBoudecInterval() {}

  /**
   * The 1-based ranks of the order statistics that bound the interval.
   *
   * @param lower rank {@code j} of the lower bound, at least 1
   * @param upper rank {@code n + 1 - j} of the upper bound
   */
  public record Ranks(int lower, int upper) {

    /** Checks {@code 1 <= lower <= upper}. */
    public Ranks {
      if (lower < 1 || upper < lower) {
        throw new IllegalArgumentException(
            "ranks must satisfy 1 <= lower <= upper, but were (" + lower + ", " + upper + ")");
      }
    }
  }

  /**
   * The ranks {@code (j, n + 1 - j)} for a sample of {@code n} values.
   *
   * @param n the sample size, at least 0
   * @param confidence in (0, 1), e.g. 0.95
   * @return empty when {@code n} is too small for any interval to reach the confidence
   * @throws IllegalArgumentException if {@code n < 0} or the confidence is outside (0, 1)
   */
  public static Optional<Ranks> ranks(int n, double confidence) {
    Arguments.requireConfidence(confidence);
    if (n < 0) {
      throw new IllegalArgumentException("sample size must be >= 0, but was " + n);
    }
    // j beyond n/2 would give an empty rank range.
    int low = 1;
    int high = n / 2;
    if (high < low) {
      return Optional.empty();
    }
    BinomialDistribution below = new BinomialDistribution(null, n, 0.5);
    double allowedMiss = (1.0 - confidence) * (1.0 + RELATIVE_SLACK);
    if (missProbability(below, low) > allowedMiss) {
      return Optional.empty();
    }
    // Coverage falls as j grows. Invariant: rank low reaches the confidence; bisect for the
    // largest such rank (O(log n) CDF evaluations, so even huge samples are cheap).
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (missProbability(below, mid) <= allowedMiss) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return Optional.of(new Ranks(low, n + 1 - low));
  }

  /**
   * The interval for the median of {@code sample} at the given confidence.
   *
   * @param sample the values, in any order; not modified
   * @param confidence in (0, 1), e.g. 0.95
   * @return empty when the sample is smaller than {@link #minimumSampleSize(double)}
   * @throws IllegalArgumentException if the confidence is outside (0, 1) or a value is not finite
   */
  public static Optional<ConfidenceInterval> forMedian(double[] sample, double confidence) {
    Arguments.requireConfidence(confidence);
    double[] sorted = Arguments.requireFiniteSample(sample).clone();
    Arrays.sort(sorted);
    return forMedianOfSorted(sorted, confidence);
  }

  /** As {@link #forMedian}, for a sample already sorted ascending (not re-checked). */
  static Optional<ConfidenceInterval> forMedianOfSorted(double[] sorted, double confidence) {
    return ranks(sorted.length, confidence)
        .map(
            r ->
                new ConfidenceInterval(
                    sorted[r.lower() - 1], sorted[r.upper() - 1], confidence, METHOD));
  }

  /**
   * The smallest sample size for which an interval exists: 6 at 95 %, 8 at 99 %. Plan at least this
   * many measured invocations when a median interval is wanted.
   *
   * @throws IllegalArgumentException if the confidence is outside (0, 1)
   */
  public static int minimumSampleSize(double confidence) {
    Arguments.requireConfidence(confidence);
    // Ends: the widest interval [x(1), x(n)] covers with probability 1 - 2^(1-n), which reaches any
    // confidence below 1 (within about 60 steps for doubles).
    int n = 2;
    while (ranks(n, confidence).isEmpty()) {
      n++;
    }
    return n;
  }

  /**
   * {@code 1 - P(j <= B <= n - j) = 2 P(B <= j - 1)} by the symmetry of p = 1/2; computed as a
   * tail, without the cancellation of {@code 1 - coverage}.
   */
  private static double missProbability(BinomialDistribution below, int j) {
    return 2.0 * below.cumulativeProbability(j - 1);
  }
}
