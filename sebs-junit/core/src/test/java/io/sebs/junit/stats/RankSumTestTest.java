package io.sebs.junit.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sebs.junit.stats.RankSumTest.Method;
import org.apache.commons.math3.distribution.ExponentialDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.junit.jupiter.api.Test;

/**
 * The one-sided rank-sum test against scipy 1.17.1. Every reference below was computed with
 * {@code import scipy.stats as s; s.mannwhitneyu(current, baseline, alternative='greater', method=M)}
 * for the {@code current}/{@code baseline} shown next to it, M = 'exact' or 'asymptotic' as named.
 */
class RankSumTestTest {

  static final double[] CURRENT = {12.1, 14.3, 11.8, 15.2, 13.9, 16.4, 12.7};
  static final double[] BASELINE = {11.2, 10.9, 12.5, 11.7, 10.4, 12.0};

  /** Integers with ties within and across the samples. */
  static final double[] TIED_CURRENT = {5, 6, 6, 7, 8, 8, 9};
  static final double[] TIED_BASELINE = {4, 5, 5, 6, 7, 7};

  @Test
  void smallSamplesWithoutTiesUseTheExactDistribution() {
    // exact: statistic 39.0, pvalue 0.004079254079254079 (= 7/1716, also by enumerating all C(13, 7)
    // splits of the pooled values in Python); asymptotic would give 0.006209665325776132.
    RankSumTest test = RankSumTest.greater(CURRENT, BASELINE);

    assertThat(test.statistic()).isEqualTo(39.0);
    assertThat(test.method()).isEqualTo(Method.EXACT);
    assertThat(test.pValue()).isCloseTo(0.004079254079254079, within(1e-15));
    assertThat(test.tied()).isFalse();
    assertThat(test.isSignificant(0.95)).isTrue();
    assertThat(test.isSignificant(0.999)).isFalse();
  }

  @Test
  void thirtyAgainstThirtyIsStillExact() {
    // X = [100 + ((i*31) % 47)*1.5 + 0.25 for i in range(30)], Y = [95 + ((j*17) % 43)*1.4 + 0.5 for j in
    // range(30)]: 60 distinct values. exact: 597.0, 0.014793456827829347 (asymptotic: 0.015158714406655012).
    RankSumTest test = RankSumTest.greater(thirtyX(), thirtyY());

    assertThat(test.statistic()).isEqualTo(597.0);
    assertThat(test.method()).isEqualTo(Method.EXACT);
    assertThat(test.pValue()).isCloseTo(0.014793456827829347, within(1e-14));
  }

  @Test
  void tiesUseTheNormalApproximationWithTieAndContinuityCorrection() {
    // asymptotic: statistic 32.0, pvalue 0.06331522897380863.
    RankSumTest test = RankSumTest.greater(TIED_CURRENT, TIED_BASELINE);

    assertThat(test.statistic()).isEqualTo(32.0);
    assertThat(test.method()).isEqualTo(Method.NORMAL_APPROXIMATION);
    assertThat(test.tied()).isTrue();
    assertThat(test.pValue()).isCloseTo(0.06331522897380863, within(1e-12));
  }

  @Test
  void largeSamplesUseTheNormalApproximation() {
    // L = [1000 + ((i*7919) % 1009) + 0.3 for i in range(120)], M = [990 + ((j*104729) % 1013) + 0.7 for j in
    // range(110)]; m*n = 13200 > 10000. asymptotic: statistic 6972.0, pvalue 0.23056685177673475.
    RankSumTest test = RankSumTest.greater(large120(), large110());

    assertThat(test.statistic()).isEqualTo(6972.0);
    assertThat(test.method()).isEqualTo(Method.NORMAL_APPROXIMATION);
    assertThat(test.pValue()).isCloseTo(0.23056685177673475, within(1e-12));
  }

  @Test
  void theTestIsOneSidedFasterIsNeverSignificant() {
    RankSumTest reversed = RankSumTest.greater(BASELINE, CURRENT);

    assertThat(reversed.statistic()).isEqualTo(42 - 39.0);
    assertThat(reversed.pValue()).isGreaterThan(0.99);
  }

  @Test
  void identicalValuesGiveNoEvidence() {
    RankSumTest test = RankSumTest.greater(new double[] {5, 5, 5}, new double[] {5, 5});

    assertThat(test.pValue()).isEqualTo(1.0);
  }

  @Test
  void commonsMathsTestIsTwoSidedAndIgnoresTies() {
    // Why RankSumTest does not delegate to Commons Math 3.6.1: MannWhitneyUTest returns a two-sided
    // p-value from min(U1, U2) with the variance mn(N+1)/12, no tie correction and no continuity correction.
    // On the tied samples that is 0.11608313373865504 = 2 * s.norm.cdf((10 - 21) / sqrt(7*6*14/12)),
    // while scipy's tie-corrected two-sided value (use_continuity=False) is 0.10953991239554858.
    MannWhitneyUTest commons = new MannWhitneyUTest();

    assertThat(commons.mannWhitneyU(TIED_CURRENT, TIED_BASELINE)).isEqualTo(32.0); // max(U1, U2), not U1
    assertThat(commons.mannWhitneyU(TIED_BASELINE, TIED_CURRENT)).isEqualTo(32.0);
    assertThat(commons.mannWhitneyUTest(TIED_CURRENT, TIED_BASELINE)).isCloseTo(0.11608313373865504, within(1e-12));
    // On small untied samples its normal approximation is far from the exact 2 * 0.004079 = 0.008159.
    assertThat(commons.mannWhitneyUTest(CURRENT, BASELINE)).isCloseTo(0.0105, within(0.001));
  }

  @Test
  void underTheNullHypothesisTheFalseAlarmRateIsAtMostTheLevel() {
    // Seeded: 2000 pairs of samples of 20 from the same skewed Exp(1) distribution; at 95 % at most 5 % of
    // them may be called slower (the exact test is conservative: its size is a little under 5 %).
    ExponentialDistribution exponential = new ExponentialDistribution(new Well19937c(7), 1.0);
    int trials = 2000;
    int alarms = 0;
    for (int i = 0; i < trials; i++) {
      if (RankSumTest.greater(exponential.sample(20), exponential.sample(20)).isSignificant(0.95)) {
        alarms++;
      }
    }
    double rate = (double) alarms / trials;

    assertThat(rate).isLessThanOrEqualTo(0.05 + 0.015).isGreaterThan(0.02);
  }

  @Test
  void emptyOrNonFiniteSamplesAreRejected() {
    assertThatThrownBy(() -> RankSumTest.greater(new double[0], BASELINE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("both samples need values, but had 0 (current) and 6 (baseline)");
    assertThatThrownBy(() -> RankSumTest.greater(new double[] {1, Double.NaN}, BASELINE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("finite");
  }

  static double[] thirtyX() {
    double[] x = new double[30];
    for (int i = 0; i < 30; i++) {
      x[i] = 100 + ((i * 31) % 47) * 1.5 + 0.25;
    }
    return x;
  }

  static double[] thirtyY() {
    double[] y = new double[30];
    for (int j = 0; j < 30; j++) {
      y[j] = 95 + ((j * 17) % 43) * 1.4 + 0.5;
    }
    return y;
  }

  static double[] large120() {
    double[] x = new double[120];
    for (int i = 0; i < 120; i++) {
      x[i] = 1000 + ((i * 7919) % 1009) + 0.3;
    }
    return x;
  }

  static double[] large110() {
    double[] y = new double[110];
    for (int j = 0; j < 110; j++) {
      y[j] = 990 + ((j * 104729L) % 1013) + 0.7;
    }
    return y;
  }
}
