package io.sebs.suite;

import static io.sebs.junit.SebsAssertions.assertThat;

import io.sebs.junit.Baseline;
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

/** 501.graph-pagerank in Java: builds a Barabási–Albert graph with JGraphT and computes PageRank. */
@ServerlessBenchmark(value = "501.graph-pagerank", language = "java")
class GraphPagerankJavaTest {

  @Test
  @Warm(repetitions = 20, warmup = 2)
  void warm(Measurements m, Baseline baseline) {
    assertThat(m).hasNoFailures().hasNoMisclassified();
    assertThat(m).clientTime().medianIsWithinBudget(Calibrated.budget(Duration.ofMillis(150)));
    RegressionCheck.clientTimeNotSlower(m, baseline);
  }

  @Test
  @ColdStart(repetitions = 5)
  void coldStartsLoadTheJvmAndJgrapht(Measurements m) {
    assertThat(m).hasNoFailures().coldStartRate().isEqualTo(1.0);
    assertThat(m).clientTime().median().isLessThan(ColdBudget.of(m, Duration.ofSeconds(5)));
  }

  @Test
  void aLargerGraphGivesVertexZeroAProbabilityAndReportsBothPhases(FunctionInvoker invoker) {
    Invocation result = invoker.invoke(Map.of("size", 2000, "seed", 42));

    Assertions.assertThat(result.failed()).as("%s", result).isFalse();
    // at least the teleport share (1 - 0.85) / n, and vertex 0 of a BA graph is a hub: above the mean 1 / n
    Assertions.assertThat(result.output().asDouble()).isGreaterThan(1.0 / 2000).isLessThan(1.0);
    Assertions.assertThat(result.measurement().path("graph_generating_time").asDouble()).isPositive();
    Assertions.assertThat(result.measurement().path("compute_time").asDouble()).isPositive();
    Invocation same = invoker.invoke(Map.of("size", 2000, "seed", 42));
    Assertions.assertThat(same.output().asDouble()).as("seeded").isEqualTo(result.output().asDouble());
  }
}
