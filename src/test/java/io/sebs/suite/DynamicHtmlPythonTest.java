package io.sebs.suite;

import static io.sebs.junit.SebsAssertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.AdaptiveRepetitions;
import io.sebs.junit.BenchmarkInput;
import io.sebs.junit.ColdStart;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** 110.dynamic-html in Python: renders a jinja2 template with random numbers. */
@ServerlessBenchmark(value = "110.dynamic-html", language = "python")
class DynamicHtmlPythonTest {

  @Test
  @Warm(repetitions = 30, warmup = 2)
  void warmRendersStayFast(Measurements m) {
    assertThat(m).hasNoFailures().hasNoMisclassified();
    assertThat(m).clientTime().medianUpperBound().isLessThan(Duration.ofMillis(100));
    assertThat(m).benchmarkTime().percentile(90).isLessThan(Duration.ofMillis(100));
  }

  @Test
  @Warm(repetitions = 200, warmup = 2)
  @AdaptiveRepetitions(relativeError = 0.10)
  void warmMedianToWithinTenPercentWithoutAFixedCount(Measurements m) {
    assertThat(m).hasNoFailures().hasNoMisclassified();
    assertThat(m).clientTime().medianUpperBound().isLessThan(Duration.ofMillis(100));
  }

  @Test
  @ColdStart(repetitions = 5)
  void coldStartsImportJinja(Measurements m) {
    assertThat(m).hasNoFailures().coldStartRate().isEqualTo(1.0);
    assertThat(m).clientTime().median().isLessThan(ColdBudget.of(m, Duration.ofSeconds(3)));
  }

  @Test
  void rendersTheRequestedNumberOfItems(FunctionInvoker invoker, @BenchmarkInput JsonNode input) {
    Invocation result = invoker.invoke(Map.of("username", "sebs", "random_len", 25));

    org.assertj.core.api.Assertions.assertThat(result.failed()).as("%s", result).isFalse();
    org.assertj.core.api.Assertions.assertThat(result.output().asText())
        .contains("sebs")
        .satisfies(html -> org.assertj.core.api.Assertions.assertThat(html.split("<li>", -1)).hasSize(26));
    org.assertj.core.api.Assertions.assertThat(input.path("random_len").asInt()).isEqualTo(10);
  }
}
