package io.sebs.suite;

import static io.sebs.junit.SebsAssertions.assertThat;

import io.sebs.junit.Baseline;
import io.sebs.junit.ColdStart;
import io.sebs.junit.Measurements;
import io.sebs.junit.Warm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The graph benchmarks in Python (501 PageRank, 502 spanning tree, 503 BFS): each builds a
 * Barabási–Albert graph with igraph and runs one algorithm on it. One subclass per benchmark.
 */
abstract class GraphBenchmark {

  @Test
  @Warm(repetitions = 20, warmup = 2)
  void warm(Measurements m, Baseline baseline) {
    assertThat(m).hasNoFailures().hasNoMisclassified();
    assertThat(m).clientTime().medianIsWithinBudget(Calibrated.budget(Duration.ofMillis(150)));
    RegressionCheck.clientTimeNotSlower(m, baseline);
  }

  @Test
  @ColdStart(repetitions = 5)
  void coldStartsImportIgraph(Measurements m) {
    assertThat(m).hasNoFailures().coldStartRate().isEqualTo(1.0);
    assertThat(m).clientTime().median().isLessThan(ColdBudget.of(m, Duration.ofSeconds(5)));
  }
}
