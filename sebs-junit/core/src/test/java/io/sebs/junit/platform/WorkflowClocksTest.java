package io.sebs.junit.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Placing a run's executions, timed on the functions' clocks, inside the client's window. */
class WorkflowClocksTest {

  @Test
  void executionsAlreadyInsideTheClientsWindowAreNotShifted() {
    assertThat(WorkflowClocks.functionClockAheadMicros(1_100, 1_900, 1_000, 2_000)).isZero();
  }

  @Test
  void functionClocksAheadAreShiftedBackJustEnoughToEndInsideTheWindow() {
    // the executions end 300 us after the client saw the run end: the functions' clocks are at least 300 ahead
    assertThat(WorkflowClocks.functionClockAheadMicros(1_400, 2_300, 1_000, 2_000)).isEqualTo(300);
  }

  @Test
  void functionClocksBehindAreShiftedForwardJustEnoughToStartInsideTheWindow() {
    assertThat(WorkflowClocks.functionClockAheadMicros(800, 1_500, 1_000, 2_000)).isEqualTo(-200);
  }

  @Test
  void executionsSpanningMoreThanTheWindowAreCentredOnIt() {
    // 1,200 us of executions in a 1,000 us window: their clocks disagree; the middle keeps the error smallest
    assertThat(WorkflowClocks.functionClockAheadMicros(900, 2_100, 1_000, 2_000)).isEqualTo(0);
    assertThat(WorkflowClocks.functionClockAheadMicros(1_000, 2_200, 1_000, 2_000)).isEqualTo(100);
  }
}
