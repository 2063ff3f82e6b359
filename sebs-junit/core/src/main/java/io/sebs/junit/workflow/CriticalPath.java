package io.sebs.junit.workflow;

import io.sebs.junit.FunctionRecord;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * The critical path of a run from its function records alone, for orchestrators whose runs show when each
 * function ran but not which map element or branch it belonged to (Step Functions): the heaviest chain of
 * executions in which each one began after the previous one ended. Dependent executions never overlap, so
 * the workflow's dependency chains are such chains; where concurrency was not limited, executions that
 * could run at once did overlap, and the result is the structural critical path {@link WorkflowEngine}
 * computes. Where the orchestrator held some back, the waits it imposed are on this path too.
 */
public final class CriticalPath {

  private CriticalPath() {}

  /** The sum of durations along the heaviest chain of non-overlapping executions; zero without records. */
  public static Duration ofRecords(List<FunctionRecord> records) {
    List<FunctionRecord> byEnd = records.stream().sorted(Comparator.comparing(FunctionRecord::end)).toList();
    long[] best = new long[byEnd.size()];
    long overall = 0;
    for (int i = 0; i < byEnd.size(); i++) {
      FunctionRecord r = byEnd.get(i);
      long before = 0;
      for (int j = 0; j < i; j++) {
        if (!byEnd.get(j).end().isAfter(r.begin())) {
          before = Math.max(before, best[j]);
        }
      }
      best[i] = before + r.duration().toNanos();
      overall = Math.max(overall, best[i]);
    }
    return Duration.ofNanos(overall);
  }
}
