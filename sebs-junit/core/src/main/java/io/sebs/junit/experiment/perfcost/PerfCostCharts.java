package io.sebs.junit.experiment.perfcost;

import io.sebs.junit.TimeMetric;
import io.sebs.junit.report.Charts;
import io.sebs.junit.report.Charts.IntervalSeries;
import io.sebs.junit.report.Charts.Series;
import io.sebs.junit.report.Charts.XScale;
import io.sebs.junit.run.ExperimentScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The charts of a perf-cost run, written next to its result files and attached to Allure:
 * {@code perf-cost.client-time.png} and {@code perf-cost.benchmark-time.png} (memory against the median
 * time per pattern, bars = the median's confidence interval, log y when cold and warm are 10 times apart), {@code perf-cost.cost.png} (memory against
 * USD per 1M invocations per pattern) and, per memory size with both patterns measured,
 * {@code perf-cost.cold-vs-warm-<memory>MB.png} (the client-time CDFs of cold and warm, medians marked).
 */
final class PerfCostCharts {

  private PerfCostCharts() {}

  static void write(ExperimentScope scope, PerfCostResult result, double confidence, Charts charts) {
    String title = scope.testName() + ": ";
    String bars = Math.round(confidence * 100) + "% CI of the median";
    for (TimeMetric metric : List.of(TimeMetric.CLIENT_TIME, TimeMetric.BENCHMARK_TIME)) {
      String slug = metric.label().replace(' ', '-');
      scope.writeChart("perf-cost." + slug + ".png", "memory vs median " + metric.label(), () -> {
        List<IntervalSeries> series = timeSeries(result, metric);
        return charts.xyIntervals(title + "median " + metric.label() + " by memory", "memory (MB)",
            "median " + metric.label() + " (ms)", bars, series, XScale.LINEAR, yScale(series));
      });
    }
    scope.writeChart("perf-cost.cost.png", "memory vs cost per 1M invocations",
        () -> charts.xyLine(title + "cost of 1M invocations by memory", "memory (MB)", "USD per 1M invocations",
            costSeries(result), XScale.LINEAR));
    Set<RunKind> kinds = result.points().stream().map(PerfCostPoint::kind).collect(Collectors.toSet());
    if (kinds.contains(RunKind.COLD) && kinds.contains(RunKind.WARM)) {
      for (int memory : result.memorySizes()) {
        double[] cold = clientMillis(result.point(memory, RunKind.COLD));
        double[] warm = clientMillis(result.point(memory, RunKind.WARM));
        if (cold.length == 0 || warm.length == 0) {
          continue; // nothing to compare: every invocation of one pattern failed
        }
        Map<String, double[]> samples = new LinkedHashMap<>();
        samples.put("cold", cold);
        samples.put("warm", warm);
        scope.writeChart("perf-cost.cold-vs-warm-" + memory + "MB.png", "cold vs warm at " + memory + " MB",
            () -> charts.comparison(title + "client time, cold vs warm at " + memory + " MB", samples));
      }
    }
  }

  /**
   * {@code perf-cost.trade-off.png}: every memory size as cost per 1M against median time (the curve Lambda Power
   * Tuning draws), with the cheapest, fastest and balanced picks as points of their own.
   */
  static void writeTradeOff(ExperimentScope scope, MemoryRecommendation recommendation, Charts charts) {
    scope.writeChart("perf-cost.trade-off.png", "cost vs time by memory, with the picks", () -> {
      List<MemoryRecommendation.Option> options = recommendation.options();
      List<Series> series = new ArrayList<>();
      series.add(new Series("memory sizes " + options.stream().map(o -> o.memoryMb() + "").toList() + " MB",
          options.stream().mapToDouble(MemoryRecommendation.Option::perMillionUsd).toArray(),
          options.stream().mapToDouble(MemoryRecommendation.Option::medianMs).toArray()));
      Map<String, MemoryRecommendation.Option> picks = new LinkedHashMap<>();
      picks.put("cheapest", recommendation.cheapest());
      picks.put("fastest", recommendation.fastest());
      picks.put("balanced", recommendation.balanced());
      picks.forEach((name, o) -> series.add(new Series(name + ": " + o.memoryMb() + " MB",
          new double[] {o.perMillionUsd()}, new double[] {o.medianMs()})));
      return charts.xyLine(scope.testName() + ": " + recommendation.kind().sebsName() + ", cost vs median "
          + recommendation.metric().label(), "USD per 1M invocations", "median " + recommendation.metric().label()
          + " (ms)", series, XScale.LINEAR);
    });
  }

  private static List<IntervalSeries> timeSeries(PerfCostResult result, TimeMetric metric) {
    List<IntervalSeries> series = new ArrayList<>();
    for (RunKind kind : kindsOf(result)) {
      Curve c = result.timeCurve(kind, metric);
      series.add(new IntervalSeries(kind.sebsName(), c.x(), c.y(), c.lower(), c.upper()));
    }
    return series;
  }

  /**
   * Log when every value is positive and the medians are 10 times apart or more (cold starts next to warm
   * invocations, which a linear axis would squash onto the x axis).
   */
  static XScale yScale(List<IntervalSeries> series) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (IntervalSeries s : series) {
      double[] y = s.y();
      double[] lower = s.lower();
      for (int i = 0; i < y.length; i++) {
        if (Double.isNaN(y[i])) {
          continue;
        }
        if (!(y[i] > 0) || (!Double.isNaN(lower[i]) && !(lower[i] > 0))) {
          return XScale.LINEAR;
        }
        min = Math.min(min, y[i]);
        max = Math.max(max, y[i]);
      }
    }
    return max >= 10 * min ? XScale.LOG : XScale.LINEAR;
  }

  private static List<Series> costSeries(PerfCostResult result) {
    List<Series> series = new ArrayList<>();
    for (RunKind kind : kindsOf(result)) {
      Curve c = result.costCurve(kind);
      series.add(new Series(kind.sebsName(), c.x(), c.y()));
    }
    return series;
  }

  private static List<RunKind> kindsOf(PerfCostResult result) {
    return result.points().stream().map(PerfCostPoint::kind).distinct().toList();
  }

  private static double[] clientMillis(PerfCostPoint point) {
    return point.series().successful().stream().mapToDouble(i -> i.clientTime().toNanos() / 1e6).toArray();
  }
}
