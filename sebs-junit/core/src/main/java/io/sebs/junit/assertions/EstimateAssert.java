package io.sebs.junit.assertions;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoublePredicate;
import org.assertj.core.api.AbstractAssert;

/**
 * A budget on one number computed from a sample of times: a point estimate ({@link TimeAssert#median()},
 * {@link TimeAssert#percentile(double) p95}, ...) or a confidence bound ({@link TimeAssert#medianUpperBound()},
 * ...). The value under test is a {@link Duration}; {@link #actual()} returns it (null when it could not be
 * computed, e.g. on an empty sample).
 *
 * <p>Comparisons are strict where their names say so and chain:
 *
 * <pre>{@code
 * assertThat(m).clientTime().median().isBetween(ofMillis(5), ofMillis(50))
 *     .and().percentile(99).isLessThan(ofMillis(200));
 * }</pre>
 *
 * <p>A failure names the metric and statistic, the observed value in milliseconds, its confidence interval
 * when one can be computed, the sample size and where it was measured, and the budget, e.g. {@code Expected
 * client time median < 50.000 ms but was 53.214 ms (95% CI [50.102, 56.003] ms, Le Boudec; n=50 successful
 * of 50 invocations on local/sebs-110-dynamic-html-python)}. When the value cannot be computed (no
 * successful invocation, too few samples for an interval) every comparison fails and says why.
 */
public final class EstimateAssert extends AbstractAssert<EstimateAssert, Duration> {

  private final String label;
  private final double micros;
  private final String context;
  private final String unavailable;
  private final TimeAssert parent;

  private EstimateAssert(
      String label, double micros, String context, String unavailable, TimeAssert parent) {
    super(unavailable == null ? Messages.duration(micros) : null, EstimateAssert.class);
    this.label = label;
    this.micros = micros;
    this.context = context;
    this.unavailable = unavailable;
    this.parent = parent;
  }

  /** An estimate with a value (in microseconds) and its context, e.g. "95% CI [..] ms, Le Boudec; n=50 ...". */
  static EstimateAssert of(String label, double micros, String context, TimeAssert parent) {
    return Messages.inherit(new EstimateAssert(label, micros, context, null, parent), parent);
  }

  /** An estimate that could not be computed, and why (completes "Expected ... but {why}"). */
  static EstimateAssert unavailable(String label, String why, TimeAssert parent) {
    return Messages.inherit(new EstimateAssert(label, Double.NaN, "", why, parent), parent);
  }

  /** Verifies that the value is strictly below the budget. */
  public EstimateAssert isLessThan(Duration budget) {
    return check("< " + ms(budget), budget, v -> v < Messages.micros(budget));
  }

  /** Verifies that the value is at most the budget. */
  public EstimateAssert isLessThanOrEqualTo(Duration budget) {
    return check("<= " + ms(budget), budget, v -> v <= Messages.micros(budget));
  }

  /** Verifies that the value is strictly above the given duration (e.g. a sanity floor). */
  public EstimateAssert isGreaterThan(Duration floor) {
    return check("> " + ms(floor), floor, v -> v > Messages.micros(floor));
  }

  /** Verifies that the value is at least the given duration. */
  public EstimateAssert isGreaterThanOrEqualTo(Duration floor) {
    return check(">= " + ms(floor), floor, v -> v >= Messages.micros(floor));
  }

  /** Verifies that {@code low <= value <= high} (both ends included). */
  public EstimateAssert isBetween(Duration low, Duration high) {
    Objects.requireNonNull(low, "low");
    Objects.requireNonNull(high, "high");
    if (low.compareTo(high) > 0) {
      throw new IllegalArgumentException("low " + ms(low) + " is greater than high " + ms(high));
    }
    return check(
        "between " + Messages.ms(low) + " and " + ms(high),
        low,
        v -> v >= Messages.micros(low) && v <= Messages.micros(high));
  }

  /** Back to the times this estimate came from, for more budgets on the same metric. */
  public TimeAssert and() {
    return parent;
  }

  private EstimateAssert check(String expectation, Duration bound, DoublePredicate holds) {
    Objects.requireNonNull(bound, "budget");
    if (unavailable != null) {
      failWithMessage("%s", "Expected " + label + " " + expectation + " but " + unavailable);
    }
    if (!holds.test(micros)) {
      failWithMessage(
          "%s",
          "Expected " + label + " " + expectation + " but was " + Messages.ms(micros) + " ms (" + context + ")");
    }
    return this;
  }

  private static String ms(Duration duration) {
    return Messages.ms(Objects.requireNonNull(duration, "budget")) + " ms";
  }
}
