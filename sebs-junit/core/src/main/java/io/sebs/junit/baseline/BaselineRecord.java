package io.sebs.junit.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.TimeMetric;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One measured test of an earlier run, as its results JSON recorded it (written by
 * {@link io.sebs.junit.report.ResultsWriter}): which test, where, with what configuration, and the
 * samples of each time metric over its successful invocations, in microseconds.
 *
 * @param name the test, {@code Class.method}
 * @param testId the JUnit unique id
 * @param platform e.g. {@code local}
 * @param benchmark e.g. {@code 110.dynamic-html}
 * @param language e.g. {@code python}
 * @param size {@code test}, {@code small} or {@code large}
 * @param memoryMb the function's memory
 * @param source the results file
 * @param samples per metric, microseconds, successful invocations only (a metric no invocation reported
 *     is absent)
 * @param runs how many runs' records were pooled into this one (1 for a single run's record; see
 *     {@link #pooled})
 */
public record BaselineRecord(
    String name,
    String testId,
    String platform,
    String benchmark,
    String language,
    String size,
    int memoryMb,
    Path source,
    Map<TimeMetric, double[]> samples,
    int runs) {

  /** Copies the samples, so the record cannot change afterwards. */
  public BaselineRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(platform, "platform");
    if (runs < 1) {
      throw new IllegalArgumentException("a baseline record comes from at least 1 run, but runs was " + runs);
    }
    EnumMap<TimeMetric, double[]> copy = new EnumMap<>(TimeMetric.class);
    samples.forEach((metric, values) -> copy.put(metric, values.clone()));
    samples = Collections.unmodifiableMap(copy);
  }

  /** The record of one run. */
  public BaselineRecord(String name, String testId, String platform, String benchmark, String language, String size,
      int memoryMb, Path source, Map<TimeMetric, double[]> samples) {
    this(name, testId, platform, benchmark, language, size, memoryMb, source, samples, 1);
  }

  /**
   * One record holding the samples of {@code newest} and of {@code earlier} records of the same test, so
   * that the baseline's spread includes the run-to-run noise (another runner, another load) and not only
   * the noise within one run. Name, configuration and source are the newest's; records measured with a
   * different configuration ({@link #differencesFrom}) must be left out by the caller.
   */
  public static BaselineRecord pooled(BaselineRecord newest, List<BaselineRecord> earlier) {
    Map<TimeMetric, double[]> samples = new EnumMap<>(TimeMetric.class);
    int runs = newest.runs;
    for (TimeMetric metric : TimeMetric.values()) {
      double[] all = newest.samples(metric);
      for (BaselineRecord other : earlier) {
        double[] more = other.samples(metric);
        double[] joined = java.util.Arrays.copyOf(all, all.length + more.length);
        System.arraycopy(more, 0, joined, all.length, more.length);
        all = joined;
      }
      if (all.length > 0) {
        samples.put(metric, all);
      }
    }
    for (BaselineRecord other : earlier) {
      runs += other.runs;
    }
    return new BaselineRecord(newest.name, newest.testId, newest.platform, newest.benchmark, newest.language,
        newest.size, newest.memoryMb, newest.source, samples, runs);
  }

  /**
   * Where the samples come from, as messages quote it: the results file, and for a pooled record how many
   * runs were pooled.
   */
  public String describeSource() {
    return runs == 1 ? source.toString() : source + " pooled with " + (runs - 1) + " earlier run(s)";
  }

  /** The samples of {@code metric} in microseconds (a fresh copy), empty when the baseline has none. */
  public double[] samples(TimeMetric metric) {
    double[] values = samples.get(metric);
    return values == null ? new double[0] : values.clone();
  }

  /** Where the JSON of a result file keeps each metric of an invocation. */
  static String[] path(TimeMetric metric) {
    return switch (metric) {
      case CLIENT_TIME -> new String[] {"times", "client"};
      case BENCHMARK_TIME -> new String[] {"times", "benchmark"};
      case INIT_TIME -> new String[] {"times", "initialization"};
      case PROVIDER_TIME -> new String[] {"provider_times", "execution"};
      case CRITICAL_PATH -> new String[] {"times", "critical_path"};
      case OVERHEAD -> new String[] {"times", "overhead"};
    };
  }

  /**
   * Reads a record from the JSON of a results file: {@code _invocations.<function>.<request id>} with
   * {@code times} (microseconds) and {@code stats.failure}; failed invocations are left out.
   */
  static BaselineRecord of(JsonNode root, Path source) {
    Map<TimeMetric, List<Double>> values = new EnumMap<>(TimeMetric.class);
    for (JsonNode function : iterable(root.path("_invocations"))) {
      for (JsonNode invocation : iterable(function)) {
        if (invocation.path("stats").path("failure").asBoolean(false)) {
          continue;
        }
        for (TimeMetric metric : TimeMetric.values()) {
          String[] path = path(metric);
          JsonNode value = invocation.path(path[0]).path(path[1]);
          if (value.isNumber()) {
            values.computeIfAbsent(metric, m -> new ArrayList<>()).add(value.asDouble());
          }
        }
      }
    }
    Map<TimeMetric, double[]> samples = new EnumMap<>(TimeMetric.class);
    values.forEach((metric, list) -> samples.put(metric, list.stream().mapToDouble(Double::doubleValue).toArray()));
    return new BaselineRecord(root.path("name").asText(), root.path("test_id").asText(""),
        root.path("platform").asText(""), root.path("benchmark").asText(""), root.path("language").asText(""),
        root.path("size").asText(""), root.path("memory").asInt(0), source, samples);
  }

  /**
   * How this record's configuration differs from the current test's (benchmark, language, size,
   * memory), e.g. {@code ["memory 256 MB (now 128 MB)"]}; empty when they agree.
   */
  public List<String> differencesFrom(String benchmark, String language, String size, int memoryMb) {
    List<String> differences = new ArrayList<>();
    if (!this.benchmark.equals(benchmark)) {
      differences.add("benchmark " + this.benchmark + " (now " + benchmark + ")");
    }
    if (!this.language.equals(language)) {
      differences.add("language " + this.language + " (now " + language + ")");
    }
    if (!this.size.equals(size)) {
      differences.add("size " + this.size + " (now " + size + ")");
    }
    if (this.memoryMb != memoryMb) {
      differences.add("memory " + this.memoryMb + " MB (now " + memoryMb + " MB)");
    }
    return differences;
  }

  private static Iterable<JsonNode> iterable(JsonNode node) {
    return node::elements;
  }
}
