package io.sebs.junit.platform;

/**
 * Places a workflow run's function executions, timed on the functions' clocks, on the client's clock, for
 * orchestrators that report the executions after the run (Step Functions, Google Workflows, Durable Functions):
 * the client saw the whole run, so every execution lies inside its window.
 */
public final class WorkflowClocks {

  private WorkflowClocks() {}

  /**
   * How far the functions' clocks are ahead of the client's, as far as the run shows it: the offset is at least
   * {@code lastEnd - clientEnd} and at most {@code firstStart - clientBegin}; the one of these bounds nearest to
   * zero, or zero between them; the middle when the executions span more than the client's window (clocks that
   * disagree among themselves). All in epoch microseconds.
   */
  public static long functionClockAheadMicros(long firstStart, long lastEnd, long clientBegin, long clientEnd) {
    long low = lastEnd - clientEnd;
    long high = firstStart - clientBegin;
    if (low > high) {
      return Math.floorDiv(low + high, 2);
    }
    return Math.max(low, Math.min(0, high));
  }
}
