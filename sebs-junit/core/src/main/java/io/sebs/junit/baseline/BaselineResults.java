package io.sebs.junit.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The results of earlier runs, the reference of the regression gate: a run's results folder
 * ({@code <results dir>/<run id>/}, one JSON per measured test; for a run of several platforms, one
 * sub-folder per platform) or a single results JSON, or several of them ({@link #load(List, String)}), newest
 * first, whose records of the same test are pooled. Series a run never finished are read from their journals
 * (see {@link io.sebs.junit.report.ResultsFolder}). Loaded once;
 * {@link #find} answers, per test, with its record or with why there is none.
 */
public final class BaselineResults {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<BaselineResults> runs;
  private final Path location;
  private final List<BaselineRecord> records;

  private BaselineResults(Path location, List<BaselineRecord> records) {
    this.runs = List.of();
    this.location = location;
    this.records = List.copyOf(records);
  }

  private BaselineResults(List<BaselineResults> runs) {
    this.runs = List.copyOf(runs);
    this.location = runs.get(0).location;
    this.records = runs.stream().flatMap(r -> r.records.stream()).toList();
  }

  /**
   * Reads several baselines, {@code locations} newest first (each as {@link #load(Path, String)} reads
   * it): {@link #find} then pools the records of one test from every location where its configuration
   * equals the newest's ({@link BaselineRecord#pooled}). One location is the same as {@link #load(Path,
   * String)}.
   *
   * @throws IllegalArgumentException if the list is empty or one location is wrong (as for one location)
   */
  public static BaselineResults load(List<Path> locations, String key) {
    if (locations.isEmpty()) {
      throw new IllegalArgumentException(key + " names no folder: set it to the results folder of an earlier run, "
          + "or to several separated by commas (newest first) to pool them");
    }
    if (locations.size() == 1) {
      return load(locations.get(0), key);
    }
    return new BaselineResults(locations.stream().map(l -> load(l, key)).toList());
  }

  /**
   * Reads every results JSON (a file with {@code _invocations}) in {@code location}, or the single file it
   * names. Other files (CSV, experiment outputs, gate reports) are ignored.
   *
   * @param key the configuration key that named the location, quoted in errors
   * @throws IllegalArgumentException if the location does not exist, holds no results, or a results file
   *     cannot be read; the message says what to point the key at
   */
  public static BaselineResults load(Path location, String key) {
    Path path = location.toAbsolutePath().normalize();
    String fix = "set " + key + " to the results folder of an earlier run (<results dir>/<run id>, e.g. "
        + "reports/results/20260101-120000-abc123) or to one of its <Test>.<method>.json files";
    if (!Files.exists(path)) {
      throw new IllegalArgumentException(key + " is " + path + ", which does not exist: " + fix);
    }
    List<BaselineRecord> records = new ArrayList<>();
    if (Files.isRegularFile(path)) {
      JsonNode root = read(path);
      if (!isResults(root)) {
        throw new IllegalArgumentException(key + " is " + path + ", which is not a results JSON (it has no "
            + "_invocations): " + fix);
      }
      records.add(BaselineRecord.of(root, path));
      return new BaselineResults(path, records);
    }
    for (io.sebs.junit.report.ResultsFolder.Series series : io.sebs.junit.report.ResultsFolder.read(path, 0.95)) {
      if (series.incomplete()) {
        System.err.println("[sebs] baseline " + series.file() + ": " + series.root().path("name").asText()
            + " is an incomplete series (" + series.root().path("settings").path("stop_reason").asText()
            + "); its " + series.root().path("statistics").path("successful").asInt() + " successful invocations are used");
      }
      records.add(BaselineRecord.of(series.root(), series.file()));
    }
    if (records.isEmpty()) {
      List<String> runs = list(path).stream().filter(Files::isDirectory)
          .filter(BaselineResults::holdsJson).map(p -> p.getFileName().toString()).sorted().toList();
      String hint = runs.isEmpty() ? "" : "; it holds run folders " + runs + ": point " + key + " at one of them, e.g. "
          + path.resolve(runs.get(runs.size() - 1)) + " (or at several, separated by commas, newest first, to pool "
          + "them)";
      throw new IllegalArgumentException(key + " is " + path + ", which holds no results JSON (no file with "
          + "_invocations)" + hint + (hint.isEmpty() ? ": " + fix : ""));
    }
    records.sort(Comparator.comparing(r -> r.source().getFileName().toString()));
    return new BaselineResults(path, records);
  }

  /**
   * A JUnit unique id without the per-platform invocation's index, which depends on where the platform
   * stands in {@code sebs.platform}'s list (docker is #2 in {@code local,docker} and #1 alone); the
   * platform itself is matched apart.
   */
  static String withoutPlatformInvocation(String testId) {
    return testId.replaceAll("/\\[class-template-invocation:#\\d+]", "");
  }

  /** The folder or file the baseline was read from (the newest, when several were pooled). */
  public Path location() {
    return location;
  }

  /** Every folder or file the baseline was read from, newest first. */
  public List<Path> locations() {
    return runs.isEmpty() ? List.of(location) : runs.stream().map(BaselineResults::location).toList();
  }

  /** Every record, ordered by file name. */
  public List<BaselineRecord> records() {
    return records;
  }

  /** The outcome of looking a test up: its record, or why there is none (which is not an error). */
  public record Match(Optional<BaselineRecord> record, String reason) {}

  /**
   * The record of the test {@code name} ({@code Class.method}) measured on {@code platform}. When several
   * files hold that name (a test measured repeatedly, parameterised tests), the one with the same JUnit
   * unique id {@code testId} is taken. With several locations, the test's records of every location that
   * has one with the newest's configuration are pooled into one.
   */
  public Match find(String name, String testId, String platform) {
    if (runs.isEmpty()) {
      return findInRun(name, testId, platform);
    }
    List<Match> matches = runs.stream().map(r -> r.findInRun(name, testId, platform)).toList();
    List<BaselineRecord> found = matches.stream().flatMap(m -> m.record().stream()).toList();
    if (found.isEmpty()) {
      return new Match(Optional.empty(), matches.get(0).reason() + " (nor in the " + (runs.size() - 1)
          + " earlier baseline folder(s))");
    }
    BaselineRecord newest = found.get(0);
    List<BaselineRecord> earlier = found.subList(1, found.size()).stream()
        .filter(r -> r.differencesFrom(newest.benchmark(), newest.language(), newest.size(), newest.memoryMb())
            .isEmpty())
        .toList();
    return new Match(Optional.of(earlier.isEmpty() ? newest : BaselineRecord.pooled(newest, earlier)), "");
  }

  private Match findInRun(String name, String testId, String platform) {
    List<BaselineRecord> sameName = records.stream().filter(r -> r.name().equals(name)).toList();
    List<BaselineRecord> candidates = sameName.stream().filter(r -> r.platform().equals(platform)).toList();
    if (candidates.size() > 1) {
      List<BaselineRecord> sameId = candidates.stream()
          .filter(r -> withoutPlatformInvocation(r.testId()).equals(withoutPlatformInvocation(testId))).toList();
      if (sameId.size() == 1) {
        return new Match(Optional.of(sameId.get(0)), "");
      }
    }
    if (candidates.size() == 1) {
      return new Match(Optional.of(candidates.get(0)), "");
    }
    String how = "; to create one, run this test and point sebs.baseline at that run's results folder";
    if (candidates.size() > 1) {
      return new Match(Optional.empty(), "the baseline " + location + " holds " + candidates.size() + " results of "
          + name + " on " + platform + " that cannot be told apart" + how);
    }
    if (!sameName.isEmpty()) {
      return new Match(Optional.empty(), "the baseline " + location + " has " + name + " only on platform(s) "
          + sameName.stream().map(BaselineRecord::platform).distinct().toList() + ", not on " + platform + how);
    }
    List<String> names = records.stream().map(BaselineRecord::name).distinct().limit(5).toList();
    return new Match(Optional.empty(), "no baseline for " + name + " on " + platform + " in " + location + " (it holds "
        + records.size() + " result(s): " + String.join(", ", names) + (records.size() > names.size() ? ", ..." : "")
        + ")" + how);
  }

  private static boolean isResults(JsonNode root) {
    return root.isObject() && root.path("_invocations").isObject() && root.hasNonNull("name");
  }

  private static JsonNode read(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read baseline results file " + file + ": " + e.getMessage()
          + " (is it a results JSON written by sebs-junit?)", e);
    }
  }

  private static List<Path> list(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list baseline folder " + folder, e);
    }
  }

  private static boolean holdsJson(Path folder) {
    return io.sebs.junit.report.ResultsFolder.holdsResults(folder);
  }
}
