package io.sebs.junit;

import io.sebs.junit.stats.SampleStatistics;
import java.util.List;

/**
 * The measured runs of a workflow test annotated with {@link Warm}, {@link ColdStart} or {@link Burst}.
 * They are {@link Measurements} (one "invocation" per run), so {@link SebsAssertions} budgets apply as
 * they are: {@code clientTime()} end to end, {@code criticalPath()} and {@code overhead()}.
 */
public interface WorkflowMeasurements extends Measurements {

  /** The measured runs, in order (warm-ups and misclassified runs excluded, as in {@link #invocations()}). */
  List<WorkflowRun> runs();

  /**
   * The durations of one function's successful executions over the successful runs, in microseconds.
   *
   * @throws IllegalArgumentException when no run executed that function, listing those that ran
   */
  SampleStatistics functionTimes(String funcName);
}
