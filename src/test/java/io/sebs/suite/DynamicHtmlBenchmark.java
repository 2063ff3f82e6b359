package io.sebs.suite;

import static io.sebs.junit.SebsAssertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.Baseline;
import io.sebs.junit.BenchmarkInput;
import io.sebs.junit.ColdStart;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.Warm;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * 110.dynamic-html: the function renders an HTML page from a template, greeting {@code username} and listing
 * {@code random_len} random numbers. Every language's template engine escapes the username for HTML. One
 * subclass per language says which with {@code @ServerlessBenchmark}.
 */
abstract class DynamicHtmlBenchmark {

  /** Upper bound of the median cold client time: the runtime starts and loads its template engine first. */
  abstract Duration coldBudget();

  @Test
  @Warm(repetitions = 30, warmup = 3)
  void warmRendersStayFast(Measurements m, Baseline baseline) {
    assertThat(m).hasNoFailures().hasNoMisclassified();
    assertThat(m).clientTime().medianIsWithinBudget(Calibrated.budget(Duration.ofMillis(100)));
    assertThat(m).benchmarkTime().percentile(90).isLessThan(Calibrated.budget(Duration.ofMillis(100)));
    RegressionCheck.clientTimeNotSlower(m, baseline);
  }

  @Test
  @ColdStart(repetitions = 5)
  void coldStartsLoadTheTemplateEngine(Measurements m) {
    assertThat(m).hasNoFailures().coldStartRate().isEqualTo(1.0);
    assertThat(m).clientTime().median().isLessThan(ColdBudget.of(m, coldBudget()));
  }

  @Test
  void rendersTheRequestedNumberOfItemsEscapingTheUsername(FunctionInvoker invoker, @BenchmarkInput JsonNode input) {
    Invocation result = invoker.invoke(Map.of("username", "<sebs & co>", "random_len", 25));

    Assertions.assertThat(result.failed()).as("%s", result).isFalse();
    Assertions.assertThat(result.output().asText())
        .contains("<span id=\"username\">&lt;sebs &amp; co&gt;</span>")
        .satisfies(html -> Assertions.assertThat(html.split("<li>", -1)).hasSize(26));
    Assertions.assertThat(input.path("random_len").asInt()).isEqualTo(10);
  }
}
