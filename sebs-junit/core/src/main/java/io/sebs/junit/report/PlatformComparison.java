package io.sebs.junit.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The same measured tests on several platforms, side by side: per test, each platform's sample count,
 * median and the median's confidence interval, for client time and benchmark time. Read from the result
 * files the platforms' runs already wrote ({@code <run>/<platform>/<Test>.<method>.json}), so the comparison
 * is a view of data on disk and can be redrawn later:
 * {@code java -cp ... io.sebs.junit.report.PlatformComparison reports/results/<run>}.
 *
 * <p>Writes {@code comparison.md} (one table per metric, one column per platform, and each platform's
 * median as a ratio to the first platform's) and one chart per metric ({@code comparison.client-time.png},
 * {@code comparison.benchmark-time.png}: medians with their intervals, grouped by test).
 */
public final class PlatformComparison {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final String MARKDOWN_FILE = "comparison.md";

  /** The metrics compared, as named in the results' {@code statistics}. */
  public enum Metric {
    CLIENT_TIME("client_time", "client time", "client-time"),
    BENCHMARK_TIME("benchmark_time", "benchmark time", "benchmark-time");

    private final String key;
    private final String title;
    private final String file;

    Metric(String key, String title, String file) {
      this.key = key;
      this.title = title;
      this.file = file;
    }
  }

  /**
   * One metric of one test on one platform, in microseconds.
   *
   * @param lower the median's confidence interval, NaN when the sample is too small for one
   */
  public record Estimate(int n, double median, double lower, double upper) {

    /** Whether the sample was large enough for a distribution-free interval of the median. */
    public boolean hasInterval() {
      return !Double.isNaN(lower) && !Double.isNaN(upper);
    }
  }

  /** One test's results on one platform: successful out of all invocations, and its estimates. */
  public record Entry(int successful, int invocations, Map<Metric, Estimate> estimates) {}

  private final List<String> platforms;
  private final double confidence;
  /** Test (results file base name) to platform to entry, tests sorted by name. */
  private final Map<String, Map<String, Entry>> tests;

  private PlatformComparison(List<String> platforms, double confidence, Map<String, Map<String, Entry>> tests) {
    this.platforms = List.copyOf(platforms);
    this.confidence = confidence;
    this.tests = tests;
  }

  /**
   * Reads the measured tests' results of each platform.
   *
   * @param platformFolders platform name to the folder its run wrote, in the order to show them
   * @throws IllegalArgumentException with fewer than two platforms, or a folder that does not exist
   */
  public static PlatformComparison read(Map<String, Path> platformFolders) {
    if (platformFolders.size() < 2) {
      throw new IllegalArgumentException("A comparison needs at least two platforms, got " + platformFolders.keySet()
          + ": run with -Dsebs.platform=<a>,<b>");
    }
    Map<String, Map<String, Entry>> tests = new TreeMap<>();
    double confidence = Double.NaN;
    for (Map.Entry<String, Path> platform : platformFolders.entrySet()) {
      Path folder = platform.getValue();
      if (!Files.isDirectory(folder)) {
        continue; // a platform whose tests were all skipped wrote nothing: its columns stay empty
      }
      for (Path file : resultFiles(folder)) {
        JsonNode root = readJson(file);
        JsonNode stats = root.path("statistics");
        if (!root.has("_invocations") || !stats.isObject()) {
          continue; // not a measured test's results (a gate report, an experiment's own file)
        }
        Map<Metric, Estimate> estimates = new LinkedHashMap<>();
        for (Metric metric : Metric.values()) {
          estimate(stats.path(metric.key)).ifPresent(e -> estimates.put(metric, e));
        }
        String name = file.getFileName().toString();
        name = name.substring(0, name.length() - ".json".length());
        tests.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(platform.getKey(),
            new Entry(stats.path("successful").asInt(0), stats.path("invocations").asInt(0), estimates));
        if (Double.isNaN(confidence) && stats.path("confidence").isNumber()) {
          confidence = stats.path("confidence").asDouble();
        }
      }
    }
    return new PlatformComparison(List.copyOf(platformFolders.keySet()), confidence, tests);
  }

  /**
   * Reads a side-by-side run's folder: each sub-folder whose results name it as their platform is one
   * platform's results, in name order.
   */
  public static PlatformComparison readRun(Path runFolder) {
    Map<String, Path> folders = new LinkedHashMap<>();
    try (Stream<Path> entries = Files.list(runFolder)) {
      for (Path dir : entries.filter(Files::isDirectory).sorted().toList()) {
        if (isPlatformFolder(dir)) {
          folders.put(dir.getFileName().toString(), dir);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + runFolder, e);
    }
    if (folders.size() < 2) {
      throw new IllegalArgumentException(runFolder + " holds results of " + folders.size() + " platform(s) "
          + folders.keySet() + ": point at the folder of a run with -Dsebs.platform=<a>,<b>, which has one"
          + " sub-folder per platform");
    }
    return read(folders);
  }

  /** A folder of one platform's results: it holds results JSON, and each names the folder as its platform. */
  public static boolean isPlatformFolder(Path dir) {
    List<JsonNode> results = resultFiles(dir).stream().map(PlatformComparison::readJson)
        .filter(root -> root.has("_invocations")).toList();
    String name = dir.getFileName().toString();
    return !results.isEmpty() && results.stream().allMatch(root -> root.path("platform").asText().equals(name));
  }

  /** The platforms, in the order shown. */
  public List<String> platforms() {
    return platforms;
  }

  /** The tests measured on at least one platform, by results file name (e.g. {@code SleepPythonTest.warm}). */
  public List<String> tests() {
    return List.copyOf(tests.keySet());
  }

  /** One test's results on one platform, empty when it did not run there. */
  public Optional<Entry> entry(String test, String platform) {
    return Optional.ofNullable(tests.getOrDefault(test, Map.of()).get(platform));
  }

  /** The Markdown tables: one per metric, a row per test, a column per platform, times in ms. */
  public String markdown() {
    String level = Double.isNaN(confidence) ? "" : String.format(Locale.ROOT, "%.0f%% ", confidence * 100);
    StringBuilder out = new StringBuilder("# Platforms side by side: ").append(String.join(", ", platforms))
        .append("\n\nPer test: the median in ms, its ").append(level)
        .append("confidence interval (distribution-free, Le Boudec) and n, the successful invocations;"
            + " \"-\" where the test did not run on a platform."
            + " The ratio is each platform's median over ").append(platforms.get(0)).append("'s.\n");
    for (Metric metric : Metric.values()) {
      out.append("\n## ").append(Character.toUpperCase(metric.title.charAt(0))).append(metric.title.substring(1))
          .append("\n\n| test |");
      platforms.forEach(p -> out.append(' ').append(p).append(" |"));
      platforms.subList(1, platforms.size()).forEach(p -> out.append(' ').append(p).append(" / ")
          .append(platforms.get(0)).append(" |"));
      out.append("\n|---|");
      out.append("---|".repeat(2 * platforms.size() - 1)).append('\n');
      for (String test : tests.keySet()) {
        out.append("| ").append(test).append(" |");
        for (String p : platforms) {
          out.append(' ').append(entry(test, p).map(e -> cell(e, metric)).orElse("-")).append(" |");
        }
        Optional<Double> first = median(test, platforms.get(0), metric);
        for (String p : platforms.subList(1, platforms.size())) {
          Optional<Double> other = median(test, p, metric);
          out.append(' ').append(first.isPresent() && other.isPresent() && first.get() > 0
              ? String.format(Locale.ROOT, "%.2f×", other.get() / first.get()) : "-").append(" |");
        }
        out.append('\n');
      }
    }
    return out.toString();
  }

  /** Where the comparison was written; charts that could not be drawn say why in {@link ChartFile#failure()}. */
  public record Written(Path markdown, List<ChartFile> charts) {}

  /** Writes {@code comparison.md} and one chart per metric into {@code folder}. */
  public Written write(Path folder, Charts charts) {
    Path markdown = folder.resolve(MARKDOWN_FILE);
    try {
      Files.createDirectories(folder);
      Files.writeString(markdown, markdown(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + markdown, e);
    }
    List<ChartFile> written = new ArrayList<>();
    for (Metric metric : Metric.values()) {
      written.add(ChartFile.write(metric.title + " by platform",
          folder.resolve("comparison." + metric.file + ".png"), () -> chart(charts, metric)));
    }
    return new Written(markdown, written);
  }

  private byte[] chart(Charts charts, Metric metric) {
    List<String> names = tests();
    List<Charts.IntervalSeries> series = new ArrayList<>();
    boolean allPositive = true;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (String platform : platforms) {
      List<double[]> points = new ArrayList<>(); // group index, median, lower, upper in ms
      for (int i = 0; i < names.size(); i++) {
        Optional<Estimate> e = entry(names.get(i), platform).map(x -> x.estimates().get(metric));
        if (e.isPresent()) {
          Estimate est = e.get();
          points.add(new double[] {i, est.median() / 1000, est.lower() / 1000, est.upper() / 1000});
          allPositive &= est.median() > 0 && (!est.hasInterval() || est.lower() > 0);
          min = Math.min(min, est.median());
          max = Math.max(max, est.median());
        }
      }
      if (!points.isEmpty()) {
        series.add(new Charts.IntervalSeries(platform, column(points, 0), column(points, 1), column(points, 2),
            column(points, 3)));
      }
    }
    if (series.isEmpty()) {
      throw new IllegalArgumentException("No test has a " + metric.title + " on any platform");
    }
    Charts.XScale scale = allPositive && max >= 10 * min ? Charts.XScale.LOG : Charts.XScale.LINEAR;
    String level = Double.isNaN(confidence) ? "" : String.format(Locale.ROOT, "%.0f%% ", confidence * 100);
    return charts.groupedIntervals("Median " + metric.title + " by platform", metric.title + " (ms)",
        level + "CI of the median", names, series, scale);
  }

  private static double[] column(List<double[]> points, int i) {
    return points.stream().mapToDouble(p -> p[i]).toArray();
  }

  private Optional<Double> median(String test, String platform, Metric metric) {
    return entry(test, platform).map(e -> e.estimates().get(metric)).map(Estimate::median);
  }

  private static String cell(Entry entry, Metric metric) {
    Estimate e = entry.estimates().get(metric);
    if (e == null) {
      return "no successful invocation (0/" + entry.invocations() + ")";
    }
    return e.hasInterval()
        ? String.format(Locale.ROOT, "%.1f [%.1f, %.1f] (n=%d)", e.median() / 1000, e.lower() / 1000,
            e.upper() / 1000, e.n())
        : String.format(Locale.ROOT, "%.1f (n=%d, too few for an interval)", e.median() / 1000, e.n());
  }

  private static Optional<Estimate> estimate(JsonNode node) {
    if (!node.path("median").isNumber()) {
      return Optional.empty();
    }
    JsonNode ci = node.path("median_ci");
    boolean bounded = ci.isArray() && ci.size() == 2;
    return Optional.of(new Estimate(node.path("n").asInt(0), node.path("median").asDouble(),
        bounded ? ci.get(0).asDouble() : Double.NaN, bounded ? ci.get(1).asDouble() : Double.NaN));
  }

  private static List<Path> resultFiles(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p)).sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read results in " + folder, e);
    }
  }

  private static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }

  /** Writes the comparison of a side-by-side run's folder and prints where it is. */
  public static void main(String[] args) {
    if (args.length != 1) {
      throw new IllegalArgumentException("Usage: PlatformComparison <results folder of a run with several platforms>");
    }
    Path run = Path.of(args[0]).toAbsolutePath().normalize();
    Written written = readRun(run).write(run, Charts.DEFAULT);
    System.out.println("Platform comparison: " + written.markdown());
  }
}
