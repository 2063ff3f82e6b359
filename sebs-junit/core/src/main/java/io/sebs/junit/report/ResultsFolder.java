package io.sebs.junit.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The results of one run folder as every reader sees them (the summary table, the regression gate's
 * baseline): each finished series' JSON, plus each series that never finished, rebuilt from its
 * {@link InvocationJournal} and marked {@code "incomplete": true}. A journal next to its finished JSON is
 * a leftover and is ignored, and so are experiments' raw journals ({@code "raw": true}: an experiment's own
 * files say what its invocations mean).
 */
public final class ResultsFolder {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ResultsFolder() {}

  /**
   * One series' results.
   *
   * @param file the JSON, or the journal an incomplete series was rebuilt from
   * @param root the results JSON (see {@link ResultsWriter})
   */
  public record Series(Path file, JsonNode root) {

    /** True when the run ended before this series did. */
    public boolean incomplete() {
      return root.path("incomplete").asBoolean(false);
    }
  }

  /**
   * Every series in {@code runDir}, ordered by file name: JSON files holding {@code _invocations} and
   * journals without a finished JSON; for the folder of a run of several platforms side by side, those of
   * each platform's sub-folder.
   *
   * @throws UncheckedIOException when the folder or a file cannot be read
   * @throws IllegalArgumentException when a results JSON or a journal is malformed, naming the file
   */
  public static List<Series> read(Path runDir, double confidence) {
    List<Series> series = readFolder(runDir, confidence);
    if (series.isEmpty()) { // a run of several platforms side by side: one sub-folder per platform
      try (Stream<Path> dirs = Files.list(runDir)) {
        for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
          if (PlatformComparison.isPlatformFolder(dir)) {
            series.addAll(readFolder(dir, confidence));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot list results folder " + runDir, e);
      }
    }
    return series;
  }

  private static List<Series> readFolder(Path runDir, double confidence) {
    List<Series> series = new ArrayList<>();
    for (Path file : list(runDir)) {
      String name = file.getFileName().toString();
      if (name.endsWith(".json")) {
        JsonNode root = readJson(file);
        if (root.isObject() && root.path("_invocations").isObject() && root.hasNonNull("name")) {
          series.add(new Series(file, root));
        }
      } else if (name.endsWith(".jsonl")
          && !Files.exists(file.resolveSibling(name.substring(0, name.length() - 1)))
          && !InvocationJournal.read(file).header().path("raw").asBoolean(false)) {
        series.add(new Series(file, ResultsWriter.recover(file, confidence)));
      }
    }
    return series;
  }

  /** True when {@code folder} holds results JSON or journals (a run folder). */
  public static boolean holdsResults(Path folder) {
    return list(folder).stream().map(p -> p.getFileName().toString())
        .anyMatch(n -> n.endsWith(".json") || n.endsWith(".jsonl"));
  }

  private static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read results file " + file + ": " + e.getMessage()
          + " (is it a results JSON written by sebs-junit?)", e);
    }
  }

  private static List<Path> list(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list results folder " + folder, e);
    }
  }
}
