package io.sebs.junit.perf;

import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.experiment.perfcost.MemoryRecommendation;
import io.sebs.junit.experiment.perfcost.PerfCost;
import io.sebs.junit.experiment.perfcost.PerfCostResult;
import io.sebs.junit.experiment.perfcost.RunKind;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.ExperimentScope;
import io.sebs.junit.run.PreparedFunction;
import java.util.Arrays;
import java.util.Locale;

/**
 * The memory recommendation's figures (issue 16): SeBS's perf-cost sweep of 110.dynamic-html in Python, warm, over
 * {@code sebs.perf.sweepMemory} (default 128, 256, 512 MB) with {@code sebs.perf.sweepRepetitions} (default 10)
 * invocations per size, on the run's platform ({@code sebs.platform}, local unless given), as a {@code PerfCost}
 * test runs it; then what {@link MemoryRecommendation} picks (cheapest, fastest, balanced), each size's cost over the
 * cheapest and time over the fastest, ratios from the same sweep. On the local platform CPU does not scale with
 * memory, so the time stays about flat and the cheapest size wins; on docker, whose CPU share grows with memory as
 * Lambda's does, the curve is a real trade-off.
 *
 * <p>Run alone: the README's harness command with {@code io.sebs.junit.perf.MemoryRecommendationFigures} in place of
 * HarnessOverheadBenchmark; {@link HarnessOverheadBenchmark} prints it after its own figures.
 */
public final class MemoryRecommendationFigures {

  private MemoryRecommendationFigures() {}

  public static void main(String[] args) {
    try (BenchmarkRun run = new BenchmarkRun(SebsConfig.fromSystemProperties())) {
      print(run);
    }
  }

  /** Sweeps in {@code run} and prints the figures; returns the recommendation. */
  public static MemoryRecommendation print(BenchmarkRun run) {
    int[] sizes = Arrays.stream(System.getProperty("sebs.perf.sweepMemory", "128,256,512").split(","))
        .map(String::trim).mapToInt(Integer::parseInt).toArray();
    int repetitions = Integer.getInteger("sebs.perf.sweepRepetitions", 10);
    PreparedFunction function = run.prepare(run.spec("110.dynamic-html", "python", "", "test", sizes[0], 0));
    ExperimentScope scope = new ExperimentScope(run, function, "MemoryRecommendationFigures.sweep", "figures");
    PerfCostResult result = PerfCost.create(scope).memorySizes(sizes).kinds(RunKind.WARM).repetitions(repetitions)
        .run();
    MemoryRecommendation pick = result.recommendation(); // what the report and a budget assertion see
    String platform = run.platform().name();
    System.out.println("-- memory recommendation: 110.dynamic-html python, warm, " + repetitions + " per size, on "
        + platform + " (" + run.costModel() + ")");
    for (MemoryRecommendation.Option o : pick.options()) {
      System.out.printf(Locale.ROOT, "recommendation_%dmb: median " + pick.metric().label() + " %.3f ms, $%.4f per 1M, cost_over_cheapest=%.3f,"
          + " time_over_fastest=%.3f%n", o.memoryMb(), o.medianMs(), o.perMillionUsd(),
          pick.costOverCheapest(o.memoryMb()), pick.timeOverFastest(o.memoryMb()));
    }
    System.out.printf(Locale.ROOT, "recommendation_cheapest_mb=%d recommendation_fastest_mb=%d"
        + " recommendation_balanced_mb=%d (time weight %.1f)%n", pick.cheapest().memoryMb(),
        pick.fastest().memoryMb(), pick.balanced().memoryMb(), MemoryRecommendation.DEFAULT_TIME_WEIGHT);
    System.out.println("results: " + run.results().directory());
    return pick;
  }
}
