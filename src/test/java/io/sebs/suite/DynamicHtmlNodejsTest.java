package io.sebs.suite;

import static io.sebs.junit.SebsAssertions.assertThat;

import io.sebs.junit.ColdStart;
import io.sebs.junit.Measurements;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** 110.dynamic-html in Node.js: renders a mustache template with random numbers. */
@ServerlessBenchmark(value = "110.dynamic-html", language = "nodejs")
class DynamicHtmlNodejsTest {

  @Test
  @Warm(repetitions = 30, warmup = 2)
  void warmRendersStayFast(Measurements m) {
    assertThat(m).hasNoFailures().hasNoMisclassified();
    assertThat(m).clientTime().medianUpperBound().isLessThan(Duration.ofMillis(100));
  }

  @Test
  @ColdStart(repetitions = 5)
  void coldStartsLoadMustache(Measurements m) {
    assertThat(m).hasNoFailures().coldStartRate().isEqualTo(1.0);
    assertThat(m).clientTime().median().isLessThan(ColdBudget.of(m, Duration.ofSeconds(3)));
  }
}
