package io.sebs.junit.cost;

import java.util.Locale;

/**
 * The cost of a series of invocations under one provider's prices.
 *
 * @param n invocations priced
 * @param estimated how many of them were priced from the function-side time (no provider time)
 * @param totalUsd what the n invocations cost together
 * @param perInvocationUsd their mean cost (NaN when n = 0)
 * @param perMillionUsd the mean cost times one million: what a million such invocations would cost
 */
public record CostSummary(PriceTable prices, int memoryMb, int n, int estimated, double totalUsd,
    double perInvocationUsd, double perMillionUsd) {

  /** Whether any invocation's billed time was estimated. */
  public boolean isEstimated() {
    return estimated > 0;
  }

  /** {@code "aws/x86_64 prices of 2026-11-27, 128 MB, billed time estimated from benchmark time for 30 of 30"}. */
  public String describe() {
    return prices.describe() + ", " + memoryMb + " MB, "
        + (estimated == 0 ? "provider-reported billed time"
            : "billed time estimated from benchmark time for " + estimated + " of " + n);
  }

  /** USD with enough significant digits for tiny amounts: {@code $0.000000208}. */
  public static String usd(double value) {
    return "$" + String.format(Locale.ROOT, "%.6g", value);
  }
}
