package io.sebs.junit.platform.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How the orchestrator places the functions' records on the client's clock. */
class GcpWorkflowOrchestratorTest {

  private static GcpWorkflowOrchestrator.Records.Entry entry(long start, long end) {
    return new GcpWorkflowOrchestrator.Records.Entry("f", "s", "id-" + start, start, end, false, "c", null);
  }

  @Test
  void recordsInsideTheClientsWindowStayWhereTheyAre() {
    assertThat(GcpWorkflowOrchestrator.functionClockAhead(List.of(entry(1_100, 1_200), entry(1_300, 1_900)), 1_000,
        2_000)).isZero();
    assertThat(GcpWorkflowOrchestrator.functionClockAhead(List.of(), 1_000, 2_000)).isZero();
  }

  @Test
  void recordsOutsideTheWindowAreShiftedByTheLeastThatPutsThemInside() {
    assertThat(GcpWorkflowOrchestrator.functionClockAhead(List.of(entry(1_600, 1_700), entry(1_800, 2_400)), 1_000,
        2_000)).isEqualTo(400);
    assertThat(GcpWorkflowOrchestrator.functionClockAhead(List.of(entry(700, 900)), 1_000, 2_000)).isEqualTo(-300);
    assertThat(GcpWorkflowOrchestrator.functionClockAhead(List.of(entry(900, 2_300)), 1_000, 2_000)).isEqualTo(100);
  }
}
