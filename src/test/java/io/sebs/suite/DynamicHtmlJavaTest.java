package io.sebs.suite;

import static io.sebs.junit.SebsAssertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.BenchmarkInput;
import io.sebs.junit.ColdStart;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** 110.dynamic-html in Java: renders a mustache.java template with random numbers. */
@ServerlessBenchmark(value = "110.dynamic-html", language = "java")
class DynamicHtmlJavaTest {

  @Test
  @Warm(repetitions = 30, warmup = 3)
  void warmRendersStayFast(Measurements m) {
    assertThat(m).hasNoFailures().hasNoMisclassified();
    assertThat(m).clientTime().medianUpperBound().isLessThan(Duration.ofMillis(100));
    assertThat(m).benchmarkTime().percentile(90).isLessThan(Duration.ofMillis(100));
  }

  @Test
  @ColdStart(repetitions = 5)
  void coldStartsLoadTheJvmAndCompileTheTemplate(Measurements m) {
    assertThat(m).hasNoFailures().coldStartRate().isEqualTo(1.0);
    assertThat(m).clientTime().median().isLessThan(ColdBudget.of(m, Duration.ofSeconds(5)));
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
