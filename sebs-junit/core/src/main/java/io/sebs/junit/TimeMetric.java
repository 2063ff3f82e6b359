package io.sebs.junit;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/** The times an {@link Invocation} carries, by name, for statistics and budgets. */
public enum TimeMetric {
  /** {@link Invocation#clientTime()}. */
  CLIENT_TIME("client time", i -> Optional.of(i.clientTime())),
  /** {@link Invocation#benchmarkTime()}. */
  BENCHMARK_TIME("benchmark time", i -> Optional.of(i.benchmarkTime())),
  /** {@link Invocation#providerTime()}. */
  PROVIDER_TIME("provider time", Invocation::providerTime),
  /** {@link Invocation#initTime()}. */
  INIT_TIME("init time", Invocation::initTime),
  /** {@link WorkflowRun#criticalPath()}: workflows only. */
  CRITICAL_PATH("critical path", i -> i instanceof WorkflowRun run ? Optional.of(run.criticalPath()) : Optional.empty()),
  /** {@link WorkflowRun#overhead()}: workflows only. */
  OVERHEAD("orchestration overhead", i -> i instanceof WorkflowRun run ? Optional.of(run.overhead()) : Optional.empty());

  private final String label;
  private final Function<Invocation, Optional<Duration>> extractor;

  TimeMetric(String label, Function<Invocation, Optional<Duration>> extractor) {
    this.label = label;
    this.extractor = extractor;
  }

  /** Human-readable name used in messages and reports. */
  public String label() {
    return label;
  }

  /** This metric of one invocation, when the invocation has it. */
  public Optional<Duration> of(Invocation invocation) {
    return extractor.apply(invocation);
  }
}
