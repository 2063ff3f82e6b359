package io.sebs.junit.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sebs.junit.FunctionRecord;
import io.sebs.junit.Measurements;
import io.sebs.junit.WorkflowRun;
import io.sebs.junit.series.MeasurementSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A workflow run in the results: its function records in the journal line and in the functions CSV. */
class WorkflowResultsTest {

  static final Instant T0 = Instant.parse("2026-12-02T10:00:00.000001Z");

  static WorkflowRun run() {
    List<FunctionRecord> functions = List.of(
        new FunctionRecord("generate", "generate", "r1", T0, T0.plusMillis(2), true, "c1", null),
        new FunctionRecord("process", "process-state", "r2", T0.plusMillis(3), T0.plusMillis(503), true, "c2", null),
        new FunctionRecord("process", "process-state", "r3", T0.plusMillis(3), T0.plusMillis(504), false, "c3",
            "ValueError: late"));
    return new WorkflowRun("wf-1", null, JsonNodeFactory.instance.objectNode(), T0.minusMillis(1),
        Duration.ofMillis(510), functions, Duration.ofMillis(503));
  }

  @Test
  void aJournalLineKeepsTheRunsFunctionRecords() {
    var line = InvocationJournal.toJson(run());
    assertThat(line.path("functions")).hasSize(3);
    assertThat(line.path("functions").get(1).path("func").asText()).isEqualTo("process");
    assertThat(line.path("functions").get(0).path("start").decimalValue().toPlainString()).isEqualTo("1796205600.000001");
    assertThat(line.path("function_end_us").asLong()).as("the critical path, as the run's benchmark time")
        .isEqualTo(503_000);
  }

  @Test
  void theFunctionsCsvHasOneRowPerExecutionInStartOrder() {
    Measurements m = new MeasurementSeries(Measurements.Kind.WARM, "sebs-630", "local", List.of(run()), List.of(), "done");
    List<String> rows = ResultsWriter.functionsCsv(m).lines().toList();
    assertThat(rows).hasSize(4);
    assertThat(rows.get(1)).isEqualTo("wf-1,generate,1796205600.000001,1796205600.002001,2000,true,c1,r1,generate,false,,measured");
    assertThat(rows.get(3)).endsWith(",process-state,true,ValueError: late,measured");
  }

  @Test
  void aRunWithColdAndWarmInstancesIsNeitherColdNorWarm() {
    assertThat(run().isCold()).as("r3 reused instance c3").isFalse();
    assertThat(run().isWarm()).as("r1 and r2 started new instances").isFalse();
    assertThat(run().overhead()).isEqualTo(Duration.ofMillis(7));
  }

  @Test
  void aRunIsColdWhenNoExecutionReusedAnInstanceFromBeforeIt() {
    Instant t = T0;
    WorkflowRun chain = new WorkflowRun("wf-2", null, JsonNodeFactory.instance.objectNode(), t, Duration.ofMillis(20),
        List.of(new FunctionRecord("inc", "twice", "a", t, t.plusMillis(1), true, "c1", null),
            new FunctionRecord("inc", "twice", "b", t.plusMillis(2), t.plusMillis(3), false, "c1", null)),
        Duration.ofMillis(2));
    assertThat(chain.isCold()).as("the repeat's second execution reuses the instance its first one started").isTrue();
    assertThat(chain.isWarm()).isFalse();
  }
}
