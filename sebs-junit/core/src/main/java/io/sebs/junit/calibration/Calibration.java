package io.sebs.junit.calibration;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a reference workload took on this machine, measured in the same run as the benchmark, and the
 * budgets derived from it. A budget of {@code calibration.times(40)} holds on any machine where the
 * benchmark is as fast relative to the reference as where it was written; when a shared runner is busy,
 * the reference slows down with the benchmark, and so does the budget.
 *
 * <pre>{@code
 * Calibration machine = ReferenceWorkload.cpu().measure(7);
 * assertThat(m).clientTime().medianIsWithinBudget(machine.times(3));
 * // or a budget written on a reference machine, widened where this one is slower now:
 * assertThat(m).clientTime().median().isLessThan(machine.scale(Duration.ofSeconds(5), Duration.ofMillis(30)));
 * }</pre>
 *
 * @param reference what was timed, e.g. {@code "cpu: SHA-256 of 8 MiB on 2 threads"}
 * @param median the median time of one round of the workload
 * @param min the fastest round
 * @param max the slowest round
 * @param rounds how many rounds were timed (after one discarded warm-up round)
 */
public record Calibration(String reference, Duration median, Duration min, Duration max, int rounds) {

  /** Checks that the times are positive and ordered, so every derived budget is too. */
  public Calibration {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(median, "median");
    Objects.requireNonNull(min, "min");
    Objects.requireNonNull(max, "max");
    if (median.isNegative() || median.isZero()) {
      throw new IllegalArgumentException("a calibration's median must be positive, was " + median
          + " (the reference workload is too small to time: give it more work)");
    }
    if (min.compareTo(median) > 0 || median.compareTo(max) > 0) {
      throw new IllegalArgumentException("expected min <= median <= max but was " + min + ", " + median + ", " + max);
    }
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds must be >= 1, was " + rounds);
    }
  }

  /**
   * {@code factor} times the reference's median: a budget that travels between machines.
   *
   * @throws IllegalArgumentException if the factor is not a positive finite number
   */
  public Duration times(double factor) {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("factor must be a positive number, e.g. 3 for three times the reference, "
          + "but was " + factor);
    }
    return Duration.ofNanos(Math.round(median.toNanos() * factor));
  }

  /**
   * How much slower this machine is now than a reference median measured elsewhere (or earlier, on a quiet
   * machine): {@code median / referenceMedian}; 2.0 means the workload took twice as long.
   */
  public double slowdownAgainst(Duration referenceMedian) {
    if (referenceMedian.isNegative() || referenceMedian.isZero()) {
      throw new IllegalArgumentException("the reference median must be positive, was " + referenceMedian);
    }
    return (double) median.toNanos() / referenceMedian.toNanos();
  }

  /**
   * A budget written on a machine where the reference took {@code referenceMedian}, stretched by how much
   * slower this machine is now ({@link #slowdownAgainst}), and never shrunk below what was written: a
   * faster machine does not make start-up work that is not CPU-bound (sleeps, I/O, process creation)
   * proportionally faster, so tightening would fail budgets the code still meets.
   */
  public Duration scale(Duration budget, Duration referenceMedian) {
    Objects.requireNonNull(budget, "budget");
    double factor = Math.max(1.0, slowdownAgainst(referenceMedian));
    return Duration.ofNanos(Math.round(budget.toNanos() * factor));
  }

  /** E.g. {@code "cpu: SHA-256 ... median 31.2 ms (min 30.1, max 35.0, 7 rounds)"}, for failure messages. */
  public String describe() {
    return reference + ": median " + ms(median) + " ms (min " + ms(min) + ", max " + ms(max) + ", " + rounds
        + " rounds)";
  }

  private static String ms(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.1f", d.toNanos() / 1e6);
  }
}
