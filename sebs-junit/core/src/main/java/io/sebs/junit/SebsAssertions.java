package io.sebs.junit;

import io.sebs.junit.assertions.MeasurementsAssert;

/**
 * Entry point of the performance budgets, in AssertJ style:
 *
 * <pre>{@code
 * import static io.sebs.junit.SebsAssertions.assertThat;
 *
 * @Warm(repetitions = 30)
 * void staysFast(Measurements m) {
 *   assertThat(m).hasNoFailures().hasAtLeast(30)
 *       .clientTime().medianUpperBound().isLessThan(Duration.ofMillis(50))
 *       .and().percentile(95).isLessThan(Duration.ofMillis(120));
 * }
 * }</pre>
 *
 * <h2>Choosing a budget</h2>
 *
 * <p><b>Gate on bounds, not on point estimates.</b> A median measured from 30 noisy invocations is itself
 * a random number: run the test twice and it moves. A gate on {@code median().isLessThan(budget)} passes
 * whenever this run's median happens to land under budget, even when the function's true median is over
 * it. {@code medianUpperBound().isLessThan(budget)} passes only when the whole confidence interval is under
 * budget — the data show, at 95% confidence by default ({@link MeasurementsAssert#withConfidence(double)}),
 * that the true median is. The cost is samples: too few and the bound is wide (or cannot be computed, which
 * fails and says how many are needed).
 *
 * <p><b>Median over mean</b> for latency: serverless times have long tails (cold paths, GC, network), and
 * one outlier drags the mean but not the median. Use the mean when totals matter (billing). Use
 * {@code percentile(95)}/{@code percentile(99)} for tail SLOs, with enough samples (a p99 of 20 values is
 * essentially the maximum).
 *
 * <p><b>Check the run's health first</b> ({@code hasNoFailures()}, {@code hasAtLeast(n)}): time statistics
 * are computed over the successful invocations only, so a budget alone would happily pass on the two
 * invocations that did not time out. A budget on an empty sample fails and quotes the failure reasons.
 *
 * <p>Times are compared in microseconds (the resolution of {@link Invocation}) and reported in
 * milliseconds with three decimals.
 */
public final class SebsAssertions {

  private SebsAssertions() {}

  /** Starts budgets on the measurements a {@link ColdStart}, {@link Warm} or {@link Burst} test received. */
  public static MeasurementsAssert assertThat(Measurements measurements) {
    return new MeasurementsAssert(measurements);
  }

  /** Starts budgets on the memory size a perf-cost sweep recommends ({@code PerfCostResult.recommendation()}). */
  public static io.sebs.junit.assertions.MemoryRecommendationAssert assertThat(
      io.sebs.junit.experiment.perfcost.MemoryRecommendation recommendation) {
    return new io.sebs.junit.assertions.MemoryRecommendationAssert(recommendation);
  }
}
