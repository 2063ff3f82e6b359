package io.sebs.junit.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StudentTIntervalTest {

  static final double[] SMALL = {12.0, 15.0, 11.0, 14.0, 13.0, 18.0, 16.0, 12.5, 14.5, 13.5};
  static final double[] SKEWED = {
    98, 101, 97, 103, 100, 102, 99, 105, 101, 100, 104, 99, 250, 102, 98, 110, 100, 480, 101, 1200
  };

  /*
   * Reference values from scipy 1.17.1 (numpy 2.4.6):
   *   from scipy import stats; import numpy as np; a = np.array(SAMPLE)
   *   stats.t.interval(c, len(a) - 1, loc=a.mean(), scale=stats.sem(a))   # c = 0.95, 0.90
   */

  @Test
  void ninetyFivePercentIntervalOfASmallSampleMatchesScipy() {
    ConfidenceInterval interval = StudentTInterval.forMean(SMALL, 0.95).orElseThrow();

    assertThat(interval.lower()).isCloseTo(12.485409733154237, within(1e-9));
    assertThat(interval.upper()).isCloseTo(15.414590266845762, within(1e-9));
    assertThat(interval.confidence()).isEqualTo(0.95);
    assertThat(interval.method()).isEqualTo("Student-t");
  }

  @Test
  void ninetyPercentIntervalOfASmallSampleMatchesScipy() {
    ConfidenceInterval interval = StudentTInterval.forMean(SMALL, 0.90).orElseThrow();

    assertThat(interval.lower()).isCloseTo(12.763186190884957, within(1e-9));
    assertThat(interval.upper()).isCloseTo(15.136813809115042, within(1e-9));
  }

  @Test
  void intervalsOfASkewedSampleMatchScipy() {
    ConfidenceInterval ninetyFive = StudentTInterval.forMean(SKEWED, 0.95).orElseThrow();
    ConfidenceInterval ninety = StudentTInterval.forMean(SKEWED, 0.90).orElseThrow();

    assertThat(ninetyFive.lower()).isCloseTo(62.89194233216293, within(1e-8));
    assertThat(ninetyFive.upper()).isCloseTo(302.1080576678371, within(1e-8));
    assertThat(ninety.lower()).isCloseTo(83.68688956287981, within(1e-8));
    assertThat(ninety.upper()).isCloseTo(281.3131104371201, within(1e-8));
  }

  @Test
  void intervalIsCentredOnTheMean() {
    ConfidenceInterval interval = StudentTInterval.forMean(SMALL, 0.95).orElseThrow();

    assertThat((interval.lower() + interval.upper()) / 2).isCloseTo(13.95, within(1e-12));
  }

  @Test
  void higherConfidenceGivesAWiderInterval() {
    double ninety = StudentTInterval.forMean(SMALL, 0.90).orElseThrow().width();
    double ninetyNine = StudentTInterval.forMean(SMALL, 0.99).orElseThrow().width();

    assertThat(ninetyNine).isGreaterThan(ninety);
  }

  @Test
  void constantSampleGivesAPointInterval() {
    ConfidenceInterval interval =
        StudentTInterval.forMean(new double[] {7, 7, 7}, 0.95).orElseThrow();

    assertThat(interval.lower()).isEqualTo(7.0);
    assertThat(interval.upper()).isEqualTo(7.0);
  }

  @Test
  void fewerThanTwoValuesGiveNoInterval() {
    assertThat(StudentTInterval.forMean(new double[0], 0.95)).isEmpty();
    assertThat(StudentTInterval.forMean(new double[] {42.0}, 0.95)).isEmpty();
    assertThat(StudentTInterval.forMean(new double[] {41.0, 43.0}, 0.95)).isPresent();
  }

  @Test
  void doesNotModifyTheSample() {
    double[] sample = SMALL.clone();

    StudentTInterval.forMean(sample, 0.95);

    assertThat(sample).containsExactly(SMALL);
  }

  @Test
  void coversTheMeanOfNormalSamplesAtTheNominalRate() {
    // Seeded, hence deterministic: 2000 samples of 10 from N(100, 15); the standard error of the
    // empirical coverage is about 0.005, so +-0.02 is four of them.
    NormalDistribution normal = new NormalDistribution(new Well19937c(20240601), 100, 15);
    int covered = 0;
    int trials = 2000;
    for (int i = 0; i < trials; i++) {
      if (StudentTInterval.forMean(normal.sample(10), 0.95).orElseThrow().contains(100)) {
        covered++;
      }
    }

    assertThat((double) covered / trials).isCloseTo(0.95, within(0.02));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, 1.0, -0.5, 95.0, Double.NaN})
  void confidenceOutsideZeroOneIsRejectedNamingTheValue(double confidence) {
    assertThatThrownBy(() -> StudentTInterval.forMean(SMALL, confidence))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("confidence must be in (0, 1), e.g. 0.95, but was " + confidence);
  }

  @Test
  void nonFiniteValuesAreRejectedNamingTheirPosition() {
    assertThatThrownBy(() -> StudentTInterval.forMean(new double[] {1, 2, Double.NaN}, 0.95))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sample values must be finite, but value [2] was NaN");
  }
}
