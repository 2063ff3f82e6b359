package io.sebs.junit.assertions;

import io.sebs.junit.experiment.perfcost.MemoryRecommendation;
import java.util.Locale;
import org.assertj.core.api.AbstractAssert;

/**
 * Budgets on a memory sweep's pick ({@link MemoryRecommendation}), from {@code SebsAssertions.assertThat}:
 *
 * <pre>{@code
 * MemoryRecommendation pick = perfCost.memorySizes(128, 256, 512).run().recommendation();
 * assertThat(pick).hasCostWithinPercentOfCheapest(256, 10)   // 256 MB costs at most 10% more than the cheapest
 *     .hasTimeWithinPercentOfFastest(256, 25);               // and is at most 25% slower than the fastest
 * }</pre>
 *
 * <p>A failure names the size, its cost or time, the cheapest or fastest size, and every option measured.
 */
public final class MemoryRecommendationAssert extends AbstractAssert<MemoryRecommendationAssert, MemoryRecommendation> {

  public MemoryRecommendationAssert(MemoryRecommendation actual) {
    super(actual, MemoryRecommendationAssert.class);
  }

  /** The cost per 1M invocations at {@code memoryMb} is at most {@code percent}% above the cheapest size's. */
  public MemoryRecommendationAssert hasCostWithinPercentOfCheapest(int memoryMb, double percent) {
    isNotNull();
    double ratio = actual.costOverCheapest(memoryMb);
    if (ratio > 1 + percent / 100) {
      failWithMessage("%s", String.format(Locale.ROOT, "Expected %d MB to cost at most %.1f%% more than the cheapest"
          + " size, but it costs %.1f%% more: %s against the cheapest %s (%s)", memoryMb, percent, (ratio - 1) * 100,
          actual.at(memoryMb), actual.cheapest(), actual.describe()));
    }
    return this;
  }

  /** The median time at {@code memoryMb} is at most {@code percent}% above the fastest size's. */
  public MemoryRecommendationAssert hasTimeWithinPercentOfFastest(int memoryMb, double percent) {
    isNotNull();
    double ratio = actual.timeOverFastest(memoryMb);
    if (ratio > 1 + percent / 100) {
      failWithMessage("%s", String.format(Locale.ROOT, "Expected %d MB to be at most %.1f%% slower than the fastest"
          + " size, but it is %.1f%% slower: %s against the fastest %s (%s)", memoryMb, percent, (ratio - 1) * 100,
          actual.at(memoryMb), actual.fastest(), actual.describe()));
    }
    return this;
  }

  /** The balanced pick (time and cost weighted alike) is {@code memoryMb}. */
  public MemoryRecommendationAssert picksAsBalanced(int memoryMb) {
    isNotNull();
    if (actual.balanced().memoryMb() != memoryMb) {
      failWithMessage("%s", "Expected the balanced pick to be " + memoryMb + " MB but it is " + actual.balanced()
          + " (" + actual.describe() + ")");
    }
    return this;
  }
}
