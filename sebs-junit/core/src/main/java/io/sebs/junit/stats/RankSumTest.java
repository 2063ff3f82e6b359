package io.sebs.junit.stats;

import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * The one-sided Wilcoxon rank-sum (Mann–Whitney U) test of "the current sample is stochastically
 * larger (slower) than the baseline", distribution-free: it assumes independent observations and
 * nothing about their shape, which suits skewed, heavy-tailed latencies.
 *
 * <p>The statistic is {@code U = R - m(m+1)/2} with {@code R} the sum of the current values' ranks in
 * the pooled sample (ties get their average rank, so a tie counts one half), i.e. the number of
 * (current, baseline) pairs where the current value is larger. It is scipy's
 * {@code mannwhitneyu(current, baseline, alternative='greater').statistic}.
 *
 * <p>The p-value {@code P(U >= u)} under "no difference" comes from:
 *
 * <ul>
 *   <li>the <b>exact</b> distribution ({@link MannWhitneyDistribution}) when there are no ties and
 *       {@code m·n <= } {@link MannWhitneyDistribution#EXACT_LIMIT}: scipy's {@code method='exact'};
 *   <li>otherwise the <b>normal approximation</b> with the tie-corrected variance
 *       {@code mn/12 · ((N+1) - Σ(t³-t)/(N(N-1)))} and a continuity correction of 1/2: scipy's
 *       {@code method='asymptotic'} (with its default {@code use_continuity=True}).
 * </ul>
 *
 * <p>Why not Commons Math's {@code MannWhitneyUTest} directly: in 3.6.1 its p-value is two-sided only
 * (from {@code min(U1, U2)}), always the normal approximation, without continuity correction and
 * <i>without the tie correction of the variance</i>, so with few samples or many ties (latencies
 * rounded to the microsecond or millisecond) it is off, and it cannot say which sample is larger. We
 * keep its ranking ({@link NaturalRanking}, average ties) and compute the rest as above; the test class
 * shows the differences on numbers.
 *
 * @param statistic {@code U} of the current sample (half-integer with ties)
 * @param pValue one-sided {@code P(U >= statistic)} under the null hypothesis
 * @param method how the p-value was computed
 * @param currentSize {@code m}
 * @param baselineSize {@code n}
 * @param tied whether the pooled sample has ties
 */
public record RankSumTest(
    double statistic, double pValue, Method method, int currentSize, int baselineSize, boolean tied) {

  /** How the p-value was computed. */
  public enum Method {
    /** The exact null distribution of U (no ties, small samples). */
    EXACT,
    /** Normal approximation, tie-corrected variance, continuity correction. */
    NORMAL_APPROXIMATION;

    /** {@code "exact"} or {@code "normal approximation"}, for messages and result files. */
    public String label() {
      return this == EXACT ? "exact" : "normal approximation";
    }
  }

  /**
   * Tests whether {@code current} tends to be larger than {@code baseline}.
   *
   * @throws IllegalArgumentException if a sample is empty or holds a value that is not finite
   */
  public static RankSumTest greater(double[] current, double[] baseline) {
    Arguments.requireFiniteSample(current);
    Arguments.requireFiniteSample(baseline);
    int m = current.length;
    int n = baseline.length;
    if (m == 0 || n == 0) {
      throw new IllegalArgumentException("both samples need values, but had " + m + " (current) and " + n
          + " (baseline)");
    }
    double[] pooled = new double[m + n];
    System.arraycopy(current, 0, pooled, 0, m);
    System.arraycopy(baseline, 0, pooled, m, n);
    double[] ranks = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE).rank(pooled);
    double rankSum = 0;
    for (int i = 0; i < m; i++) {
      rankSum += ranks[i];
    }
    double u = rankSum - m * (m + 1.0) / 2.0;
    double tieTerm = tieTerm(pooled);
    if (tieTerm == 0 && MannWhitneyDistribution.isExactFeasible(m, n)) {
      double p = MannWhitneyDistribution.of(m, n).upperTailProbability((int) Math.round(u));
      return new RankSumTest(u, p, Method.EXACT, m, n, false);
    }
    int total = m + n;
    double mean = m * (double) n / 2.0;
    double variance = m * (double) n / 12.0 * ((total + 1) - tieTerm / ((double) total * (total - 1)));
    double p;
    if (variance <= 0) {
      p = 1.0; // every value equal: no evidence of anything
    } else {
      double z = (u - mean - 0.5) / Math.sqrt(variance);
      p = new NormalDistribution(null, 0, 1).cumulativeProbability(-z);
    }
    return new RankSumTest(u, p, Method.NORMAL_APPROXIMATION, m, n, tieTerm > 0);
  }

  /** {@code Σ (t³ - t)} over the groups of tied values; 0 without ties. */
  static double tieTerm(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double term = 0;
    int i = 0;
    while (i < sorted.length) {
      int j = i;
      while (j + 1 < sorted.length && sorted[j + 1] == sorted[i]) {
        j++;
      }
      double t = j - i + 1;
      term += t * t * t - t;
      i = j + 1;
    }
    return term;
  }

  /** Whether the p-value is below {@code 1 - confidence}, e.g. below 0.05 at 95 %. */
  public boolean isSignificant(double confidence) {
    Arguments.requireConfidence(confidence);
    return pValue < 1.0 - confidence;
  }
}
