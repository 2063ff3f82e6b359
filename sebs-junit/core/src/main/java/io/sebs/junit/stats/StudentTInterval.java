package io.sebs.junit.stats;

import java.util.Optional;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.StatUtils;

/**
 * The classic confidence interval for the MEAN: {@code mean ± t(n-1, 1-(1-c)/2) · s / √n}, with
 * {@code s} the sample standard deviation (n - 1 denominator).
 *
 * <p>Exact only for normally distributed values; for other distributions it relies on the central
 * limit theorem, so it is trustworthy for the mean of large samples but can be badly off for small
 * samples of heavy-tailed latencies (one cold start drags both the mean and the width). Prefer
 * {@link LeBoudecInterval} for the median when the distribution is skewed.
 */
public final class StudentTInterval {

  /** The {@link ConfidenceInterval#method()} name of these intervals. */
  public static final String METHOD = "Student-t";

  /** Absolute accuracy of the t quantile; Commons Math's default (1e-9) shows in the 9th digit. */
  private static final double QUANTILE_ACCURACY = 1e-12;

  private StudentTInterval() {}

  /**
   * The two-sided interval for the mean at the given confidence.
   *
   * @param sample the values; not modified
   * @param confidence in (0, 1), e.g. 0.95
   * @return empty when the sample has fewer than 2 values (no variance estimate)
   * @throws IllegalArgumentException if the confidence is outside (0, 1) or a value is not finite
   */
  public static Optional<ConfidenceInterval> forMean(double[] sample, double confidence) {
    Arguments.requireConfidence(confidence);
    Arguments.requireFiniteSample(sample);
    int n = sample.length;
    if (n < 2) {
      return Optional.empty();
    }
    double mean = StatUtils.mean(sample);
    double standardError = Math.sqrt(StatUtils.variance(sample, mean) / n);
    // No random generator: only the quantile is needed, and seeding one per call is costly.
    double t =
        new TDistribution(null, n - 1, QUANTILE_ACCURACY)
            .inverseCumulativeProbability(1 - (1 - confidence) / 2);
    double halfWidth = t * standardError;
    return Optional.of(
        new ConfidenceInterval(mean - halfWidth, mean + halfWidth, confidence, METHOD));
  }
}
