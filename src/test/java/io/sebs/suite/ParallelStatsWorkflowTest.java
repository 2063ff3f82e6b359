package io.sebs.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.FunctionRecord;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.WorkflowInvoker;
import io.sebs.junit.WorkflowRun;
import org.junit.jupiter.api.Test;

/**
 * 695.parallel-stats: a parallel state of three branches (one of them a map), merged, then a loop that
 * audits each check one at a time: the figures must be the ones input.py expects.
 */
@ServerlessBenchmark(value = "695.parallel-stats", language = "python")
class ParallelStatsWorkflowTest {

  @Test
  void theBranchesAgreeAndTheLoopAuditsEveryCheck(WorkflowInvoker workflow) {
    WorkflowRun run = workflow.invoke();

    assertThat(run.failure()).isEmpty();
    JsonNode out = run.output();
    JsonNode expected = workflow.input().path("expected");
    assertThat(out.path("count").asInt()).isEqualTo(expected.path("count").asInt()).isEqualTo(100);
    assertThat(out.path("sum").asLong()).isEqualTo(expected.path("sum").asLong()).isEqualTo(43889);
    assertThat(out.path("histogram")).isNotNull();
    assertThat(out.path("sorted_ok").asBoolean()).isTrue();
    assertThat(out.path("all_ok").asBoolean()).isTrue();
    assertThat(run.functions()).filteredOn(f -> f.name().equals("sort_chunk")).hasSize(4);
    assertThat(run.functions()).filteredOn(f -> f.name().equals("audit")).hasSize(8);
    FunctionRecord merge = run.functions().stream().filter(f -> f.name().equals("merge")).findFirst().orElseThrow();
    assertThat(run.functions()).filteredOn(f -> f.name().equals("stats") || f.name().equals("histogram")
            || f.name().equals("sort_chunk"))
        .allSatisfy(f -> assertThat(f.end()).as("the parallel state ends before merge").isBeforeOrEqualTo(merge.begin()));
  }
}
