package io.sebs.junit.stats;

/**
 * The exact null distribution of the Mann–Whitney statistic {@code U = #{(x, y) : x > y}} for two
 * independent samples of sizes {@code m} and {@code n} from the same continuous distribution (no ties).
 *
 * <p>Computed by the recursion on the largest pooled observation, in probabilities rather than
 * counts so that it neither overflows nor cancels: {@code p(m, n; u) = m/(m+n) p(m-1, n; u-n)
 * + n/(m+n) p(m, n-1; u)}. Every term is a positive sum, so the relative error stays near
 * {@code (m+n)} ulps even in the far tails. The cost grows like {@code (mn)²/4}, hence
 * {@link #EXACT_LIMIT}: beyond it callers use the normal approximation, which is then excellent.
 *
 * <p>Used both for the one-sided {@link RankSumTest} and for the ranks of the distribution-free
 * confidence interval of the {@link HodgesLehmannShift}.
 */
public final class MannWhitneyDistribution {

  /**
   * Largest {@code m·n} for which the exact distribution is computed (e.g. 100 × 100): about 2.5·10⁷
   * additions, tens of milliseconds.
   */
  public static final long EXACT_LIMIT = 10_000;

  private final int m;
  private final int n;
  private final double[] cumulative;

  private MannWhitneyDistribution(int m, int n, double[] cumulative) {
    this.m = m;
    this.n = n;
    this.cumulative = cumulative;
  }

  /** Whether {@link #of(int, int)} accepts these sizes ({@code m·n <= EXACT_LIMIT}). */
  public static boolean isExactFeasible(int m, int n) {
    return (long) m * n <= EXACT_LIMIT;
  }

  /**
   * The distribution for sample sizes {@code m} and {@code n} (it is the same for {@code (n, m)}).
   *
   * @throws IllegalArgumentException if a size is below 1 or {@code m·n} exceeds {@link #EXACT_LIMIT}
   */
  public static MannWhitneyDistribution of(int m, int n) {
    if (m < 1 || n < 1) {
      throw new IllegalArgumentException("sample sizes must be >= 1, but were " + m + " and " + n);
    }
    if (!isExactFeasible(m, n)) {
      throw new IllegalArgumentException("the exact Mann-Whitney distribution is computed for m*n <= "
          + EXACT_LIMIT + " only, but m*n = " + (long) m * n + ": use the normal approximation");
    }
    int small = Math.min(m, n);
    int large = Math.max(m, n);
    // row[j] = distribution of U for (i, j), i the current number of "small" observations.
    double[][] row = new double[large + 1][];
    for (int j = 0; j <= large; j++) {
      row[j] = new double[] {1.0}; // i = 0: U is 0
    }
    for (int i = 1; i <= small; i++) {
      double[][] next = new double[large + 1][];
      next[0] = new double[] {1.0}; // j = 0: U is 0
      for (int j = 1; j <= large; j++) {
        double[] p = new double[i * j + 1];
        double largestIsSmallSample = (double) i / (i + j);
        double largestIsLargeSample = (double) j / (i + j);
        double[] withoutLargestSmall = row[j]; // (i - 1, j): that observation beats all j others
        for (int u = 0; u < withoutLargestSmall.length; u++) {
          p[u + j] += largestIsSmallSample * withoutLargestSmall[u];
        }
        double[] withoutLargestLarge = next[j - 1]; // (i, j - 1): it beats nothing
        for (int u = 0; u < withoutLargestLarge.length; u++) {
          p[u] += largestIsLargeSample * withoutLargestLarge[u];
        }
        next[j] = p;
      }
      row = next;
    }
    double[] pmf = row[large];
    double[] cumulative = new double[pmf.length];
    double sum = 0;
    for (int u = 0; u < pmf.length; u++) {
      sum += pmf[u];
      cumulative[u] = sum;
    }
    return new MannWhitneyDistribution(m, n, cumulative);
  }

  /** {@code P(U <= u)}; 0 below 0 and 1 from {@code m·n} on. */
  public double cumulativeProbability(int u) {
    if (u < 0) {
      return 0.0;
    }
    if (u >= cumulative.length - 1) {
      return 1.0;
    }
    return cumulative[u];
  }

  /** {@code P(U >= u)}, computed from the lower tail by the symmetry {@code U ~ mn - U}, without cancellation. */
  public double upperTailProbability(int u) {
    return cumulativeProbability(m * n - u);
  }

  /** The first sample size. */
  public int m() {
    return m;
  }

  /** The second sample size. */
  public int n() {
    return n;
  }
}
