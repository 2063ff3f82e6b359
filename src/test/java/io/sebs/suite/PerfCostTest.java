package io.sebs.suite;

import static io.sebs.junit.SebsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.TimeMetric;
import io.sebs.junit.experiment.perfcost.Curve;
import io.sebs.junit.experiment.perfcost.MemoryRecommendation;
import io.sebs.junit.experiment.perfcost.PerfCost;
import io.sebs.junit.experiment.perfcost.PerfCostPoint;
import io.sebs.junit.experiment.perfcost.PerfCostResult;
import io.sebs.junit.experiment.perfcost.RunKind;
import org.junit.jupiter.api.Test;

/**
 * SeBS's perf-cost experiment on 110.dynamic-html in Python: the function deployed at 128 and 256 MB, cold,
 * warm and sequential series at each size, with the cost the configured provider (sebs.cost.provider, aws by
 * default) would charge. On the local platform memory limits are opt-in (sebs.local.enforceMemory) and CPU does
 * not scale with memory, so the time curve is about flat while the cost curve grows with memory, and the sweep's
 * recommendation ({@link MemoryRecommendation}) is held to a cost budget.
 */
@ServerlessBenchmark(value = "110.dynamic-html", language = "python")
class PerfCostTest {

  @Test
  void memorySweep(PerfCost perfCost) {
    PerfCostResult result = perfCost.memorySizes(128, 256)
        .kinds(RunKind.COLD, RunKind.WARM, RunKind.SEQUENTIAL)
        .repetitions(4).concurrency(2)
        .run();
    System.out.print(result.describe());

    for (PerfCostPoint p : result.points()) {
      assertThat(p.series()).as("%d MB %s", p.memoryMb(), p.kind()).hasNoFailures().hasAtLeast(4)
          .cost().perMillionInvocations().isLessThan(5.00);
    }
    assertThat(result.point(128, RunKind.COLD).series()).coldStartRate().isEqualTo(1.0);
    assertThat(result.point(256, RunKind.WARM).series()).coldStartRate().isZero();

    Curve time = result.timeCurve(RunKind.WARM, TimeMetric.BENCHMARK_TIME);
    Curve cost = result.costCurve(RunKind.WARM);
    System.out.println(time + "\n" + cost);
    assertThat(time.x()).containsExactly(128, 256);
    for (double usd : cost.y()) {
      assertThat(usd).isGreaterThan(0.20); // above the request price alone ($0.20 per 1M)
    }

    // The pick, as Lambda Power Tuning gives it: here CPU does not scale with memory, so 256 MB buys no speed, and
    // a budget keeps its price near the cheapest: a few ms at $0.0000166667 per GB-s add little to the $0.20 per 1M
    // requests (the cost is a mean of 4 warm calls, so the margin leaves room for one slow call on a busy machine).
    MemoryRecommendation pick = result.recommendation();
    System.out.println(pick.describe());
    assertThat(pick.options()).extracting(MemoryRecommendation.Option::memoryMb).containsExactly(128, 256);
    assertThat(pick).hasCostWithinPercentOfCheapest(256, 50);
  }
}
