package io.sebs.suite;

import static io.sebs.junit.SebsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.sebs.junit.FunctionRecord;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import io.sebs.junit.WorkflowInvoker;
import io.sebs.junit.WorkflowMeasurements;
import io.sebs.junit.WorkflowRun;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 620.func-invo: a chain (a task, then a repeat of eight), the workflow where orchestration overhead is all
 * there is between function executions. Its warm series prints the overhead per state transition.
 */
@ServerlessBenchmark(value = "620.func-invo", language = "python")
class FuncInvoWorkflowTest {

  @Test
  void genThenEightProcessStepsOneAfterTheOther(WorkflowInvoker workflow) {
    WorkflowRun run = workflow.invoke();

    assertThat(run.failure()).isEmpty();
    assertThat(run.output().path("step").asInt()).isEqualTo(8);
    assertThat(run.output().path("data").asText()).hasSize(1024).startsWith("ijkl");
    List<String> expected = new java.util.ArrayList<>(List.of("gen"));
    expected.addAll(Collections.nCopies(8, "process"));
    assertThat(run.functions()).extracting(FunctionRecord::name).containsExactlyElementsOf(expected);
    for (int i = 1; i < run.functions().size(); i++) {
      assertThat(run.functions().get(i).begin()).as("a chain: each step begins after the one before ended")
          .isAfterOrEqualTo(run.functions().get(i - 1).end());
    }
    java.time.Duration work = run.functions().stream().map(FunctionRecord::duration)
        .reduce(java.time.Duration.ZERO, java.time.Duration::plus);
    assertThat(run.criticalPath()).as("a chain's critical path is all of its work").isEqualTo(work);
  }

  @Test
  @Warm(repetitions = 10)
  void warmChainOverheadPerTransition(WorkflowMeasurements runs) {
    assertThat(runs).hasNoFailures().hasNoMisclassified();
    double overheadUs = runs.statistics(io.sebs.junit.TimeMetric.OVERHEAD).median();
    System.out.printf("%s on %s: 9 functions, client %.1f ms, critical path %.1f ms, overhead %.1f ms"
            + " = %.2f ms per function execution (median of %d warm runs)%n", runs.functionName(), runs.platform(),
        runs.statistics(io.sebs.junit.TimeMetric.CLIENT_TIME).median() / 1000,
        runs.statistics(io.sebs.junit.TimeMetric.CRITICAL_PATH).median() / 1000, overheadUs / 1000,
        overheadUs / 9 / 1000, runs.runs().size());
    assertThat(runs.functionTimes("process").count()).isEqualTo(8L * runs.runs().size());
  }
}
