package io.sebs.junit.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A Markdown table of a run's results, one row per measured test: benchmark, language, experiment,
 * sample count, failures, and the client-time median with its confidence interval. For notes and
 * pull requests: {@code java -cp ... io.sebs.junit.report.ResultsSummary reports/results/<run>} (or the
 * newest run when given the results folder).
 */
public final class ResultsSummary {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ResultsSummary() {}

  public static void main(String[] args) {
    Path dir = Path.of(args.length > 0 ? args[0] : "reports/results");
    System.out.print(markdown(runDirectory(dir)));
  }

  /** The folder itself when it holds result files (or platform folders of them), else its newest sub-folder. */
  static Path runDirectory(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> entries = files.toList();
      if (entries.stream().anyMatch(p -> p.toString().endsWith(".json") || p.toString().endsWith(".jsonl"))
          || entries.stream().anyMatch(p -> Files.isDirectory(p) && PlatformComparison.isPlatformFolder(p))) {
        return dir; // a run's folder, or that of a run of several platforms (one sub-folder each)
      }
      return entries.stream().filter(Files::isDirectory).max(Comparator.comparing(Path::getFileName))
          .orElseThrow(() -> new IllegalArgumentException("No results in " + dir));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + dir, e);
    }
  }

  /** The table for one run folder. */
  public static String markdown(Path runDir) {
    List<String[]> rows = new ArrayList<>();
    for (ResultsFolder.Series series : ResultsFolder.read(runDir, 0.95)) {
      JsonNode root = series.root();
      JsonNode stats = root.path("statistics");
      JsonNode client = stats.path("client_time");
      rows.add(new String[] {
          root.path("benchmark").asText(), root.path("language").asText(), root.path("experiment").asText(),
          root.path("platform").asText(), stats.path("successful").asText("0") + "/" + stats.path("invocations").asText("0"),
          ms(client.path("median")), interval(client.path("median_ci")), ms(client.path("p95")),
          ms(stats.path("benchmark_time").path("median")), root.path("name").asText()
              + (series.incomplete() ? " (incomplete: the run ended during this series)" : "")});
    }
    StringBuilder out = new StringBuilder("Results of ").append(runDir.getFileName()).append(" (times in ms)\n\n");
    out.append("| benchmark | language | experiment | platform | ok/n | client median | median CI | client p95 "
        + "| benchmark median | test |\n|---|---|---|---|---|---|---|---|---|---|\n");
    rows.sort(Comparator.comparing((String[] r) -> r[0]).thenComparing(r -> r[1]).thenComparing(r -> r[2]));
    for (String[] r : rows) {
      out.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    return out.toString();
  }

  private static String ms(JsonNode micros) {
    return micros.isNumber() ? String.format(Locale.ROOT, "%.1f", micros.asDouble() / 1000) : "-";
  }

  private static String interval(JsonNode ci) {
    return ci.isArray() && ci.size() == 2
        ? String.format(Locale.ROOT, "[%.1f, %.1f]", ci.get(0).asDouble() / 1000, ci.get(1).asDouble() / 1000)
        : "n too small";
  }
}
