package io.sebs.suite;

import static io.sebs.junit.SebsAssertions.assertThat;

import io.sebs.junit.Baseline;
import io.sebs.junit.Measurements;

/**
 * The suite's regression gate (README, "Regression gate in CI"): the warm tests with ten or more
 * repetitions compare their client times with the baseline run's ({@code -Dsebs.baseline}, in CI the
 * last main-branch runs, pooled), and fail only when the data show a slowdown beyond {@link #TOLERANCE}.
 * Without a baseline, or without this test in it (a test added by the pull request), there is nothing to
 * compare and the test is not aborted: the budgets above it still decide, and the gate's table lists the
 * series as not compared.
 */
final class RegressionCheck {

  /**
   * 25 %: the baseline comes from other runners than the pull request's run, and runners differ by more
   * than the 10 % a single machine would allow; pooling several main runs puts that spread into the
   * baseline's samples, the tolerance covers what is left.
   */
  static final double TOLERANCE = 0.25;

  private RegressionCheck() {}

  /** Client time not slower than the baseline's by more than {@link #TOLERANCE}, when there is a baseline. */
  static void clientTimeNotSlower(Measurements m, Baseline baseline) {
    if (baseline.isAvailable()) {
      assertThat(m).clientTime().isNotSlowerThanBaseline(baseline, TOLERANCE);
    }
  }
}
