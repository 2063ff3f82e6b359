package io.sebs.junit.experiment.perfcost;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.cost.FunctionPricing;
import io.sebs.junit.experiment.Experiment;
import io.sebs.junit.series.MeasurementSeries;
import io.sebs.junit.report.AllureReport;
import io.sebs.junit.report.Charts;
import io.sebs.junit.report.ExperimentRecord;
import io.sebs.junit.report.ResultsWriter;
import io.sebs.junit.run.ExperimentScope;
import io.sebs.junit.run.PreparedFunction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SeBS's perf-cost experiment: how time and cost of a function change with its memory size. For each memory
 * size of the sweep the function is deployed with that memory (a deployment of its own), then each chosen
 * pattern ({@link RunKind}: cold, warm, burst, sequential) runs batches of {@link #concurrency(int)}
 * invocations until {@link #repetitions(int)} samples are measured, the first batch discarded as warm-up and
 * misclassified answers set apart and counted.
 *
 * <pre>{@code
 * @ServerlessBenchmark(value = "110.dynamic-html", language = "python")
 * class PerfCostTest {
 *   @Test
 *   void sweep(PerfCost perfCost) {
 *     PerfCostResult result = perfCost.memorySizes(128, 256).kinds(RunKind.COLD, RunKind.WARM)
 *         .repetitions(10).concurrency(2).run();
 *     Curve cost = result.costCurve(RunKind.WARM);
 *   }
 * }
 * }</pre>
 *
 * <p>Files, in the run's results folder next to the test's other results: per memory size and pattern a
 * SeBS-style JSON and CSV named {@code <Test.method>.<kind>_results_<memory>} (SeBS's file names), with
 * {@code billing} per invocation and the cost in {@code statistics.cost}; {@code <Test.method>.perf-cost.json},
 * the summary (median client and benchmark time with their confidence intervals, cost per invocation and per
 * 1M invocations); {@code <Test.method>.result.csv} with SeBS's perf-cost columns; and the charts of
 * {@code PerfCostCharts} ({@code <Test.method>.perf-cost.*.png}: time and cost against memory, cold vs warm
 * per memory size), also attached to Allure.
 *
 * <p>Cost is what the configured provider ({@code sebs.cost.provider}, default aws; {@code
 * sebs.cost.architecture}, default x86_64) would charge for the measured times at each memory size. On the
 * local platform memory limits are opt-in ({@code sebs.local.enforceMemory}) and CPU does not scale with
 * memory, so times barely change across the sweep while the cost curve grows with memory; the billed times
 * there are estimated from the function-side benchmark time.
 */
public final class PerfCost implements Experiment {

  private final ExperimentScope scope;
  private List<Integer> memorySizes;
  private List<RunKind> kinds = List.of(RunKind.COLD, RunKind.WARM);
  private int repetitions = 10;
  private int concurrency = 1;

  private PerfCost(ExperimentScope scope) {
    this.scope = scope;
    this.memorySizes = List.of(scope.function().spec().memoryMb());
  }

  /** Built by the extension for the test's {@code @ServerlessBenchmark}. */
  public static PerfCost create(ExperimentScope scope) {
    return new PerfCost(scope);
  }

  /** The memory sizes to sweep, in MB (default: the benchmark's memory only). */
  public PerfCost memorySizes(int... sizes) {
    if (sizes.length == 0) {
      throw new IllegalArgumentException("memorySizes needs at least one size in MB, e.g. memorySizes(128, 256)");
    }
    for (int size : sizes) {
      if (size < 1) {
        throw new IllegalArgumentException("memory sizes must be at least 1 MB, got " + size);
      }
    }
    this.memorySizes = Arrays.stream(sizes).distinct().boxed().toList();
    return this;
  }

  /** The patterns to run at each memory size, in this order (default: cold, warm). */
  public PerfCost kinds(RunKind... patterns) {
    if (patterns.length == 0) {
      throw new IllegalArgumentException("kinds needs at least one of " + Arrays.toString(RunKind.values()));
    }
    this.kinds = Arrays.stream(patterns).distinct().toList();
    return this;
  }

  /** Samples measured per memory size and pattern, after the discarded warm-up batch (default 10). */
  public PerfCost repetitions(int samples) {
    if (samples < 1) {
      throw new IllegalArgumentException("repetitions must be at least 1, was " + samples);
    }
    this.repetitions = samples;
    return this;
  }

  /** Invocations released together in one batch, SeBS's concurrent-invocations (default 1). */
  public PerfCost concurrency(int invocations) {
    if (invocations < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, was " + invocations);
    }
    this.concurrency = invocations;
    return this;
  }

  /** Runs the sweep, writes the result files and returns what was measured. */
  public PerfCostResult run() {
    FunctionSpec base = scope.function().spec();
    List<FunctionPricing> pricing = new ArrayList<>();
    for (int memory : memorySizes) {
      pricing.add(scope.run().costModel().forMemory(memory)); // an impossible size fails before deploying
    }
    double confidence = scope.run().config().confidence();
    List<PerfCostPoint> points = new ArrayList<>();
    for (int m = 0; m < memorySizes.size(); m++) {
      int memory = memorySizes.get(m);
      PreparedFunction function = scope.prepare(base.withMemory(memory));
      JsonNode payload = function.invoker().input();
      BatchRunner runner = new BatchRunner(function.invoker(), payload);
      for (RunKind kind : kinds) {
        Instant begin = Instant.now();
        BatchRunner.KindRun run = runner.run(kind, repetitions, concurrency);
        MeasurementSeries series = function.validate(function.withProviderMetrics(run.series()), payload)
            .priced(pricing.get(m));
        PerfCostPoint point = new PerfCostPoint(memory, kind, function.deployed().name(), series, run.discarded(),
            run.batches(), confidence);
        write(function, payload, point, begin, Instant.now());
        points.add(point);
      }
    }
    PerfCostResult result = new PerfCostResult(points);
    scope.writeResult("perf-cost.json", "application/json", result.summaryJson());
    scope.writeResult("result.csv", "text/csv", result.toCsv());
    PerfCostCharts.write(scope, result, confidence, Charts.DEFAULT);
    writeRecommendation(result);
    return result;
  }

  /** The pick and its chart, where some size has a successful invocation (a sweep that all failed has none). */
  private void writeRecommendation(PerfCostResult result) {
    MemoryRecommendation recommendation;
    try {
      recommendation = result.recommendation();
    } catch (IllegalArgumentException nothingToRecommend) {
      return;
    }
    scope.writeResult("perf-cost.recommendation.json", "application/json", recommendation.toJson());
    PerfCostCharts.writeTradeOff(scope, recommendation, Charts.DEFAULT);
    System.out.println("[sebs] " + scope.testName() + " memory recommendation, " + recommendation.describe());
  }

  private void write(PreparedFunction function, JsonNode payload, PerfCostPoint point, Instant begin, Instant end) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("experiment", "perf-cost");
    settings.put("type", point.kind().sebsName());
    settings.put("memory", point.memoryMb());
    settings.put("repetitions", repetitions);
    settings.put("concurrent_invocations", point.kind() == RunKind.SEQUENTIAL ? 1 : concurrency);
    settings.put("batches", point.batches());
    settings.put("discarded_warmup", point.discarded());
    settings.put("samples_generated", point.series().invocations().size());
    settings.put("failures_count", point.series().failures().size());
    settings.put("incorrect_count", point.misclassifiedCount());
    settings.put("cold_count", point.coldCount());
    String name = scope.testName() + "." + point.kind().sebsName() + "_results_" + point.memoryMb();
    ResultsWriter.Written written = scope.run().results().write(new ExperimentRecord(name, scope.testId(),
        scope.run().platform().name(), function.spec(), function.deployed().name(), function.deployed().codeHash(),
        payload, settings, begin, end, point.series()));
    AllureReport.attach(point.kind().sebsName() + "_results_" + point.memoryMb() + ".json", "application/json", "json",
        written.json()); // the file, read only when Allure is listening
  }
}
