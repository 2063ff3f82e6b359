package io.sebs.suite;

import io.sebs.junit.calibration.Calibration;
import io.sebs.junit.calibration.ReferenceWorkload;
import java.time.Duration;

/**
 * The suite's budgets are written in milliseconds of a quiet 2-core machine; this stretches them by how
 * much slower the machine is while the test runs, measured in the same run by a reference workload
 * ({@link ReferenceWorkload#cpu()}: SHA-256 on every processor). A fresh clone's CI failed twice on
 * budgets its code met: a shared runner was busy (311.compression Java cold starts took 7 s instead of
 * 2-3 s with two busy loops beside the suite). The reference slows down with the functions, so the budget
 * does too, and "2 s" stays "about 80 times the reference" on any machine. A slower reference never makes
 * a budget tighter than written (see {@link Calibration#scale}).
 *
 * <p>Every call measures anew (9 rounds, about a quarter of a second when idle), right after the test's
 * invocations, because a shared machine's load changes from minute to minute. Each use prints the
 * calibration, so a log shows why a budget was wider than written.
 */
final class Calibrated {

  /**
   * The reference's median up to which the written budgets need no stretching: on this 2-core machine the
   * reference took 14-18 ms at its quietest and 24-30 ms under the everyday load of other jobs, which the
   * written budgets already absorb (they have about 2x headroom over quiet medians); beyond 25 ms they widen.
   */
  static final Duration QUIET_REFERENCE = Duration.ofMillis(25);

  private static final int ROUNDS = 9;

  private Calibrated() {}

  /** {@code written} stretched by the slowdown measured now, never below {@code written}. */
  static Duration budget(Duration written) {
    Calibration now = ReferenceWorkload.cpu().measure(ROUNDS);
    Duration budget = now.scale(written, QUIET_REFERENCE);
    System.out.printf(java.util.Locale.ROOT, "[sebs] budget %d ms -> %d ms: the machine is %.2fx the quiet "
        + "reference now (%s)%n", written.toMillis(), budget.toMillis(), now.slowdownAgainst(QUIET_REFERENCE),
        now.describe());
    return budget;
  }

  /**
   * A budget for time spent on top of a fixed wait (a sleep): the wait is not the machine's, only the
   * overhead is stretched.
   */
  static Duration overhead(Duration wait, Duration overhead) {
    return wait.plus(budget(overhead));
  }
}
