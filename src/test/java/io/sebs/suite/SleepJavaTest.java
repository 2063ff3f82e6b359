package io.sebs.suite;

import static io.sebs.junit.SebsAssertions.assertThat;

import io.sebs.junit.ColdStart;
import io.sebs.junit.Measurements;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** 010.sleep in Java: the function sleeps 1 s (size test), so its own time is known in advance. */
@ServerlessBenchmark(value = "010.sleep", language = "java")
class SleepJavaTest {

  @Test
  @Warm(repetitions = 6)
  void warmInvocationsTakeTheSleepPlusASmallOverhead(Measurements m) {
    assertThat(m).hasNoFailures().hasNoMisclassified();
    assertThat(m).benchmarkTime().median().isBetween(Duration.ofMillis(1000), Duration.ofMillis(1150));
    assertThat(m).clientTime().median().isLessThan(Duration.ofMillis(1250));
  }

  @Test
  @ColdStart(repetitions = 3)
  void coldInvocationsStartAJvmFirst(Measurements m) {
    assertThat(m).hasNoFailures().coldStartRate().isEqualTo(1.0);
    assertThat(m).benchmarkTime().median().isBetween(Duration.ofMillis(1000), Duration.ofMillis(1300));
    assertThat(m).clientTime().median().isLessThan(Duration.ofMillis(5000));
  }
}
