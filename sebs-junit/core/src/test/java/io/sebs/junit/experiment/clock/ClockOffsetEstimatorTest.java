package io.sebs.junit.experiment.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The estimator against exchanges built from a known truth: offset, skew and one-way delays chosen by the
 * test, so every figure can be checked by hand.
 */
class ClockOffsetEstimatorTest {

  /**
   * An exchange with a true offset (server minus function, us), one-way delays and server processing:
   * t2 = t1 + out + offset, t3 = t2 + processing, t4 = t3 - offset + back.
   */
  static ClockExchange exchange(long t1, long offset, long out, long processing, long back) {
    long t2 = t1 + out + offset;
    long t3 = t2 + processing;
    return new ClockExchange(t1, t2, t3, t3 - offset + back);
  }

  /** True offset 1000 us; the four exchanges differ in how their delay splits between the directions. */
  static final List<ClockExchange> FOUR = List.of(
      exchange(0, 1000, 100, 10, 50),     // theta 1025, delay 150
      exchange(1000, 1000, 40, 5, 30),    // theta 1005, delay 70
      exchange(2000, 1000, 300, 20, 20),  // theta 1140, delay 320
      exchange(3000, 1000, 25, 5, 35));   // theta 995,  delay 60 (the least)

  @Test
  void thetaAndDelayOfOneExchangeAreNtpsFormulas() {
    ClockExchange e = FOUR.get(0); // t1=0, t2=1100, t3=1110, t4=160
    assertThat(e).isEqualTo(new ClockExchange(0, 1100, 1110, 160));
    assertThat(e.theta()).isEqualTo(((1100 - 0) + (1110 - 160)) / 2.0).isEqualTo(1025.0);
    assertThat(e.delay()).isEqualTo((160 - 0) - (1110 - 1100)).isEqualTo(150);
  }

  @Test
  void theEstimateIsTheOffsetOfTheLeastDelayExchangeWithinHalfItsDelay() {
    ClockOffsetEstimate estimate = new ClockOffsetEstimator().estimate(FOUR);

    assertThat(estimate.offsetMicros()).isEqualTo(995.0);
    assertThat(estimate.minDelayMicros()).isEqualTo(60);
    assertThat(estimate.uncertaintyMicros()).isEqualTo(30.0);
    assertThat(Math.abs(estimate.offsetMicros() - 1000)).isLessThanOrEqualTo(estimate.uncertaintyMicros());
    assertThat(estimate.functionAheadMicros()).isEqualTo(-995.0);
    assertThat(estimate.errorAgainst(-1000)).isEqualTo(5.0);
    assertThat(estimate.skewPpm()).isEmpty(); // four exchanges over 3 ms: no skew fit
    assertThat(estimate.exchanges()).isEqualTo(4);
  }

  @Test
  void sebsMeanIsTheMeanOfAllOffsetsAndSuffersFromTheSlowAsymmetricExchange() {
    ClockOffsetEstimate estimate = new ClockOffsetEstimator().estimate(FOUR);

    assertThat(estimate.sebsMeanOffsetMicros()).isEqualTo((1025 + 1005 + 1140 + 995) / 4.0).isEqualTo(1041.25);
    assertThat(Math.abs(estimate.sebsMeanErrorAgainst(-1000))).isGreaterThan(Math.abs(estimate.errorAgainst(-1000)));
  }

  @Test
  void aTimestampIsCorrectedOntoTheServersClock() {
    ClockOffsetEstimate estimate = new ClockOffsetEstimator().estimate(FOUR);
    assertThat(estimate.toServerClock(10_000)).isEqualTo(10_995.0);
  }

  /**
   * Offsets 503, 518, 540, 564, 579, 597 us one second apart (20 ppm plus a few us of asymmetry), all with
   * the same delay. Reference slope from numpy: np.polyfit([0,1,2,3,4,5] * 1e6, [503,518,540,564,579,597], 1)[0]
   * * 1e6 = 19.342857142857167 ppm.
   */
  @Test
  void theSkewIsTheLeastSquaresSlopeOfTheLowDelayOffsets() {
    long[] asymmetry = {3, -2, 0, 4, -1, -3};
    List<ClockExchange> exchanges = new ArrayList<>();
    for (int i = 0; i < asymmetry.length; i++) {
      long offset = 500 + 20L * i;
      exchanges.add(exchange(i * 1_000_000L, offset, 50 + asymmetry[i], 0, 50 - asymmetry[i]));
    }
    assertThat(exchanges.stream().mapToDouble(ClockExchange::theta).toArray())
        .containsExactly(503, 518, 540, 564, 579, 597);

    ClockOffsetEstimate estimate = new ClockOffsetEstimator(1.0, Duration.ofSeconds(5)).estimate(exchanges);

    assertThat(estimate.skewPpm()).hasValueCloseTo(19.342857142857167, within(1e-9));
    // equal delays: the first exchange is the reference; one second later the offset has moved by the skew
    assertThat(estimate.offsetMicros()).isEqualTo(503.0);
    assertThat(estimate.offsetAt(1_000_050)).isCloseTo(503 + 19.342857142857167, within(1e-6));
  }

  @Test
  void noSkewIsFittedToARunShorterThanTheMinimumSpan() {
    List<ClockExchange> exchanges = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      exchanges.add(exchange(i * 100_000L, 500 + 2L * i, 50, 0, 50)); // 4 s of 20 ppm
    }
    assertThat(new ClockOffsetEstimator(1.0, Duration.ofSeconds(10)).estimate(exchanges).skewPpm()).isEmpty();
    assertThat(new ClockOffsetEstimator(1.0, Duration.ofSeconds(3)).estimate(exchanges).skewPpm())
        .hasValueCloseTo(20.0, within(1e-6));
  }

  /**
   * A minute of exchanges every 100 ms against a clock 2 ms behind that gains 50 ppm, with heavy-tailed,
   * asymmetric delays (out 50 us + exponential mean 200 us, back 50 us + exponential mean 20 us): the
   * least-delay estimate stays within its own uncertainty, the skew is recovered, and SeBS's mean is pulled
   * away by the asymmetry.
   */
  @Test
  void aNoisyAsymmetricSkewedRunIsEstimatedWithinTheUncertainty() {
    Random random = new Random(42);
    List<ClockExchange> exchanges = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      long t1 = 1_700_000_000_000_000L + i * 100_000L;
      long offset = 2000 + Math.round(50e-6 * i * 100_000L);
      long out = 50 + Math.round(-200 * Math.log(1 - random.nextDouble()));
      long back = 50 + Math.round(-20 * Math.log(1 - random.nextDouble()));
      exchanges.add(exchange(t1, offset, out, 5, back));
    }

    ClockOffsetEstimate estimate = new ClockOffsetEstimator().estimate(exchanges);

    double trueOffsetAtReference = 2000 + 50e-6 * (estimate.referenceMicros() - 1_700_000_000_000_000L);
    assertThat(Math.abs(estimate.offsetMicros() - trueOffsetAtReference))
        .isLessThanOrEqualTo(estimate.uncertaintyMicros() + 1); // +1: offsets are whole microseconds
    assertThat(estimate.skewPpm()).hasValueCloseTo(50.0, within(5.0));
    double sebsMeanError = estimate.sebsMeanOffsetMicros() - (2000 + 50e-6 * 30_000_000); // mid-run truth
    assertThat(sebsMeanError).isGreaterThan(60); // about (200 - 20) / 2 = 90 us of asymmetry bias
    // the skew-corrected offset at the end of the run is still right
    long end = 1_700_000_000_000_000L + 599 * 100_000L;
    assertThat(estimate.offsetAt(end)).isCloseTo(2000 + 50e-6 * 599 * 100_000L, within(estimate.uncertaintyMicros() + 50));
  }

  @Test
  void noExchangesIsAnErrorThatSaysWhy() {
    assertThatThrownBy(() -> new ClockOffsetEstimator().estimate(List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No clock exchanges");
  }

  @Test
  void anExchangeWhoseStampsRunBackwardsIsRejected() {
    assertThatThrownBy(() -> new ClockExchange(10, 5, 4, 20)).hasMessageContaining("t2 <= t3");
  }
}
