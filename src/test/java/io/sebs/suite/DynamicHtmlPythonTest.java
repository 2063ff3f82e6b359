package io.sebs.suite;

import static io.sebs.junit.SebsAssertions.assertThat;

import io.sebs.junit.AdaptiveRepetitions;
import io.sebs.junit.Measurements;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * 110.dynamic-html in Python: renders a jinja2 template. It also shows adaptive repetitions: a warm series
 * that stops once the median's confidence interval is within 10 % of it (in one language only, as it may
 * take 200 calls).
 */
@ServerlessBenchmark(value = "110.dynamic-html", language = "python")
class DynamicHtmlPythonTest extends DynamicHtmlBenchmark {

  /** An interpreter's start-up and jinja2's import come first. */
  @Override
  Duration coldBudget() {
    return Duration.ofSeconds(3);
  }

  @Test
  @Warm(repetitions = 200, warmup = 2)
  @AdaptiveRepetitions(relativeError = 0.10)
  void warmMedianToWithinTenPercentWithoutAFixedCount(Measurements m) {
    assertThat(m).hasNoFailures().hasNoMisclassified();
    assertThat(m).clientTime().medianIsWithinBudget(Calibrated.budget(Duration.ofMillis(100)));
  }
}
