package io.sebs.suite;

import static io.sebs.junit.SebsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.sebs.junit.FunctionRecord;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.TimeMetric;
import io.sebs.junit.Warm;
import io.sebs.junit.WorkflowInvoker;
import io.sebs.junit.WorkflowMeasurements;
import io.sebs.junit.WorkflowRun;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 630.parallel-sleep: a map of four 0.5 s sleeps after one generate. The four sleeps overlap, so the
 * critical path is one generate plus the slowest sleep, within a few ms of 0.5 s: a check that the
 * engine runs map elements concurrently and that its critical path is computed right.
 */
@ServerlessBenchmark(value = "630.parallel-sleep", language = "python")
class ParallelSleepWorkflowTest {

  static final Duration SLEEP = Duration.ofMillis(500);

  @Test
  void theSleepsOverlapAndTheCriticalPathIsOneOfThem(WorkflowInvoker workflow) {
    workflow.invoke(); // a cold first run: its functions' durations include loading their code
    WorkflowRun run = workflow.invoke();

    assertThat(run.failure()).isEmpty();
    assertThat(run.output().path("buffer")).hasSize(4);
    assertThat(run.output().path("buffer").get(0).path("slept").asDouble()).isEqualTo(0.5);
    List<FunctionRecord> sleeps = run.functions().stream().filter(f -> f.name().equals("process")).toList();
    assertThat(sleeps).hasSize(4);
    Instant lastBegin = sleeps.stream().map(FunctionRecord::begin).max(Comparator.naturalOrder()).orElseThrow();
    Instant firstEnd = sleeps.stream().map(FunctionRecord::end).min(Comparator.naturalOrder()).orElseThrow();
    assertThat(lastBegin).as("all four sleeps run at the same time").isBefore(firstEnd);

    Duration generate = run.functions().get(0).duration();
    Duration slowest = sleeps.stream().map(FunctionRecord::duration).max(Comparator.naturalOrder()).orElseThrow();
    assertThat(run.criticalPath()).isEqualTo(generate.plus(slowest));
    assertThat(run.criticalPath().minus(SLEEP)).as("critical path minus the sleep")
        .isBetween(Duration.ZERO, Duration.ofMillis(30));
    System.out.printf("630.parallel-sleep: critical path %.2f ms (sleep 500 ms), client %.2f ms, overhead %.2f ms%n",
        run.criticalPath().toNanos() / 1e6, run.clientTime().toNanos() / 1e6, run.overhead().toNanos() / 1e6);
  }

  @Test
  @Warm(repetitions = 5)
  void warmRunsTakeOneSleepPlusTheOverhead(WorkflowMeasurements runs) {
    assertThat(runs).hasNoFailures();
    assertThat(runs).criticalPath().median().isBetween(SLEEP, SLEEP.plusMillis(30));
    assertThat(runs).clientTime().median().isLessThan(SLEEP.multipliedBy(2));
    System.out.printf("%s warm on %s: critical path median %.2f ms, overhead median %.2f ms%n",
        runs.functionName(), runs.platform(), runs.statistics(TimeMetric.CRITICAL_PATH).median() / 1000,
        runs.statistics(TimeMetric.OVERHEAD).median() / 1000);
  }
}
