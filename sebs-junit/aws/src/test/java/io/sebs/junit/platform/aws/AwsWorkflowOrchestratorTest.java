package io.sebs.junit.platform.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How the orchestrator places the functions' records on the client's clock and reads Lambda's error causes. */
class AwsWorkflowOrchestratorTest {

  private static WorkflowRecords.Entry entry(long start, long end) {
    return new WorkflowRecords.Entry("f", "s", "id-" + start, start, end, false, "c", null);
  }

  @Test
  void recordsInsideTheClientsWindowStayWhereTheyAre() {
    assertThat(AwsWorkflowOrchestrator.functionClockAhead(List.of(entry(1_100, 1_200), entry(1_300, 1_900)), 1_000,
        2_000)).isZero();
    assertThat(AwsWorkflowOrchestrator.functionClockAhead(List.of(), 1_000, 2_000)).isZero();
  }

  @Test
  void recordsOutsideTheWindowAreShiftedByTheLeastThatPutsThemInside() {
    // the functions' clock runs 500 us ahead: the last end is 400 us past the client's end
    assertThat(AwsWorkflowOrchestrator.functionClockAhead(List.of(entry(1_600, 1_700), entry(1_800, 2_400)), 1_000,
        2_000)).isEqualTo(400);
    // behind: the first start is 300 us before the client's begin
    assertThat(AwsWorkflowOrchestrator.functionClockAhead(List.of(entry(700, 900)), 1_000, 2_000)).isEqualTo(-300);
    // wider than the window: centred
    assertThat(AwsWorkflowOrchestrator.functionClockAhead(List.of(entry(900, 2_300)), 1_000, 2_000)).isEqualTo(100);
  }

  @Test
  void lambdasErrorJsonInACauseIsItsMessageAndAnythingElseStaysAsItIs() {
    assertThat(AwsWorkflowOrchestrator.causeMessage("{\"errorMessage\":\"planned failure\",\"errorType\":\"ValueError\","
        + "\"stackTrace\":[]}")).isEqualTo("planned failure");
    assertThat(AwsWorkflowOrchestrator.causeMessage("Rate Exceeded.")).isEqualTo("Rate Exceeded.");
    assertThat(AwsWorkflowOrchestrator.causeMessage(null)).isEmpty();
  }
}
