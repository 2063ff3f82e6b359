package io.sebs.suite;

import static io.sebs.junit.SebsAssertions.assertThat;

import io.sebs.junit.ColdStart;
import io.sebs.junit.Measurements;
import io.sebs.junit.Warm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * 010.sleep: the function sleeps 1 s (size test), so its own time is known in advance and everything
 * above it is the platform's. One subclass per language says which with {@code @ServerlessBenchmark}.
 */
abstract class SleepBenchmark {

  /** Upper bound of a cold invocation's client time: the sleep plus the runtime's start-up. */
  abstract Duration coldBudget();

  @Test
  @Warm(repetitions = 6)
  void warmInvocationsTakeTheSleepPlusASmallOverhead(Measurements m) {
    assertThat(m).hasNoFailures().hasNoMisclassified();
    assertThat(m).benchmarkTime().median().isBetween(Duration.ofMillis(1000),
        Calibrated.overhead(Duration.ofMillis(1000), Duration.ofMillis(150)));
    assertThat(m).clientTime().median().isLessThan(Calibrated.overhead(Duration.ofMillis(1000), Duration.ofMillis(250)));
  }

  @Test
  @ColdStart(repetitions = 3)
  void coldInvocationsStartTheRuntimeFirst(Measurements m) {
    assertThat(m).hasNoFailures().coldStartRate().isEqualTo(1.0);
    assertThat(m).benchmarkTime().median().isBetween(Duration.ofMillis(1000),
        Calibrated.overhead(Duration.ofMillis(1000), Duration.ofMillis(300)));
    assertThat(m).clientTime().median().isLessThan(ColdBudget.of(m, coldBudget()));
  }
}
