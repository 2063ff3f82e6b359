package io.sebs.junit.cost;

import io.sebs.junit.Invocation;

/**
 * A cap on what a series may spend: every invocation made (warm-ups, misclassified and failed ones
 * included, since they are billed too) adds its estimated cost, and the series stops once the total
 * reaches the cap. Safe for concurrent invocations.
 */
public final class SpendingLimit {

  private final FunctionPricing pricing;
  private final double maxUsd;
  private double spentUsd;
  private int invocations;

  public SpendingLimit(FunctionPricing pricing, double maxUsd) {
    if (!(maxUsd > 0)) {
      throw new IllegalArgumentException("the maximum cost must be positive (USD), e.g. 0.01, but was " + maxUsd);
    }
    this.pricing = pricing;
    this.maxUsd = maxUsd;
  }

  /** Adds the cost of one invocation made. */
  public synchronized void spent(Invocation invocation) {
    spentUsd += pricing.bill(invocation).costUsd();
    invocations++;
  }

  public synchronized boolean reached() {
    return spentUsd >= maxUsd;
  }

  public synchronized double spentUsd() {
    return spentUsd;
  }

  public double maxUsd() {
    return maxUsd;
  }

  /** The stop reason of a series ended by this cap. */
  public synchronized String reason() {
    return "cost cap reached: estimated spend " + CostSummary.usd(spentUsd) + " >= maxCostUsd "
        + CostSummary.usd(maxUsd) + " after " + invocations + " invocations (" + pricing.model().prices().describe()
        + ", " + pricing.memoryMb() + " MB)";
  }
}
