package io.sebs.suite;

import io.sebs.junit.Measurements;
import java.time.Duration;

/**
 * The suite's cold-start budgets are written for the local platform, where an instance is a process with
 * the whole machine. On the docker platform an instance is a container started first (0.6-1.4 s measured
 * on these machines) whose CPU share follows memory as Lambda allots it (memory / 1769 MB, at least 0.25
 * CPU), so the runtime's start-up work takes several times its local wall time at the suite's 128-512 MB.
 * This is the one place that allowance is made: twice the local budget plus 2 s on docker. Warm budgets
 * are not scaled for docker; they must hold on every platform the suite runs on. Cold and warm budgets
 * alike are then stretched by the machine's measured slowdown ({@link Calibrated}).
 */
final class ColdBudget {

  private ColdBudget() {}

  /**
   * The budget of the median cold client time of {@code m}'s platform, given the local platform's on a
   * quiet machine, stretched by how much slower the machine is now ({@link Calibrated}).
   */
  static Duration of(Measurements m, Duration onLocal) {
    return Calibrated.budget(m.platform().equals("docker") ? onLocal.multipliedBy(2).plusSeconds(2) : onLocal);
  }
}
