package io.sebs.junit.workflow;

import io.sebs.junit.FunctionRecord;
import io.sebs.junit.benchmark.WorkflowDefinition;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The critical path of a run from its function records, for orchestrators whose runs show when each
 * function ran and in which state, but not which map element or branch it belonged to (Step Functions), and
 * for runs that failed part-way: the heaviest chain of executions in which each one began after the
 * previous one ended and depends on it. Executions of the same state never depend on each other (they are
 * elements of one map), except in a repeat or loop, whose executions are a chain. So a map's elements count
 * once, by their slowest, however the orchestrator staggered their starts; within a map whose body has
 * several states, an element's later state may still be chained after another element's earlier one, which
 * can overstate the path of such maps.
 */
public final class CriticalPath {

  private CriticalPath() {}

  /** The sum of durations along the heaviest dependent chain; zero without records. */
  public static Duration ofRecords(List<FunctionRecord> records, WorkflowDefinition definition) {
    Set<String> chained = sequentialStates(definition, new HashSet<>());
    List<FunctionRecord> byEnd = records.stream().sorted(Comparator.comparing(FunctionRecord::end)).toList();
    long[] best = new long[byEnd.size()];
    long overall = 0;
    for (int i = 0; i < byEnd.size(); i++) {
      FunctionRecord r = byEnd.get(i);
      long before = 0;
      for (int j = 0; j < i; j++) {
        FunctionRecord earlier = byEnd.get(j);
        boolean sameState = Objects.equals(earlier.state(), r.state());
        if (!earlier.end().isAfter(r.begin()) && (!sameState || chained.contains(r.state()))) {
          before = Math.max(before, best[j]);
        }
      }
      best[i] = before + r.duration().toNanos();
      overall = Math.max(overall, best[i]);
    }
    return Duration.ofNanos(overall);
  }

  /** The repeat and loop states, at any depth: their executions follow one another. */
  private static Set<String> sequentialStates(WorkflowDefinition definition, Set<String> names) {
    for (WorkflowDefinition.State s : definition.states().values()) {
      if (s instanceof WorkflowDefinition.Repeat || s instanceof WorkflowDefinition.Loop) {
        names.add(s.name());
      } else if (s instanceof WorkflowDefinition.MapState m) {
        sequentialStates(m.body(), names);
      } else if (s instanceof WorkflowDefinition.Parallel p) {
        p.branches().forEach(b -> sequentialStates(b, names));
      }
    }
    return names;
  }
}
