package io.sebs.junit.experiment.perfcost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sebs.junit.SebsAssertions;
import io.sebs.junit.TimeMetric;
import io.sebs.junit.experiment.perfcost.MemoryRecommendation.Option;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which memory size a sweep recommends, on a curve shaped like a CPU-bound function on Lambda: doubling memory from
 * 128 to 256 MB halves the time at the same cost, 512 MB still helps, 1024 MB barely does and costs double.
 */
class MemoryRecommendationTest {

  private static final MemoryRecommendation SWEEP = new MemoryRecommendation(RunKind.WARM, TimeMetric.BENCHMARK_TIME,
      List.of(new Option(128, 400, 0.85), new Option(256, 200, 0.85), new Option(512, 110, 0.93),
          new Option(1024, 100, 1.70)));

  @Test
  void theCheapestOfEqualCostsIsTheFasterAndTheFastestIsTheLowestMedian() {
    assertThat(SWEEP.cheapest().memoryMb()).isEqualTo(256);
    assertThat(SWEEP.fastest().memoryMb()).isEqualTo(1024);
  }

  @Test
  void balancedWeighsTimeAgainstCostAndItsEndsAreTheCheapestAndTheFastest() {
    // 0.5 * time / 400 + 0.5 * cost / 1.70: 128 -> 0.75, 256 -> 0.50, 512 -> 0.41, 1024 -> 0.63
    assertThat(SWEEP.balanced().memoryMb()).isEqualTo(512);
    assertThat(SWEEP.balanced(0).memoryMb()).isEqualTo(256);
    assertThat(SWEEP.balanced(1).memoryMb()).isEqualTo(1024);
    assertThatThrownBy(() -> SWEEP.balanced(1.5)).hasMessageContaining("between 0 (cost only) and 1 (time only)");
  }

  @Test
  void ratiosCompareASizeWithTheCheapestAndTheFastest() {
    assertThat(SWEEP.costOverCheapest(512)).isCloseTo(0.93 / 0.85, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(SWEEP.timeOverFastest(256)).isEqualTo(2.0);
    assertThatThrownBy(() -> SWEEP.at(384)).hasMessageContaining("no successful 384 MB series")
        .hasMessageContaining("[128, 256, 512, 1024]");
  }

  @Test
  void aBudgetOnThePickPassesWithinItsMarginAndOtherwiseNamesTheCheapest() {
    SebsAssertions.assertThat(SWEEP).hasCostWithinPercentOfCheapest(512, 10).hasTimeWithinPercentOfFastest(512, 10)
        .picksAsBalanced(512);

    assertThatThrownBy(() -> SebsAssertions.assertThat(SWEEP).hasCostWithinPercentOfCheapest(1024, 10))
        .hasMessageContaining("Expected 1024 MB to cost at most 10.0% more than the cheapest size, but it costs 100.0%"
            + " more")
        .hasMessageContaining("the cheapest 256 MB (200.000 ms");
    assertThatThrownBy(() -> SebsAssertions.assertThat(SWEEP).hasTimeWithinPercentOfFastest(256, 50))
        .hasMessageContaining("it is 100.0% slower");
  }

  @Test
  void aSweepWithoutASuccessfulSizeHasNothingToRecommend() {
    assertThatThrownBy(() -> new MemoryRecommendation(RunKind.COLD, TimeMetric.CLIENT_TIME, List.of()))
        .hasMessageContaining("No memory size of the cold series has a successful invocation");
  }

  @Test
  void theJsonHoldsTheOptionsAndThePicks() {
    assertThat(SWEEP.toJson()).contains("\"type\" : \"warm\"", "\"cheapest\" : 256", "\"fastest\" : 1024",
        "\"balanced\" : 512", "\"per_million_usd\" : 0.93");
  }
}
