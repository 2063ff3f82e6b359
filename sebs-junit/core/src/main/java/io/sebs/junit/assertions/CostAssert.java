package io.sebs.junit.assertions;

import io.sebs.junit.Measurements;
import io.sebs.junit.cost.CostSummary;
import org.assertj.core.api.AbstractAssert;

/**
 * Cost budgets on {@link Measurements}, from {@link MeasurementsAssert#cost()}: choose the figure
 * ({@link #perInvocation()}, {@link #perMillionInvocations()}, {@link #total()}) and compare it in USD.
 *
 * <pre>{@code
 * assertThat(m).cost().perMillionInvocations().isLessThan(0.50);
 * }</pre>
 *
 * <p>The cost is that of the successful invocations under the configured provider's prices
 * ({@code sebs.cost.provider}, {@code sebs.cost.architecture}) and the function's memory. Where the
 * platform reports no billed time (the local platform) it is estimated from the function-side time, and a
 * failure message says so.
 */
public final class CostAssert extends AbstractAssert<CostAssert, Measurements> {

  private final MeasurementsAssert parent;

  CostAssert(Measurements actual, MeasurementsAssert parent) {
    super(actual, CostAssert.class);
    this.parent = parent;
  }

  /** The mean cost of one invocation, in USD. */
  public UsdAssert perInvocation() {
    CostSummary cost = summary();
    return Messages.inherit(new UsdAssert(cost.perInvocationUsd(), "cost per invocation", context(cost), parent),
        this);
  }

  /** The mean cost of one invocation times one million, in USD: what a million such calls cost. */
  public UsdAssert perMillionInvocations() {
    CostSummary cost = summary();
    return Messages.inherit(new UsdAssert(cost.perMillionUsd(), "cost per 1M invocations", context(cost), parent),
        this);
  }

  /** What the measured successful invocations cost together, in USD. */
  public UsdAssert total() {
    CostSummary cost = summary();
    return Messages.inherit(new UsdAssert(cost.totalUsd(), "total cost", context(cost), parent), this);
  }

  /** Back to the measurements. */
  public MeasurementsAssert and() {
    return parent;
  }

  private CostSummary summary() {
    isNotNull();
    CostSummary cost = actual.cost().orElse(null);
    if (cost == null) {
      failWithMessage("%s", "Expected a cost but the measurements on " + Messages.where(actual)
          + " are not priced: cost budgets need measurements from @ColdStart, @Warm or @Burst (or a series priced "
          + "with MeasurementSeries.priced)");
    }
    if (cost.n() == 0) {
      failWithMessage("%s", "Expected a cost but no successful invocation was measured on " + Messages.where(actual)
          + " (" + actual.invocations().size() + " invocations)"
          + Messages.suffix("; ", Messages.firstFailures(actual)));
    }
    return cost;
  }

  private String context(CostSummary cost) {
    return "n = " + cost.n() + " successful invocations on " + Messages.where(actual) + "; " + cost.describe();
  }

  /** A budget in USD on one cost figure. */
  public static final class UsdAssert extends AbstractAssert<UsdAssert, Double> {

    private final String label;
    private final String context;
    private final MeasurementsAssert parent;

    UsdAssert(double usd, String label, String context, MeasurementsAssert parent) {
      super(usd, UsdAssert.class);
      this.label = label;
      this.context = context;
      this.parent = parent;
    }

    /** Verifies that the figure is strictly below {@code maximumUsd}. */
    public UsdAssert isLessThan(double maximumUsd) {
      return check("<", maximumUsd, actual < maximumUsd);
    }

    /** Verifies that the figure is at most {@code maximumUsd}. */
    public UsdAssert isLessThanOrEqualTo(double maximumUsd) {
      return check("<=", maximumUsd, actual <= maximumUsd);
    }

    /** Verifies that the figure is strictly above {@code minimumUsd}. */
    public UsdAssert isGreaterThan(double minimumUsd) {
      return check(">", minimumUsd, actual > minimumUsd);
    }

    /** Back to the measurements. */
    public MeasurementsAssert and() {
      return parent;
    }

    private UsdAssert check(String operator, double bound, boolean holds) {
      if (!(bound >= 0) || Double.isInfinite(bound)) {
        throw new IllegalArgumentException(label + " budget must be a finite amount of USD >= 0 but was " + bound);
      }
      if (!holds) {
        failWithMessage("%s", "Expected " + label + " " + operator + " " + CostSummary.usd(bound) + " but was "
            + CostSummary.usd(actual) + " (" + context + ")");
      }
      return this;
    }
  }
}
