package io.sebs.junit.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The regression gate's verdicts of one or more runs as a Markdown table, for a CI job summary and a pull
 * request: it gathers the {@code <Test>.<method>.baseline.json} files that {@link ComparisonFile} wrote
 * next to each gated test's results (one row per compared metric: baseline and current median, the
 * Hodges–Lehmann shift and its interval, the verdict), and names the measured series that were not
 * compared. It reads files only, so CI can run it after the tests have failed.
 *
 * <pre>
 * mvn -B -q -pl sebs-junit/core compile exec:java -Dexec.mainClass=io.sebs.junit.baseline.GateSummary \
 *     -Dexec.args="reports/results/&lt;run-id&gt; [--summary $GITHUB_STEP_SUMMARY]"
 * </pre>
 *
 * <p>{@link #main} prints the table, writes {@code gate.md} into each run folder, appends the table to the
 * {@code --summary} file if given, and exits with status 1 when any comparison is a {@code fail} (a
 * slowdown beyond its tolerance), so a CI step fails on it; inconclusive comparisons are reported, not
 * failed.
 */
public final class GateSummary {

  /** The file written into each run folder. */
  public static final String FILE = "gate.md";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COMPARISON_SUFFIX = ".baseline.json";

  /**
   * One compared metric of one test. Times in microseconds; {@code shift}, its interval and the relative
   * change are NaN when the samples were too few for an interval.
   */
  public record Row(String run, String test, String platform, String metric, String verdict, double tolerance,
      double baselineMedian, double currentMedian, double shift, double shiftLower, double shiftUpper,
      double relativeChange, double relativeLower, double relativeUpper, int currentSize, int baselineSize,
      String reason, String baseline) {}

  private final List<Path> runs;
  private final List<Row> rows;
  private final List<String> notCompared;

  private GateSummary(List<Path> runs, List<Row> rows, List<String> notCompared) {
    this.runs = List.copyOf(runs);
    this.rows = List.copyOf(rows);
    this.notCompared = List.copyOf(notCompared);
  }

  /**
   * Reads the comparisons of each run folder ({@code reports/results/<run-id>}).
   *
   * @throws IllegalArgumentException if a folder does not exist or a comparison file cannot be read
   */
  public static GateSummary of(List<Path> runFolders) {
    List<Row> rows = new ArrayList<>();
    List<String> notCompared = new ArrayList<>();
    for (Path run : runFolders) {
      if (!Files.isDirectory(run)) {
        throw new IllegalArgumentException(run + " is not a folder: pass the results folder of a run, "
            + "e.g. reports/results/<run-id>");
      }
      for (Path file : list(run)) {
        String fileName = file.getFileName().toString();
        if (fileName.endsWith(COMPARISON_SUFFIX)) {
          rows.addAll(rows(run, file));
        } else if (fileName.endsWith(".json")) {
          JsonNode results = read(file);
          String stem = fileName.substring(0, fileName.length() - ".json".length());
          if (results.path("_invocations").isObject() && !Files.exists(run.resolve(stem + COMPARISON_SUFFIX))) {
            notCompared.add(results.path("name").asText(stem) + " (" + results.path("platform").asText("?") + ")");
          }
        }
      }
    }
    return new GateSummary(runFolders, rows, notCompared);
  }

  /**
   * The run folders named by {@code path}: the folder itself when it holds results JSON, otherwise each of
   * its sub-folders that does (a results root such as {@code reports/results} after a CI job, which holds
   * that job's runs: the suite on local and on docker).
   */
  public static List<Path> runFolders(Path path) {
    if (!Files.isDirectory(path)) {
      throw new IllegalArgumentException(path + " is not a folder: pass a run's results folder "
          + "(reports/results/<run-id>) or the results root holding runs");
    }
    if (holdsJson(path)) {
      return List.of(path);
    }
    return list(path).stream().filter(Files::isDirectory).filter(GateSummary::holdsJson).toList();
  }

  /** Every compared metric, in file order. */
  public List<Row> rows() {
    return rows;
  }

  /** The measured series of these runs that have no comparison file ({@code name (platform)}). */
  public List<String> notCompared() {
    return notCompared;
  }

  /** Whether any comparison is a {@code fail}: a slowdown beyond its tolerance, shown by the data. */
  public boolean failed() {
    return count("fail") > 0;
  }

  private long count(String verdict) {
    return rows.stream().filter(r -> r.verdict().equals(verdict)).count();
  }

  /** The verdict line, the table, and the series left uncompared. */
  public String markdown() {
    StringBuilder out = new StringBuilder("### Regression gate: ");
    if (rows.isEmpty()) {
      out.append("no comparison\n\nNo test of ").append(runNames()).append(" was compared with a baseline: run "
          + "with `-Dsebs.baseline=<results folder of the reference run>` (gated tests take a `Baseline` parameter)."
          + "\n");
    } else {
      out.append(failed() ? "FAIL" : "pass").append("\n\n").append(rows.size()).append(" comparison(s) in ")
          .append(runNames()).append(": ").append(count("fail")).append(" slower beyond the tolerance, ")
          .append(count("pass")).append(" pass, ").append(count("inconclusive"))
          .append(" inconclusive (the interval straddles the tolerance: reported, not failed)");
      long tooFew = count("too_few_samples");
      if (tooFew > 0) {
        out.append(", ").append(tooFew).append(" with too few samples");
      }
      out.append(". Times in ms; shift = current − baseline (Hodges–Lehmann, with its confidence interval).\n\n");
      out.append("| test | platform | metric | baseline median | current median | shift [CI] | change [CI] "
          + "| tolerance | n (current/baseline) | verdict |\n|---|---|---|---|---|---|---|---|---|---|\n");
      for (Row r : rows) {
        out.append("| ").append(r.test()).append(" | ").append(r.platform()).append(" | ").append(r.metric())
            .append(" | ").append(ms(r.baselineMedian())).append(" | ").append(ms(r.currentMedian())).append(" | ")
            .append(Double.isNaN(r.shift()) ? "-" : signedMs(r.shift()) + " [" + signedMs(r.shiftLower()) + ", "
                + signedMs(r.shiftUpper()) + "]")
            .append(" | ")
            .append(Double.isNaN(r.relativeChange()) ? "-" : percent(r.relativeChange()) + " ["
                + percent(r.relativeLower()) + ", " + percent(r.relativeUpper()) + "]")
            .append(" | ").append(String.format(Locale.ROOT, "%.0f%%", r.tolerance() * 100)).append(" | ")
            .append(r.currentSize()).append("/").append(r.baselineSize()).append(" | ")
            .append(r.verdict().equals("fail") ? "**FAIL**" : r.verdict()).append(" |\n");
      }
      rows.stream().filter(r -> r.verdict().equals("fail")).forEach(r -> out.append("\n- **")
          .append(r.test()).append("** (").append(r.platform()).append(", ").append(r.metric()).append("): ")
          .append(r.reason()).append("; baseline ").append(r.baseline()));
      out.append(rows.stream().anyMatch(r -> r.verdict().equals("fail")) ? "\n" : "");
    }
    if (!notCompared.isEmpty()) {
      out.append("\n<details><summary>").append(notCompared.size())
          .append(" measured series not compared (no gate in the test, or no record in the baseline)</summary>\n\n")
          .append(String.join(", ", notCompared)).append("\n\n</details>\n");
    }
    return out.toString();
  }

  /** The markdown of the rows of one run only, for its {@code gate.md}. */
  private String markdown(Path run) {
    String name = run.getFileName().toString();
    List<Row> own = rows.stream().filter(r -> r.run().equals(name)).toList();
    List<String> left = of(List.of(run)).notCompared();
    return new GateSummary(List.of(run), own, left).markdown();
  }

  private String runNames() {
    return runs.stream().map(p -> p.getFileName().toString()).reduce((a, b) -> a + ", " + b).orElse("no run");
  }

  /**
   * Writes {@code gate.md} into each run folder, prints the table, appends it to the {@code --summary} file
   * when given, and exits with 1 when a comparison failed. Arguments: run folders or results roots, and
   * optionally {@code --summary <file>}.
   */
  public static void main(String[] args) throws IOException {
    List<Path> runs = new ArrayList<>();
    Path summaryFile = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--summary")) {
        if (i + 1 == args.length) {
          throw new IllegalArgumentException("--summary needs a file, e.g. --summary \"$GITHUB_STEP_SUMMARY\"");
        }
        summaryFile = Path.of(args[++i]);
      } else {
        runs.addAll(runFolders(Path.of(args[i])));
      }
    }
    if (runs.isEmpty()) {
      throw new IllegalArgumentException(args.length == 0
          ? "Pass the results folder of a run (reports/results/<run-id>) or the results root"
          : "No run folder with results in " + String.join(" ", args));
    }
    boolean failed = publish(runs, summaryFile, System.out).failed();
    System.out.flush();
    if (failed) {
      System.exit(1);
    }
  }

  /**
   * Reads the runs' comparisons, writes {@code gate.md} into each run folder, prints the table to
   * {@code out} and appends it to {@code summaryFile} (a CI job summary) unless that is null.
   */
  public static GateSummary publish(List<Path> runs, Path summaryFile, java.io.PrintStream out) throws IOException {
    GateSummary summary = of(runs);
    for (Path run : runs) {
      Files.writeString(run.resolve(FILE), summary.markdown(run), StandardCharsets.UTF_8);
    }
    String text = summary.markdown();
    out.print(text);
    if (summaryFile != null) {
      Files.writeString(summaryFile, text + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
    return summary;
  }

  private static List<Row> rows(Path run, Path file) {
    JsonNode root = read(file);
    String name = root.path("name").asText();
    String stem = file.getFileName().toString();
    Path results = file.resolveSibling(stem.substring(0, stem.length() - COMPARISON_SUFFIX.length()) + ".json");
    String platform = Files.exists(results) ? read(results).path("platform").asText("?") : "?";
    List<Row> rows = new ArrayList<>();
    for (JsonNode c : (Iterable<JsonNode>) root.path("comparisons")::elements) {
      rows.add(new Row(run.getFileName().toString(), name, platform,
          c.path("metric").asText().replace('_', ' '), c.path("verdict").asText("?"),
          c.path("tolerance").asDouble(Double.NaN), c.path("median_baseline").asDouble(Double.NaN),
          c.path("median_current").asDouble(Double.NaN), c.path("shift").asDouble(Double.NaN),
          c.path("shift_ci").path(0).asDouble(Double.NaN), c.path("shift_ci").path(1).asDouble(Double.NaN),
          c.path("relative_change").asDouble(Double.NaN), c.path("relative_change_ci").path(0).asDouble(Double.NaN),
          c.path("relative_change_ci").path(1).asDouble(Double.NaN), c.path("n_current").asInt(),
          c.path("n_baseline").asInt(), c.path("reason").asText(""),
          c.path("baseline_source").asText(root.path("baseline").asText(""))));
    }
    return rows;
  }

  private static String ms(double micros) {
    return Double.isNaN(micros) ? "-" : String.format(Locale.ROOT, "%.1f", micros / 1000);
  }

  private static String signedMs(double micros) {
    return String.format(Locale.ROOT, "%+.1f", micros / 1000);
  }

  private static String percent(double fraction) {
    return String.format(Locale.ROOT, "%+.1f%%", fraction * 100);
  }

  private static JsonNode read(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static List<Path> list(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + folder, e);
    }
  }

  private static boolean holdsJson(Path folder) {
    return list(folder).stream().anyMatch(p -> p.getFileName().toString().endsWith(".json"));
  }
}
