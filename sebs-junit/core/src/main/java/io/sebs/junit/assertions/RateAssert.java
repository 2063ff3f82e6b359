package io.sebs.junit.assertions;

import java.util.function.DoublePredicate;
import org.assertj.core.api.AbstractAssert;

/**
 * A budget on a share of invocations — {@link MeasurementsAssert#failureRate()} or
 * {@link MeasurementsAssert#coldStartRate()} — given as a fraction in [0, 1] (0.05 for 5%).
 *
 * <p>Rates from a handful of invocations are coarse: with 20 invocations the failure rate moves in steps of
 * 5%, so {@code failureRate().isLessThan(0.01)} is the same as {@link #isZero()} there. A failure message
 * gives the counts behind the rate and, for failures, the first failure reasons.
 */
public final class RateAssert extends AbstractAssert<RateAssert, Double> {

  /** Rates are ratios of counts; this absorbs floating-point noise in equality checks. */
  private static final double TOLERANCE = 1e-9;

  private final String label;
  private final String counts;
  private final MeasurementsAssert parent;

  RateAssert(double rate, String label, String counts, MeasurementsAssert parent) {
    super(rate, RateAssert.class);
    this.label = label;
    this.counts = counts;
    this.parent = parent;
  }

  /** Verifies that the rate is strictly below {@code maximum} (a fraction in [0, 1]). */
  public RateAssert isLessThan(double maximum) {
    return check("< ", maximum, r -> r < maximum);
  }

  /** Verifies that the rate is at most {@code maximum} (a fraction in [0, 1]). */
  public RateAssert isLessThanOrEqualTo(double maximum) {
    return check("<= ", maximum, r -> r <= maximum + TOLERANCE);
  }

  /** Verifies that the rate is at least {@code minimum} (a fraction in [0, 1]). */
  public RateAssert isGreaterThanOrEqualTo(double minimum) {
    return check(">= ", minimum, r -> r >= minimum - TOLERANCE);
  }

  /** Verifies that the rate is strictly above {@code minimum} (a fraction in [0, 1]). */
  public RateAssert isGreaterThan(double minimum) {
    return check("> ", minimum, r -> r > minimum);
  }

  /** Verifies that the rate equals {@code expected} (a fraction in [0, 1]), up to floating-point noise. */
  public RateAssert isEqualTo(double expected) {
    return check("= ", expected, r -> Math.abs(r - expected) <= TOLERANCE);
  }

  /** Verifies that the rate is 0: no invocation failed (or, for the cold-start rate, none was cold). */
  public RateAssert isZero() {
    return isEqualTo(0.0);
  }

  /** Back to the measurements. */
  public MeasurementsAssert and() {
    return parent;
  }

  private RateAssert check(String operator, double bound, DoublePredicate holds) {
    if (!(bound >= 0 && bound <= 1)) {
      throw new IllegalArgumentException(
          label + " budget must be a fraction in [0, 1] (0.05 for 5%) but was " + bound);
    }
    isNotNull();
    if (!holds.test(actual)) {
      failWithMessage(
          "%s",
          "Expected " + label + " " + operator + Messages.rate(bound) + " but was " + Messages.rate(actual)
              + ": " + counts);
    }
    return this;
  }
}
