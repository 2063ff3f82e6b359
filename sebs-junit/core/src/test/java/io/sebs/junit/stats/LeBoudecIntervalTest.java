package io.sebs.junit.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sebs.junit.stats.LeBoudecInterval.Ranks;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.apache.commons.math3.distribution.ExponentialDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LeBoudecIntervalTest {

  /*
   * Reference ranks: the largest j with P(j <= B <= n - j) >= c for B ~ Binomial(n, 1/2), and
   * k = n + 1 - j, computed with scipy 1.17.1 and cross-checked with exact fractions:
   *   from scipy import stats
   *   max(j for j in range(1, n//2 + 1)
   *       if stats.binom.cdf(n-j, n, .5) - stats.binom.cdf(j-1, n, .5) >= c)
   *   from fractions import Fraction; from math import comb
   *   Fraction(sum(comb(n, b) for b in range(j, n - j + 1)), 2**n)   # exact coverage
   * The coverage of the chosen j and of j + 1 (which must miss) is given for each row.
   * n = 70 and 100 at 95 % and 99 % agree with Le Boudec's Table A.1.
   */
  @ParameterizedTest(name = "n = {0} at {1}: [x({2}), x({3})]")
  @CsvSource({
    //  n, confidence, j,  k     coverage(j)  coverage(j+1)
    "6,    0.95,   1,   6", //   0.96875      0.78125
    "10,   0.95,   2,   9", //   0.978515625  0.890625
    "20,   0.95,   6,  15",
    "30,   0.95,  10,  21", //   0.957226     0.901263
    "70,   0.95,  27,  44", //   0.958609     0.927762
    "100,  0.95,  40,  61", //   0.964800     0.943112
    "1000, 0.95, 469, 532",
    "8,    0.99,   1,   8", //   0.9921875    0.9296875
    "10,   0.99,   1,  10", //   0.998046875  0.978515625
    "20,   0.99,   4,  17",
    "30,   0.99,   8,  23", //   0.994777     0.983875
    "70,   0.99,  24,  47", //   0.994417     0.988474
    "100,  0.99,  37,  64", //   0.993363     0.987967
    "1000, 0.99, 459, 542",
    "100,  0.5,   47,  54",
    "100,  0.8,   44,  57",
    "100,  0.9,   42,  59",
    "100,  0.999, 34,  67",
    "1000, 0.999, 448, 553",
  })
  void ranksAreTheExactBinomialOnes(int n, double confidence, int j, int k) {
    assertThat(LeBoudecInterval.ranks(n, confidence)).contains(new Ranks(j, k));
  }

  @Test
  void atOneHundredValuesTheExactRanksMatchTheNormalApproximation() {
    // Le Boudec's large-n approximation: j = floor(0.5n - z/2 sqrt(n)), k = ceil(0.5n + z/2
    // sqrt(n)) + 1, with z/2 = 0.98 at 95 % and 1.29 at 99 %.
    int n = 100;
    Ranks ninetyFive = new Ranks(
        (int) Math.floor(0.5 * n - 0.98 * Math.sqrt(n)),
        (int) Math.ceil(0.5 * n + 0.98 * Math.sqrt(n)) + 1);
    Ranks ninetyNine = new Ranks(
        (int) Math.floor(0.5 * n - 1.29 * Math.sqrt(n)),
        (int) Math.ceil(0.5 * n + 1.29 * Math.sqrt(n)) + 1);

    assertThat(ninetyFive).isEqualTo(new Ranks(40, 61));
    assertThat(ninetyNine).isEqualTo(new Ranks(37, 64));
    assertThat(LeBoudecInterval.ranks(n, 0.95)).contains(ninetyFive);
    assertThat(LeBoudecInterval.ranks(n, 0.99)).contains(ninetyNine);
  }

  @Test
  void atSeventyValuesTheExactRanksAreNarrowerThanTheNormalApproximation() {
    // floor(35 - 0.98 sqrt(70)) = 26 and ceil(35 + 0.98 sqrt(70)) + 1 = 45, but rank 27 already
    // covers with probability 0.9586 (see the table above).
    assertThat(LeBoudecInterval.ranks(70, 0.95)).contains(new Ranks(27, 44));
  }

  @Test
  void aConfidenceReachedExactlyCounts() {
    // P(1 <= B <= 5) = 62/64 for n = 6, and P(3 <= B <= 3) = 20/64: both are exact ties.
    assertThat(LeBoudecInterval.ranks(6, 62.0 / 64)).contains(new Ranks(1, 6));
    assertThat(LeBoudecInterval.ranks(6, 20.0 / 64)).contains(new Ranks(3, 4));
    assertThat(LeBoudecInterval.ranks(6, 0.9688)).isEmpty();
  }

  @Test
  void ranksAgreeWithAnExactBigIntegerComputationForEverySmallSample() {
    // An independent exact implementation: integer binomial coefficients against the confidence
    // converted exactly to a decimal.
    double[] confidences = {0.5, 0.8, 0.9, 0.95, 0.99, 0.999};
    for (int n = 0; n <= 300; n++) {
      BigInteger[] row = binomialRow(n);
      BigInteger total = BigInteger.TWO.pow(n);
      for (double confidence : confidences) {
        BigDecimal target = new BigDecimal(confidence).multiply(new BigDecimal(total));
        Ranks expected = null;
        // covered(j) = sum of C(n, b) for j <= b <= n - j = total - 2 * sum of C(n, b) for b < j
        BigInteger below = BigInteger.ZERO;
        for (int j = 1; j <= n / 2; j++) {
          below = below.add(row[j - 1]);
          BigInteger covered = total.subtract(below.shiftLeft(1));
          if (new BigDecimal(covered).compareTo(target) >= 0) {
            expected = new Ranks(j, n + 1 - j);
          }
        }
        assertThat(LeBoudecInterval.ranks(n, confidence).orElse(null))
            .as("n = %d at %s", n, confidence)
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void tooSmallSamplesHaveNoInterval() {
    // 1 - 2 / 2^5 = 0.9375 < 0.95; 1 - 2 / 2^7 = 0.984375 < 0.99.
    assertThat(LeBoudecInterval.ranks(0, 0.95)).isEmpty();
    assertThat(LeBoudecInterval.ranks(1, 0.95)).isEmpty();
    assertThat(LeBoudecInterval.ranks(5, 0.95)).isEmpty();
    assertThat(LeBoudecInterval.ranks(7, 0.99)).isEmpty();
    assertThat(LeBoudecInterval.forMedian(new double[] {1, 2, 3, 4, 5}, 0.95)).isEmpty();
  }

  @ParameterizedTest(name = "{1} values at {0}")
  @CsvSource({"0.5, 2", "0.8, 4", "0.95, 6", "0.99, 8", "0.999, 11"})
  void minimumSampleSizeIsTheFirstWithAnInterval(double confidence, int expected) {
    // Reference: min n with 1 - 2 * 0.5**n >= c (the widest interval [x(1), x(n)]), checked with
    // the scipy ranks above.
    assertThat(LeBoudecInterval.minimumSampleSize(confidence)).isEqualTo(expected);
    assertThat(LeBoudecInterval.ranks(expected, confidence)).isPresent();
    assertThat(LeBoudecInterval.ranks(expected - 1, confidence)).isEmpty();
  }

  @Test
  void minimumSampleSizeTerminatesForTheHighestConfidence() {
    assertThat(LeBoudecInterval.minimumSampleSize(Math.nextDown(1.0))).isBetween(40, 60);
  }

  @Test
  void intervalBoundsAreTheOrderStatisticsOfTheRanks() {
    // Sorted: 11, 12, 12.5, 13, 13.5, 14, 14.5, 15, 16, 18; ranks (2, 9) at 95 %, (1, 10) at 99 %.
    double[] sample = {12.0, 15.0, 11.0, 14.0, 13.0, 18.0, 16.0, 12.5, 14.5, 13.5};

    ConfidenceInterval ninetyFive = LeBoudecInterval.forMedian(sample, 0.95).orElseThrow();
    ConfidenceInterval ninetyNine = LeBoudecInterval.forMedian(sample, 0.99).orElseThrow();

    assertThat(ninetyFive).isEqualTo(new ConfidenceInterval(12.0, 16.0, 0.95, "Le Boudec median"));
    assertThat(ninetyNine).isEqualTo(new ConfidenceInterval(11.0, 18.0, 0.99, "Le Boudec median"));
    assertThat(ninetyFive).hasToString("[12, 16] (95% Le Boudec median)");
  }

  @Test
  void doesNotModifyTheSample() {
    double[] sample = {3, 1, 2, 6, 5, 4};

    LeBoudecInterval.forMedian(sample, 0.95);

    assertThat(sample).containsExactly(3, 1, 2, 6, 5, 4);
  }

  @Test
  void coversTheMedianOfAnExponentialAtLeastAtTheNominalRate() {
    // Seeded, hence deterministic: 2000 samples of 30 from Exp(1), whose median is ln 2. For
    // n = 30 the ranks are (10, 21), with exact coverage 0.9572260547429323 (scipy, as above);
    // the standard error of the empirical coverage is about 0.0045.
    ExponentialDistribution exponential = new ExponentialDistribution(new Well19937c(42), 1.0);
    double median = Math.log(2);
    int trials = 2000;
    int covered = 0;
    for (int i = 0; i < trials; i++) {
      if (LeBoudecInterval.forMedian(exponential.sample(30), 0.95).orElseThrow().contains(median)) {
        covered++;
      }
    }
    double coverage = (double) covered / trials;

    assertThat(coverage).isGreaterThanOrEqualTo(0.95 - 0.015);
    assertThat(coverage).isCloseTo(0.9572260547429323, within(0.02));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, 1.0, 1.5, -0.1, Double.NaN})
  void confidenceOutsideZeroOneIsRejectedNamingTheValue(double confidence) {
    String message = "confidence must be in (0, 1), e.g. 0.95, but was " + confidence;
    assertThatThrownBy(() -> LeBoudecInterval.ranks(10, confidence)).hasMessage(message);
    assertThatThrownBy(() -> LeBoudecInterval.forMedian(new double[10], confidence))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThatThrownBy(() -> LeBoudecInterval.minimumSampleSize(confidence)).hasMessage(message);
  }

  @Test
  void negativeSampleSizeIsRejected() {
    assertThatThrownBy(() -> LeBoudecInterval.ranks(-1, 0.95))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sample size must be >= 0, but was -1");
  }

  @Test
  void nonFiniteValuesAreRejectedNamingTheirPosition() {
    double[] sample = {1, 2, 3, Double.POSITIVE_INFINITY, 5, 6};
    assertThatThrownBy(() -> LeBoudecInterval.forMedian(sample, 0.95))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sample values must be finite, but value [3] was Infinity");
  }

  @Test
  void ranksMustBeOrderedAndOneBased() {
    assertThatThrownBy(() -> new Ranks(0, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ranks must satisfy 1 <= lower <= upper, but were (0, 3)");
  }

  private static BigInteger[] binomialRow(int n) {
    BigInteger[] row = new BigInteger[n + 1];
    row[0] = BigInteger.ONE;
    for (int b = 1; b <= n; b++) {
      row[b] = row[b - 1].multiply(BigInteger.valueOf(n - b + 1)).divide(BigInteger.valueOf(b));
    }
    return row;
  }
}
