package io.sebs.junit.report;

import io.sebs.junit.FunctionRecord;
import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.WorkflowRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The charts of a measured workflow series: the timeline of its median run (each function execution a
 * bar, cold, warm or failed) and the distribution of the orchestration overhead over its runs.
 */
public final class WorkflowCharts {

  private final Charts charts;

  public WorkflowCharts(Charts charts) {
    this.charts = charts;
  }

  /**
   * Renders {@code <stem>.timeline.png} and {@code <stem>.overhead-histogram.png} into {@code directory}
   * when the series holds successful workflow runs; nothing otherwise.
   */
  public MeasurementCharts.Rendered render(String title, Measurements measurements, java.nio.file.Path directory,
      String stem) {
    long start = System.nanoTime();
    List<MeasurementCharts.Chart> done = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    List<WorkflowRun> runs = measurements.successful().stream().filter(WorkflowRun.class::isInstance)
        .map(WorkflowRun.class::cast).toList();
    if (!runs.isEmpty()) {
      WorkflowRun median = runs.stream().sorted(Comparator.comparing(Invocation::clientTime)).toList()
          .get((runs.size() - 1) / 2);
      MeasurementCharts.attempt(done, failures, "timeline", directory.resolve(stem + ".timeline.png"),
          () -> charts.timeline(title + ": the median run (" + Math.round(median.clientTime().toNanos() / 1e6)
              + " ms end to end)", bars(median)));
      double[] overheadMs = runs.stream().mapToDouble(r -> r.overhead().toNanos() / 1e6).toArray();
      MeasurementCharts.attempt(done, failures, "overhead histogram",
          directory.resolve(stem + ".overhead-histogram.png"),
          () -> charts.histogram(title + ": orchestration overhead", "overhead", overheadMs));
    }
    return new MeasurementCharts.Rendered(done, Duration.ofNanos(System.nanoTime() - start), failures);
  }

  /** One bar per function execution in start order, from the run's start on the client. */
  static List<Charts.TimelineBar> bars(WorkflowRun run) {
    Instant origin = run.clientBegin();
    List<Charts.TimelineBar> bars = new ArrayList<>();
    for (FunctionRecord f : run.functions()) {
      String kind = f.failed() ? "failed" : f.isCold() ? "cold" : "warm";
      bars.add(new Charts.TimelineBar(f.name() + " (" + f.state() + ")", millis(origin, f.begin()),
          millis(origin, f.end()), kind));
    }
    return bars;
  }

  private static double millis(Instant origin, Instant t) {
    return Duration.between(origin, t).toNanos() / 1e6;
  }
}
