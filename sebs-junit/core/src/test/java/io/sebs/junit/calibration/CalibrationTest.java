package io.sebs.junit.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Budgets relative to a reference measured in the same run: k times the reference, or a budget written
 * on a quiet machine stretched (never shrunk) by the slowdown measured now.
 */
class CalibrationTest {

  private static Calibration reference(long medianMs) {
    return new Calibration("ref", Duration.ofMillis(medianMs), Duration.ofMillis(medianMs), Duration.ofMillis(medianMs),
        1);
  }

  @Test
  void aBudgetIsAMultipleOfTheReference() {
    assertThat(reference(30).times(3)).isEqualTo(Duration.ofMillis(90));
    assertThat(reference(30).times(0.5)).isEqualTo(Duration.ofMillis(15));
  }

  @Test
  void aWrittenBudgetWidensWithTheMeasuredSlowdownAndNeverNarrows() {
    Duration written = Duration.ofSeconds(5);
    Duration quiet = Duration.ofMillis(25);

    assertThat(reference(100).slowdownAgainst(quiet)).isEqualTo(4.0);
    assertThat(reference(100).scale(written, quiet)).isEqualTo(Duration.ofSeconds(20));
    assertThat(reference(25).scale(written, quiet)).isEqualTo(written);
    assertThat(reference(10).scale(written, quiet)).as("a faster machine keeps the written budget").isEqualTo(written);
  }

  @Test
  void measuringDiscardsTheWarmUpRoundAndTakesTheMedianRound() {
    // warm-up 500 ms, then rounds of 40, 10, 30, 20, 90 ms
    ArrayDeque<Long> clock = new ArrayDeque<>(List.of(0L, 40L, 100L, 110L, 200L, 230L, 300L, 320L, 400L, 490L));
    AtomicInteger runs = new AtomicInteger();
    ReferenceWorkload workload = ReferenceWorkload.of("fake", runs::incrementAndGet,
        () -> clock.removeFirst() * 1_000_000L);

    Calibration c = workload.measure(5);

    assertThat(runs).hasValue(6);
    assertThat(c.median()).isEqualTo(Duration.ofMillis(30));
    assertThat(c.min()).isEqualTo(Duration.ofMillis(10));
    assertThat(c.max()).isEqualTo(Duration.ofMillis(90));
    assertThat(c.describe()).isEqualTo("fake: median 30.0 ms (min 10.0, max 90.0, 5 rounds)");
  }

  @Test
  void theCpuReferenceHashesOnEveryThreadAndTakesMeasurableTime() {
    Calibration one = ReferenceWorkload.cpu(1, 1).measure(3);
    Calibration two = ReferenceWorkload.cpu(2, 4).measure(3);

    assertThat(one.reference()).isEqualTo("cpu: SHA-256 of 1 MiB on 1 thread(s)");
    assertThat(two.reference()).isEqualTo("cpu: SHA-256 of 4 MiB on 2 thread(s)");
    assertThat(one.median()).isPositive();
    assertThat(two.min()).isLessThanOrEqualTo(two.median());
    assertThat(ReferenceWorkload.cpu().name())
        .isEqualTo("cpu: SHA-256 of 16 MiB on " + Runtime.getRuntime().availableProcessors() + " thread(s)");
  }

  @Test
  void misuseSaysWhatIsWrong() {
    assertThatThrownBy(() -> reference(30).times(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("factor must be a positive number");
    assertThatThrownBy(() -> reference(30).scale(Duration.ofSeconds(1), Duration.ZERO))
        .hasMessageContaining("reference median must be positive");
    assertThatThrownBy(() -> new Calibration("r", Duration.ZERO, Duration.ZERO, Duration.ZERO, 1))
        .hasMessageContaining("too small to time");
    assertThatThrownBy(() -> ReferenceWorkload.cpu(0, 1)).hasMessageContaining("threads and mebibytes must be >= 1");
    assertThatThrownBy(() -> ReferenceWorkload.of("x", () -> {}).measure(0)).hasMessageContaining("rounds must be >= 1");
  }
}
