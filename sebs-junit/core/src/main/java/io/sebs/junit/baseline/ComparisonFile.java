package io.sebs.junit.baseline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.TimeMetric;
import io.sebs.junit.report.AllureReport;
import io.sebs.junit.report.ChartFile;
import io.sebs.junit.report.Charts;
import io.sebs.junit.stats.ConfidenceInterval;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a test's baseline comparisons to {@code <Test.method>.baseline.json} next to its results
 * ({@code <Test.method>.json}) in the run's folder, rewriting it with every verdict so far, and attaches it
 * to the Allure test case, and with each verdict the chart {@link #chart(TimeMetric)}: the empirical CDFs of
 * the baseline's and this run's samples with their medians marked, in milliseconds. Times in the JSON are in
 * microseconds, like the results.
 *
 * <pre>{@code
 * {"name": "EchoTest.warm", "baseline": "<path of the baseline's results JSON>", "comparisons": [
 *   {"metric": "client_time", "verdict": "fail", "reason": "...", "tolerance": 0.1, "confidence": 0.95,
 *    "threshold": 812.3, "n_current": 30, "n_baseline": 30, "median_current": ..., "median_baseline": ...,
 *    "shift": 3012.5, "shift_ci": [2800.0, 3300.1], "relative_change": 0.37, "relative_change_ci": [...],
 *    "ci_method": "Hodges-Lehmann/Moses", "ci_ranks": "exact", "u": 880.0, "p_value": 1.2e-9,
 *    "p_method": "exact"}]}
 * }</pre>
 */
public final class ComparisonFile implements ComparisonLog {

  private static final Charts CHARTS = Charts.DEFAULT;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path file;
  private final String name;
  private final String baseline;
  private final List<GateVerdict> verdicts = new ArrayList<>();

  /**
   * @param directory the run's results folder
   * @param testName {@code Class.method}, the stem of the test's result files
   * @param baseline the baseline's results file, recorded in the JSON
   */
  public ComparisonFile(Path directory, String testName, String baseline) {
    this.file = directory.resolve(testName.replaceAll("[^A-Za-z0-9._\\[\\]-]", "_") + ".baseline.json");
    this.name = testName;
    this.baseline = baseline;
  }

  /** The file written. */
  public Path file() {
    return file;
  }

  @Override
  public synchronized void record(GateVerdict verdict) {
    verdicts.add(verdict);
    ObjectNode root = JSON.createObjectNode();
    root.put("name", name);
    root.put("baseline", baseline);
    ArrayNode comparisons = root.putArray("comparisons");
    verdicts.forEach(v -> comparisons.add(toJson(v)));
    try {
      String text = JSON.writeValueAsString(root);
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
      AllureReport.attach("baseline comparison (" + verdict.metric().label() + ")", "application/json", "json", text);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the baseline comparison to " + file, e);
    }
    writeChart(verdict);
  }

  /**
   * The chart of one metric's comparison, {@code <Test.method>.baseline.<metric>.png} (e.g.
   * {@code baseline.client-time.png}) next to the comparison file.
   */
  public Path chart(TimeMetric metric) {
    String stem = file.getFileName().toString();
    return file.resolveSibling(stem.substring(0, stem.length() - ".json".length()) + "."
        + metric.label().replace(' ', '-') + ".png");
  }

  /** Baseline and current CDFs with their medians, after the JSON is written; a failure is only logged. */
  private void writeChart(GateVerdict verdict) {
    if (verdict.baselineSamples().length == 0 || verdict.currentSamples().length == 0) {
      return; // nothing to compare
    }
    Map<String, double[]> samples = new LinkedHashMap<>();
    samples.put("baseline", millis(verdict.baselineSamples()));
    samples.put("current", millis(verdict.currentSamples()));
    String name = "baseline vs current (" + verdict.metric().label() + ")";
    ChartFile chart = ChartFile.write(name, chart(verdict.metric()), () -> CHARTS.comparison(
        this.name + ": " + verdict.metric().label() + " against the baseline, verdict " + verdict.outcome().label(),
        samples));
    chart.png().ifPresent(png -> AllureReport.attach(name, "image/png", "png", png));
  }

  private static double[] millis(double[] micros) {
    return Arrays.stream(micros).map(us -> us / 1000).toArray();
  }

  static ObjectNode toJson(GateVerdict v) {
    ObjectNode node = JSON.createObjectNode();
    node.put("metric", v.metric().name().toLowerCase(Locale.ROOT));
    node.put("verdict", v.outcome().label());
    node.put("reason", v.reason());
    node.put("tolerance", v.tolerance());
    node.put("confidence", v.confidence());
    node.put("threshold", v.threshold());
    node.put("n_current", v.currentSize());
    node.put("n_baseline", v.baselineSize());
    node.put("median_current", v.currentMedian());
    node.put("median_baseline", v.baselineMedian());
    node.put("baseline_source", v.baselineSource());
    v.shift().ifPresent(s -> {
      node.put("shift", s.estimate());
      interval(node.putArray("shift_ci"), s.interval());
      node.put("relative_change", s.relativeChange());
      interval(node.putArray("relative_change_ci"), s.relativeInterval());
      node.put("ci_method", s.interval().method());
      node.put("ci_ranks", s.exact() ? "exact" : "normal approximation");
      node.put("ci_rank_lower", s.lowerRank());
      node.put("ci_rank_upper", s.upperRank());
    });
    v.test().ifPresent(t -> {
      node.put("u", t.statistic());
      node.put("p_value", t.pValue());
      node.put("p_method", t.method().label());
      node.put("ties", t.tied());
    });
    return node;
  }

  private static void interval(ArrayNode array, ConfidenceInterval ci) {
    array.add(ci.lower()).add(ci.upper());
  }
}
