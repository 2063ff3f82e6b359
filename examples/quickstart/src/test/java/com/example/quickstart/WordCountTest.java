package com.example.quickstart;

import static io.sebs.junit.SebsAssertions.assertThat;

import io.sebs.junit.ColdStart;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The quick start: this project's own function (benchmarks/010.word-count), deployed to the platform chosen
 * with -Dsebs.platform (local unless told), measured warm and cold, and held to a budget.
 */
@ServerlessBenchmark("010.word-count")
class WordCountTest {

  @Test
  @Warm(repetitions = 30, warmup = 3)
  void warmCountsStayWithinBudget(Measurements m) {
    assertThat(m).hasNoFailures().hasNoMisclassified();
    // Passes when the median's whole 95% interval is under budget, fails when it is all above, and is
    // reported as skipped (inconclusive) when the budget lies inside it.
    assertThat(m).clientTime().medianIsWithinBudget(Duration.ofMillis(250));
  }

  @Test
  @ColdStart(repetitions = 3)
  void everyColdStartStartsANewInstance(Measurements m) {
    assertThat(m).hasNoFailures().coldStartRate().isEqualTo(1.0);
    assertThat(m).clientTime().median().isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void countsTheWordsItIsSent(FunctionInvoker invoker) {
    Invocation answer = invoker.invoke(Map.of("text", "cold warm warm"));

    org.assertj.core.api.Assertions.assertThat(answer.failed()).as("%s", answer).isFalse();
    org.assertj.core.api.Assertions.assertThat(answer.output().path("counts").path("warm").asInt()).isEqualTo(2);
  }
}
