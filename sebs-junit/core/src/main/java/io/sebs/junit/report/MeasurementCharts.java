package io.sebs.junit.report;

import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The charts every measured test gets, written next to its results files and returned for Allure: a
 * latency CDF of client time (overlaid with benchmark time, medians marked, when the function reported
 * one: {@link Charts#comparison}) and a histogram of each. Charts are a view of results already on disk, so rendering never fails a test: a chart that
 * cannot be drawn or written is logged, named in {@link Rendered#failures()}, and the others still come.
 */
public final class MeasurementCharts {

  private static final Logger LOG = Logger.getLogger(MeasurementCharts.class.getName());

  private final Charts charts;

  public MeasurementCharts(Charts charts) {
    this.charts = charts;
  }

  /** One rendered chart: its attachment name, the PNG file written, and the bytes. */
  public record Chart(String name, Path file, byte[] png) {}

  /** What {@link #render} produced, how long it took, and which charts failed (with the reason). */
  public record Rendered(List<Chart> charts, Duration renderTime, List<String> failures) {
    public Rendered {
      charts = List.copyOf(charts);
      failures = List.copyOf(failures);
    }
  }

  /**
   * Renders the charts of one measured test from its successful invocations and writes each as
   * {@code <stem>.<chart>.png} in {@code directory} (the stem of the test's results files). Nothing is
   * drawn when no invocation succeeded.
   *
   * @param title the test's name, used in chart titles
   */
  public Rendered render(String title, Measurements measurements, Path directory, String stem) {
    long start = System.nanoTime();
    List<Chart> done = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    List<Invocation> successful = measurements.successful();
    if (!successful.isEmpty()) {
      double[] client = millis(successful, false);
      double[] benchmark = millis(successful, true);
      boolean hasBenchmark = java.util.Arrays.stream(benchmark).anyMatch(v -> v > 0);
      String kind = measurements.kind().name().toLowerCase(Locale.ROOT);
      Map<String, double[]> cdf = new LinkedHashMap<>();
      cdf.put("client time", client);
      if (hasBenchmark) {
        cdf.put("benchmark time", benchmark);
      }
      // With both times: overlaid CDFs with medians marked, on a log axis when they are 10x apart (a warm
      // Python function spends ~0.2 ms in the benchmark and ~3 ms end to end).
      attempt(done, failures, "latency CDF", directory.resolve(stem + ".latency-cdf.png"),
          () -> cdf.size() > 1 ? charts.comparison(title + " (" + kind + ")", cdf)
              : charts.latencyCdf(title + " (" + kind + ")", cdf));
      attempt(done, failures, "client time histogram", directory.resolve(stem + ".client-time-histogram.png"),
          () -> charts.histogram(title + ": client time (" + kind + ")", "client time", client));
      if (hasBenchmark) {
        attempt(done, failures, "benchmark time histogram",
            directory.resolve(stem + ".benchmark-time-histogram.png"),
            () -> charts.histogram(title + ": benchmark time (" + kind + ")", "benchmark time", benchmark));
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    LOG.fine(() -> "Rendered " + done.size() + " charts of " + title + " in " + took.toMillis() + " ms");
    return new Rendered(done, took, failures);
  }

  /** Renders one chart into {@code file}: a success joins {@code done}, a failure (never thrown) {@code failures}. */
  static void attempt(List<Chart> done, List<String> failures, String name, Path file,
      ChartFile.Render render) {
    ChartFile chart = ChartFile.write(name, file, render);
    chart.png().ifPresentOrElse(png -> done.add(new Chart(name, file, png)),
        () -> failures.add(name + ": " + chart.failure().orElse("unknown")));
  }

  private static double[] millis(List<Invocation> invocations, boolean benchmark) {
    return invocations.stream()
        .mapToDouble(i -> (benchmark ? i.benchmarkTime() : i.clientTime()).toNanos() / 1e6)
        .toArray();
  }
}
