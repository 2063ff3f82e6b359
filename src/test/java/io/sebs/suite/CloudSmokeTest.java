package io.sebs.suite;

import static io.sebs.junit.SebsAssertions.assertThat;

import io.sebs.junit.ColdStart;
import io.sebs.junit.Measurements;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import java.time.Duration;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The live smoke subset every cloud platform runs (its subclass names the platform with {@link
 * io.sebs.junit.Platform}): a warm and a cold series of 110.dynamic-html in Python, warm series of 010.sleep in
 * Node.js and of 110.dynamic-html in Java, with provider times found for every successful warm invocation of
 * 110 (from the platform's logs or telemetry).
 */
abstract class CloudSmokeTest {

  @Nested
  @ServerlessBenchmark(value = "110.dynamic-html", language = "python")
  class DynamicHtmlPython {
    @Test
    @Warm(repetitions = 10, warmup = 1)
    void warm(Measurements m) {
      assertThat(m).hasNoFailures().hasNoMisclassified();
      assertThat(m).clientTime().median().isLessThan(Duration.ofSeconds(2));
      Assertions.assertThat(m.successful()).allSatisfy(i -> Assertions.assertThat(i.providerTime()).isPresent());
    }

    @Test
    @ColdStart(repetitions = 2)
    void cold(Measurements m) {
      assertThat(m).hasNoFailures().coldStartRate().isEqualTo(1.0);
    }
  }

  @Nested
  @ServerlessBenchmark(value = "010.sleep", language = "nodejs")
  class SleepNodejs {
    @Test
    @Warm(repetitions = 3, warmup = 1)
    void warm(Measurements m) {
      assertThat(m).hasNoFailures();
      assertThat(m).benchmarkTime().median().isGreaterThan(Duration.ofMillis(900));
    }
  }

  @Nested
  @ServerlessBenchmark(value = "110.dynamic-html", language = "java")
  class DynamicHtmlJava {
    @Test
    @Warm(repetitions = 5, warmup = 1)
    void warm(Measurements m) {
      assertThat(m).hasNoFailures().hasNoMisclassified();
      Assertions.assertThat(m.successful()).allSatisfy(i -> Assertions.assertThat(i.providerTime()).isPresent());
    }
  }
}
