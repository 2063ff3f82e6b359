package io.sebs.junit.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.function.Consumer;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/*
 * Reference values from numpy 2.4.6 / scipy 1.17.1, for a = np.array(SAMPLE, dtype=float):
 *   a.mean(), np.median(a), a.std(ddof=1), a.std(ddof=1) / a.mean()
 *   np.percentile(a, p)        # default method='linear', i.e. Hyndman-Fan type 7
 */
class SampleStatisticsTest {

  private static final Offset<Double> TIGHT = within(1e-9);

  /** Ten roughly symmetric values. */
  static final double[] SMALL = {12.0, 15.0, 11.0, 14.0, 13.0, 18.0, 16.0, 12.5, 14.5, 13.5};

  /** Twenty latencies around 100 with three cold-start-like outliers. */
  static final double[] SKEWED = {
    98, 101, 97, 103, 100, 102, 99, 105, 101, 100, 104, 99, 250, 102, 98, 110, 100, 480, 101, 1200
  };

  @Nested
  class ASmallSample {

    private final SampleStatistics stats = SampleStatistics.of(SMALL);

    @Test
    void summaryMatchesNumpy() {
      assertThat(stats.count()).isEqualTo(10);
      assertThat(stats.min()).isEqualTo(11.0);
      assertThat(stats.max()).isEqualTo(18.0);
      assertThat(stats.mean()).isCloseTo(13.95, TIGHT);
      assertThat(stats.median()).isCloseTo(13.75, TIGHT);
      assertThat(stats.standardDeviation()).isCloseTo(2.0473560185435913, TIGHT);
      assertThat(stats.coefficientOfVariation()).isCloseTo(0.14676387229703164, TIGHT);
    }

    @ParameterizedTest(name = "p{0} = {1}")
    @CsvSource({
      "1,   11.09",
      "25,  12.625",
      "50,  13.75",
      "90,  16.2",
      "95,  17.099999999999998",
      "99,  17.82",
      "100, 18.0",
    })
    void percentilesMatchNumpy(double p, double expected) {
      assertThat(stats.percentile(p)).isCloseTo(expected, TIGHT);
    }

    @Test
    void intervalsDelegateToTheIntervalClasses() {
      // Student-t: scipy stats.t.interval(0.95, 9, loc=a.mean(), scale=stats.sem(a)).
      ConfidenceInterval mean = stats.meanInterval(0.95).orElseThrow();
      assertThat(mean.lower()).isCloseTo(12.485409733154237, TIGHT);
      assertThat(mean.upper()).isCloseTo(15.414590266845762, TIGHT);
      assertThat(mean.method()).isEqualTo(StudentTInterval.METHOD);

      // Le Boudec ranks (2, 9) for n = 10 at 95 %: the 2nd and 9th smallest values.
      assertThat(stats.medianInterval(0.95))
          .contains(new ConfidenceInterval(12.0, 16.0, 0.95, LeBoudecInterval.METHOD));
    }

    @Test
    void valuesAreASortedCopy() {
      double[] values = stats.values();
      assertThat(values).containsExactly(11, 12, 12.5, 13, 13.5, 14, 14.5, 15, 16, 18);

      values[0] = 1000;
      assertThat(stats.values()[0]).isEqualTo(11.0);
      assertThat(stats.min()).isEqualTo(11.0);
    }
  }

  @Nested
  class ASkewedSample {

    private final SampleStatistics stats = SampleStatistics.of(SKEWED);

    @Test
    void summaryMatchesNumpy() {
      assertThat(stats.count()).isEqualTo(20);
      assertThat(stats.min()).isEqualTo(97.0);
      assertThat(stats.max()).isEqualTo(1200.0);
      assertThat(stats.mean()).isCloseTo(182.5, TIGHT);
      assertThat(stats.median()).isCloseTo(101.0, TIGHT);
      assertThat(stats.standardDeviation()).isCloseTo(255.56490575317963, TIGHT);
      assertThat(stats.coefficientOfVariation()).isCloseTo(1.400355647962628, TIGHT);
    }

    @ParameterizedTest(name = "p{0} = {1}")
    @CsvSource({
      "1,   97.19",
      "25,  99.75",
      "50,  101.0",
      "90,  273.00000000000034",
      "95,  516.0000000000005",
      "99,  1063.1999999999991",
      "100, 1200.0",
    })
    void percentilesMatchNumpy(double p, double expected) {
      assertThat(stats.percentile(p)).isCloseTo(expected, TIGHT);
    }

    @Test
    void theMedianIntervalIgnoresTheOutliersWhileTheMeanIntervalDoesNot() {
      // Le Boudec ranks for n = 20: (6, 15) at 95 %, (4, 17) at 99 % (scipy binomial, see
      // LeBoudecIntervalTest); sorted values 6 and 15 are 100 and 104, 4 and 17 are 99 and 110.
      assertThat(stats.medianInterval(0.95))
          .contains(new ConfidenceInterval(100, 104, 0.95, LeBoudecInterval.METHOD));
      assertThat(stats.medianInterval(0.99))
          .contains(new ConfidenceInterval(99, 110, 0.99, LeBoudecInterval.METHOD));

      // Student-t at 95 %: scipy gives [62.89194233216293, 302.1080576678371].
      ConfidenceInterval mean = stats.meanInterval(0.95).orElseThrow();
      assertThat(mean.lower()).isCloseTo(62.89194233216293, within(1e-8));
      assertThat(mean.upper()).isCloseTo(302.1080576678371, within(1e-8));
    }
  }

  @Nested
  class ASingleValue {

    private final SampleStatistics stats = SampleStatistics.of(new double[] {42.0});

    @Test
    void isItsOwnSummaryWithZeroSpread() {
      assertThat(stats.min()).isEqualTo(42.0);
      assertThat(stats.max()).isEqualTo(42.0);
      assertThat(stats.mean()).isEqualTo(42.0);
      assertThat(stats.median()).isEqualTo(42.0);
      assertThat(stats.percentile(99)).isEqualTo(42.0);
      assertThat(stats.standardDeviation()).isZero();
      assertThat(stats.coefficientOfVariation()).isZero();
    }

    @Test
    void hasNoIntervals() {
      assertThat(stats.meanInterval(0.95)).isEmpty();
      assertThat(stats.medianInterval(0.95)).isEmpty();
    }
  }

  @Nested
  class AnEmptySample {

    private final SampleStatistics stats = SampleStatistics.of(new double[0]);

    @Test
    void hasCountZeroNoValuesAndNoIntervals() {
      assertThat(stats.count()).isZero();
      assertThat(stats.isEmpty()).isTrue();
      assertThat(stats.values()).isEmpty();
      assertThat(stats.meanInterval(0.95)).isEmpty();
      assertThat(stats.medianInterval(0.95)).isEmpty();
      assertThat(stats).hasToString("SampleStatistics{count=0}");
    }

    @Test
    void refusesToInventStatisticsRatherThanReturnNaN() {
      Consumer<Runnable> noSamples =
          accessor ->
              assertThatThrownBy(accessor::run)
                  .isInstanceOf(IllegalStateException.class)
                  .hasMessage("no samples");

      noSamples.accept(stats::min);
      noSamples.accept(stats::max);
      noSamples.accept(stats::mean);
      noSamples.accept(stats::median);
      noSamples.accept(stats::standardDeviation);
      noSamples.accept(stats::coefficientOfVariation);
      noSamples.accept(() -> stats.percentile(99));
    }
  }

  @Test
  void laterChangesToTheInputDoNotAffectTheSummary() {
    double[] input = SMALL.clone();
    SampleStatistics stats = SampleStatistics.of(input);

    input[0] = 1_000_000;

    assertThat(stats.max()).isEqualTo(18.0);
    assertThat(stats.mean()).isCloseTo(13.95, TIGHT);
  }

  @Test
  void doesNotReorderTheInput() {
    double[] input = SMALL.clone();

    SampleStatistics.of(input);

    assertThat(input).containsExactly(SMALL);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -1.0, 100.5, Double.NaN})
  void percentileOutsideZeroToHundredIsRejectedNamingTheValue(double p) {
    SampleStatistics stats = SampleStatistics.of(SMALL);
    assertThatThrownBy(() -> stats.percentile(p))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("percentile must be in (0, 100], e.g. 99, but was " + p);
  }

  @Test
  void aBadPercentileIsReportedEvenForAnEmptySample() {
    assertThatThrownBy(() -> SampleStatistics.of(new double[0]).percentile(0.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("percentile must be in (0, 100], e.g. 99, but was 0.0");
  }

  @Test
  void invalidConfidenceIsRejectedEvenForAnEmptySample() {
    SampleStatistics empty = SampleStatistics.of(new double[0]);
    assertThatThrownBy(() -> empty.medianInterval(1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("confidence must be in (0, 1), e.g. 0.95, but was 1.0");
    assertThatThrownBy(() -> empty.meanInterval(0.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("confidence must be in (0, 1), e.g. 0.95, but was 0.0");
  }

  @Test
  void nonFiniteValuesAreRejectedNamingTheirPosition() {
    assertThatThrownBy(() -> SampleStatistics.of(new double[] {1, Double.NaN}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sample values must be finite, but value [1] was NaN");
  }

  @Test
  void nullIsRejected() {
    assertThatThrownBy(() -> SampleStatistics.of(null)).isInstanceOf(NullPointerException.class);
  }
}
