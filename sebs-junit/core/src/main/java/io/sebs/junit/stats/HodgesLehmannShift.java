package io.sebs.junit.stats;

import java.util.Arrays;
import java.util.Optional;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * How much slower the current sample is than the baseline: the Hodges–Lehmann estimate of the shift
 * (the median of all {@code m·n} pairwise differences {@code current_i - baseline_j}) with Moses'
 * distribution-free confidence interval, and the change relative to the baseline median.
 *
 * <p><b>Interval (Moses).</b> With the differences sorted, {@code D(1) <= ... <= D(N)}, {@code N = mn},
 * the interval is {@code [D(k), D(N+1-k)]}: the true shift {@code Δ} lies below {@code D(k)} exactly
 * when the U statistic of {@code current - Δ} against the baseline is at least {@code N+1-k}, which
 * has probability {@code P(U <= k-1)} by symmetry; likewise above {@code D(N+1-k)}. So {@code k} is
 * the largest rank with {@code 2 P(U <= k-1) <= 1 - confidence}, where {@code U} follows the
 * Mann–Whitney null distribution:
 *
 * <ul>
 *   <li><b>exact</b> ({@link MannWhitneyDistribution}) for {@code mn <= }
 *       {@link MannWhitneyDistribution#EXACT_LIMIT}; the coverage is then at least the confidence for
 *       continuous data (ties in the data make it approximate);
 *   <li>beyond it, the <b>normal approximation</b> with continuity correction:
 *       {@code k = floor(mn/2 + 1/2 - z·sqrt(mn(m+n+1)/12))}, {@code z} the {@code (1+c)/2} normal
 *       quantile (Hollander &amp; Wolfe's {@code C_α}, rounded down so as not to be optimistic).
 * </ul>
 *
 * <p>The assumption behind the interval is a <i>location shift</i>: the current distribution is the
 * baseline's moved by {@code Δ}. For latencies that also stretch when they slow down it remains a good
 * summary of "typical extra time", but read the relative change with that in mind. The relative
 * change divides by the baseline median, treated as known (its own uncertainty is not propagated).
 *
 * <p>The order statistics are found by selection (bisection on the doubles' order, counting
 * differences below a value in {@code O(m+n)}), never by materialising the {@code mn} differences,
 * so large samples cost no memory.
 *
 * @param estimate the Hodges–Lehmann shift {@code current - baseline}, in the samples' unit
 * @param interval Moses' interval for the shift
 * @param lowerRank {@code k}, the 1-based rank of the lower bound among the {@code mn} differences
 * @param upperRank {@code mn + 1 - k}
 * @param exact whether {@code k} comes from the exact distribution (else the normal approximation)
 * @param baselineMedian the baseline's median, the reference of the relative change
 */
public record HodgesLehmannShift(
    double estimate,
    ConfidenceInterval interval,
    long lowerRank,
    long upperRank,
    boolean exact,
    double baselineMedian) {

  /** The {@link ConfidenceInterval#method()} name of these intervals. */
  public static final String METHOD = "Hodges-Lehmann/Moses";

  /**
   * The shift of {@code current} against {@code baseline} with its interval at {@code confidence}.
   *
   * @return empty when the samples are too small for any interval at that confidence (e.g. 3 and 3 at
   *     95 %: the widest interval {@code [D(1), D(9)]} covers only 1 - 2/20)
   * @throws IllegalArgumentException if a sample is empty or not finite, or the confidence is outside (0, 1)
   */
  public static Optional<HodgesLehmannShift> of(double[] current, double[] baseline, double confidence) {
    Arguments.requireConfidence(confidence);
    double[] x = Arguments.requireFiniteSample(current).clone();
    double[] y = Arguments.requireFiniteSample(baseline).clone();
    if (x.length == 0 || y.length == 0) {
      throw new IllegalArgumentException("both samples need values, but had " + x.length + " (current) and "
          + y.length + " (baseline)");
    }
    Arrays.sort(x);
    Arrays.sort(y);
    Optional<Long> k = lowerRank(x.length, y.length, confidence);
    if (k.isEmpty()) {
      return Optional.empty();
    }
    long total = (long) x.length * y.length;
    double estimate = total % 2 == 1
        ? orderStatistic(x, y, (total + 1) / 2)
        : (orderStatistic(x, y, total / 2) + orderStatistic(x, y, total / 2 + 1)) / 2.0;
    long upper = total + 1 - k.get();
    ConfidenceInterval interval = new ConfidenceInterval(
        orderStatistic(x, y, k.get()), orderStatistic(x, y, upper), confidence, METHOD);
    double baselineMedian = SampleStatistics.of(y).median();
    return Optional.of(new HodgesLehmannShift(estimate, interval, k.get(), upper,
        MannWhitneyDistribution.isExactFeasible(x.length, y.length), baselineMedian));
  }

  /**
   * Moses' rank {@code k} of the lower bound for sample sizes {@code m} and {@code n}, see the class
   * comment; empty when even {@code k = 1} misses the confidence.
   */
  public static Optional<Long> lowerRank(int m, int n, double confidence) {
    Arguments.requireConfidence(confidence);
    if (m < 1 || n < 1) {
      throw new IllegalArgumentException("sample sizes must be >= 1, but were " + m + " and " + n);
    }
    double alpha = 1.0 - confidence;
    long total = (long) m * n;
    long k;
    if (MannWhitneyDistribution.isExactFeasible(m, n)) {
      MannWhitneyDistribution u = MannWhitneyDistribution.of(m, n);
      double allowed = alpha * (1 + 1e-9); // a few ulps of slack, so exact ties count (cf. LeBoudecInterval)
      k = 0;
      // 2 P(U <= k - 1) grows with k; the largest k with it <= alpha, at most (N + 1) / 2.
      while (k + 1 <= (total + 1) / 2 && 2 * u.cumulativeProbability((int) k) <= allowed) {
        k++;
      }
    } else {
      double z = new NormalDistribution(null, 0, 1).inverseCumulativeProbability(1 - alpha / 2);
      double sd = Math.sqrt(total * (m + n + 1.0) / 12.0);
      k = (long) Math.floor(total / 2.0 + 0.5 - z * sd);
    }
    return k >= 1 ? Optional.of(k) : Optional.empty();
  }

  /** The relative change {@code estimate / baselineMedian}, e.g. 0.12 for 12 % slower. */
  public double relativeChange() {
    return estimate / baselineMedian;
  }

  /** The interval relative to the baseline median, e.g. {@code [0.08, 0.15]} for 8 % to 15 % slower. */
  public ConfidenceInterval relativeInterval() {
    double a = interval.lower() / baselineMedian;
    double b = interval.upper() / baselineMedian;
    return new ConfidenceInterval(Math.min(a, b), Math.max(a, b), interval.confidence(), METHOD + " relative");
  }

  /**
   * The {@code rank}-th smallest (1-based) of the differences {@code x_i - y_j} of two ascending
   * samples: the smallest double {@code t} with at least {@code rank} differences {@code <= t},
   * found by bisection on the doubles' total order (at most 64 steps of an {@code O(m+n)} count).
   */
  static double orderStatistic(double[] x, double[] y, long rank) {
    long low = key(x[0] - y[y.length - 1]);
    long high = key(x[x.length - 1] - y[0]);
    while (low < high) {
      long middle = (low & high) + ((low ^ high) >> 1); // floor of the mean, without overflow
      if (countAtMost(x, y, value(middle)) >= rank) {
        high = middle;
      } else {
        low = middle + 1;
      }
    }
    return value(low) + 0.0; // + 0.0 turns -0.0 into 0.0
  }

  /** How many differences {@code x_i - y_j} are {@code <= t} (two pointers over ascending samples). */
  static long countAtMost(double[] x, double[] y, double t) {
    long count = 0;
    int first = 0; // first j with x_i - y_j <= t; non-decreasing in i
    for (double xi : x) {
      while (first < y.length && xi - y[first] > t) {
        first++;
      }
      count += y.length - first;
    }
    return count;
  }

  /** A long whose signed order is the order of the doubles. */
  private static long key(double value) {
    long bits = Double.doubleToLongBits(value);
    return bits ^ ((bits >> 63) & Long.MAX_VALUE);
  }

  private static double value(long key) {
    return Double.longBitsToDouble(key ^ ((key >> 63) & Long.MAX_VALUE));
  }
}
