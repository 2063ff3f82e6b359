package io.sebs.junit.baseline;

/**
 * Where the gate's verdicts go besides the assertion's message, so that CI can publish them (see
 * {@link ComparisonFile}). Implementations must accept several verdicts per test (one per metric).
 */
@FunctionalInterface
public interface ComparisonLog {

  /** Keeps nothing: for baselines built by hand, e.g. in unit tests. */
  ComparisonLog NONE = verdict -> {};

  /** Records one verdict. */
  void record(GateVerdict verdict);
}
