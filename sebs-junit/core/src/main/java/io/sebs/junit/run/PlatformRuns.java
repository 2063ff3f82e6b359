package io.sebs.junit.run;

import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.PlatformProvider;
import io.sebs.junit.platform.Platforms;
import io.sebs.junit.report.Charts;
import io.sebs.junit.report.PlatformComparison;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The runs of one test plan: one {@link BenchmarkRun} per platform of {@code sebs.platform} (one name or a
 * list such as {@code local,docker}), each opened on first use so a platform whose tests are all skipped
 * starts nothing. Free of JUnit, like the run itself.
 *
 * <p>Result folders: with one platform, {@code <results dir>/<run id>/} as always; with several,
 * {@code <results dir>/<run id>/<platform>/} per platform (each platform's run has the id
 * {@code <run id>-<platform>}, so instances, buckets and containers of two platforms never mix) and, when
 * the runs close, the comparison of the platforms in {@code <results dir>/<run id>/} ({@link PlatformComparison}).
 *
 * <p>Side by side, a platform that cannot run here ({@link PlatformProvider#unavailable}: a cloud without
 * credentials on this machine) is {@linkplain #skipped skipped} and left out of the comparison, so
 * {@code -Dsebs.platform=local,docker,aws} still compares local and docker on a machine without AWS
 * credentials. With one platform nothing is skipped: that platform opens and fails with its own message.
 */
public final class PlatformRuns implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PlatformRuns.class.getName());

  private final SebsConfig config;
  private final List<String> platforms;
  private final String runId;
  private final Consumer<BenchmarkRun> onOpen;
  private final Platforms installed;
  private final Map<String, BenchmarkRun> runs = new LinkedHashMap<>();
  private final Map<String, Optional<String>> skipped = new LinkedHashMap<>();
  private Optional<PlatformComparison.Written> comparison = Optional.empty();

  /**
   * Checks every listed platform is installed before any starts, so a typo in the second name does not
   * surface after the first platform's tests ran.
   *
   * @param onOpen called with each run as it opens (the JUnit glue records the run's environment)
   * @throws IllegalArgumentException naming the unknown platform and the installed ones
   */
  public PlatformRuns(SebsConfig config, Consumer<BenchmarkRun> onOpen) {
    this.config = config;
    this.platforms = config.platforms();
    this.installed = Platforms.discover();
    platforms.forEach(installed::provider);
    this.runId = BenchmarkRun.newRunId();
    this.onOpen = onOpen;
  }

  /** The platforms, in the order configured. */
  public List<String> platforms() {
    return platforms;
  }

  /** Whether the platforms run side by side (more than one). */
  public boolean sideBySide() {
    return platforms.size() > 1;
  }

  public String runId() {
    return runId;
  }

  /** The folder of this test plan's results: the run's, or with several platforms the parent of theirs. */
  public Path directory() {
    return config.resultsDir().resolve(runId);
  }

  /**
   * Why {@code platform} is skipped in this run, as a sentence naming the platform, what is missing and how
   * to provide it ({@code "aws skipped in this side-by-side run: no AWS credentials ..."}); empty when it
   * runs. Only a side-by-side run skips, and only a platform whose provider says it is
   * {@linkplain PlatformProvider#unavailable unavailable} here; with one platform this is always empty, so
   * the platform the user asked for fails loudly when it opens. Asked once per platform; the first answer
   * that skips is printed to stderr.
   */
  public synchronized Optional<String> skipped(String platform) {
    Optional<String> known = skipped.get(platform);
    if (known != null) {
      return known;
    }
    Optional<String> reason = Optional.empty();
    if (sideBySide() && platforms.contains(platform)) {
      reason = installed.provider(platform).unavailable(config.forPlatform(platform))
          .map(why -> platform + " skipped in this side-by-side run: " + why);
      reason.ifPresent(sentence -> System.err.println("[sebs] " + sentence));
    }
    skipped.put(platform, reason);
    return reason;
  }

  /** The run on {@code platform}, opened on first use. */
  public synchronized BenchmarkRun run(String platform) {
    BenchmarkRun run = runs.get(platform);
    if (run == null) {
      if (!platforms.contains(platform)) {
        throw new IllegalArgumentException("Platform '" + platform + "' is not among " + SebsConfig.PLATFORM + "="
            + String.join(",", platforms));
      }
      run = sideBySide()
          ? new BenchmarkRun(config.forPlatform(platform), runId + "-" + platform, directory().resolve(platform))
          : new BenchmarkRun(config, runId, directory());
      runs.put(platform, run);
      onOpen.accept(run);
    }
    return run;
  }

  /** The comparison written when the runs closed, empty before or when fewer than two platforms ran. */
  public synchronized Optional<PlatformComparison.Written> comparison() {
    return comparison;
  }

  /**
   * Closes every run (each closes its platform, also when another's close fails) and then, with several
   * platforms of which at least two wrote results, writes the comparison and prints where it is.
   */
  @Override
  public synchronized void close() {
    RuntimeException failure = null;
    for (BenchmarkRun run : runs.values()) {
      try {
        run.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (sideBySide()) {
      Map<String, Path> folders = new LinkedHashMap<>();
      List<String> withResults = new ArrayList<>();
      List<String> notRun = skipped.entrySet().stream().filter(e -> e.getValue().isPresent()).map(Map.Entry::getKey)
          .toList();
      for (String platform : platforms) {
        if (notRun.contains(platform)) {
          continue; // it could not run here: no column of its own in the comparison
        }
        Path folder = directory().resolve(platform);
        folders.put(platform, folder);
        if (Files.isDirectory(folder)) {
          withResults.add(platform);
        }
      }
      if (withResults.size() >= 2) {
        PlatformComparison.Written written = PlatformComparison.read(folders).write(directory(), Charts.DEFAULT);
        comparison = Optional.of(written);
        System.out.println("[sebs] platforms side by side " + List.copyOf(folders.keySet()) + ": " + written.markdown()
            + " (charts: " + written.charts().stream().filter(c -> c.written())
                .map(c -> c.file().getFileName().toString()).toList() + ")"
            + (notRun.isEmpty() ? "" : "; skipped as unavailable here: " + notRun));
      } else {
        LOG.info(() -> "No platform comparison: results of " + withResults.size() + " of the platforms " + platforms
            + " (the others' measured tests were skipped or none ran" + (notRun.isEmpty() ? ""
                : "; unavailable here: " + notRun) + ")");
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
