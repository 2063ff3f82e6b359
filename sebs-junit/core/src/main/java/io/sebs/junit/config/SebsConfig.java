package io.sebs.junit.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The run's configuration, read through one lookup so the JUnit glue can feed it JUnit configuration
 * parameters (explicit, then system properties, then junit-platform.properties) while the engine stays
 * free of JUnit. Every key is documented in README.md; {@link #describe()} lists the effective values.
 */
public final class SebsConfig {

  public static final String PLATFORM = "sebs.platform";
  public static final String BENCHMARKS_DIR = "sebs.benchmarks.dir";
  public static final String CACHE_DIR = "sebs.cache.dir";
  public static final String RESULTS_DIR = "sebs.results.dir";
  public static final String DATA_DIR = "sebs.data.dir";
  public static final String CONFIDENCE = "sebs.confidence";
  public static final String BASELINE = "sebs.baseline";
  public static final String LOCAL_KEEP_ALIVE = "sebs.local.keepAlive";
  public static final String LOCAL_CLOCK_OFFSET_MS = "sebs.local.clockOffsetMs";
  public static final String LOCAL_ENFORCE_MEMORY = "sebs.local.enforceMemory";
  public static final String LOCAL_JAVA_CDS = "sebs.local.javaCds";
  public static final String LOCAL_MAX_INSTANCES = "sebs.local.maxInstances";
  public static final String LOCAL_START_TIMEOUT = "sebs.local.startTimeout";
  public static final String PROGRESS = "sebs.progress";
  public static final String WORKFLOW_CONCURRENCY = "sebs.workflow.concurrency";

  private final Function<String, Optional<String>> lookup;

  public SebsConfig(Function<String, Optional<String>> lookup) {
    this.lookup = key -> lookup.apply(key).map(String::trim).filter(v -> !v.isEmpty());
  }

  /** Configuration from system properties only (for use outside JUnit). */
  public static SebsConfig fromSystemProperties() {
    return new SebsConfig(key -> Optional.ofNullable(System.getProperty(key)));
  }

  public Optional<String> get(String key) {
    return lookup.apply(key);
  }

  /**
   * The one target platform ({@code sebs.platform}, default {@code local}). A list of several platforms is
   * for {@link #platforms()}; asking for one platform then fails, so no code silently measures only the first.
   */
  public String platform() {
    List<String> platforms = platforms();
    if (platforms.size() > 1) {
      throw new IllegalStateException(PLATFORM + " lists several platforms " + platforms + " but this needs one:"
          + " take each from platforms() and use forPlatform(name), or set -D" + PLATFORM + "=<one platform>");
    }
    return platforms.get(0);
  }

  /**
   * The target platforms, in the order given: {@code sebs.platform} is one name or a comma-separated list
   * ({@code local,docker}) whose measured tests then run once per platform, side by side. Names are
   * trimmed and lower-cased; an empty entry, a repeated name or a name that cannot be a folder fails here,
   * naming the fix. Whether a platform is installed is checked when its run opens (the platform SPI knows).
   */
  public List<String> platforms() {
    String value = get(PLATFORM).orElse("local");
    List<String> names = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      String name = part.trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        throw new IllegalArgumentException(PLATFORM + " is '" + value + "', which has an empty entry: list platform"
            + " names separated by commas, e.g. -D" + PLATFORM + "=local,docker");
      }
      if (!name.matches("[a-z0-9][a-z0-9._-]*")) {
        throw new IllegalArgumentException(PLATFORM + " is '" + value + "': '" + name + "' is not a platform name"
            + " (letters, digits, '.', '_' or '-'); list platforms separated by commas, e.g. -D" + PLATFORM
            + "=local,docker");
      }
      if (names.contains(name)) {
        throw new IllegalArgumentException(PLATFORM + " is '" + value + "', which names '" + name + "' twice: list"
            + " each platform once, e.g. -D" + PLATFORM + "=" + String.join(",", names));
      }
      names.add(name);
    }
    return List.copyOf(names);
  }

  /**
   * This configuration with {@code sebs.platform} set to one of {@link #platforms()}, for the run on that
   * platform: every other key reads as before.
   */
  public SebsConfig forPlatform(String name) {
    if (!platforms().contains(name)) {
      throw new IllegalArgumentException("Platform '" + name + "' is not among " + PLATFORM + "=" + platforms());
    }
    return new SebsConfig(key -> key.equals(PLATFORM) ? Optional.of(name) : lookup.apply(key));
  }

  /**
   * The benchmark catalogue: {@code sebs.benchmarks.dir}, else the nearest folder named {@code benchmarks}
   * from the working directory upwards (the folder itself, or a child of it) that holds a benchmark, i.e. a
   * {@code config.json} one or two levels down as in SeBS's layout ({@code benchmarks/100.webapps/110.x/}
   * or {@code benchmarks/010.sleep/}). A {@code wrappers} subfolder is allowed but not needed: the
   * wrappers ship in the platform modules' jars. When nothing qualifies, the error names every
   * {@code benchmarks} folder it passed over and why.
   */
  public Path benchmarksDir() {
    Optional<String> configured = get(BENCHMARKS_DIR);
    if (configured.isPresent()) {
      return Path.of(configured.get()).toAbsolutePath().normalize();
    }
    List<String> rejected = new ArrayList<>();
    Set<Path> seen = new HashSet<>();
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      for (Path candidate : List.of(dir, dir.resolve("benchmarks"))) {
        if (candidate.getFileName() == null || !candidate.getFileName().toString().equals("benchmarks")
            || !Files.isDirectory(candidate) || !seen.add(candidate)) {
          continue; // not a benchmarks folder, or one already judged (inside it, and again from its parent)
        }
        if (holdsABenchmark(candidate)) {
          return candidate;
        }
        rejected.add(candidate + " (no config.json in any sub-folder one or two levels down)");
      }
    }
    throw new IllegalStateException(
        "No benchmarks directory found from " + Path.of("").toAbsolutePath()
            + (rejected.isEmpty() ? "" : "; passed over: " + String.join(", ", rejected))
            + ". Put the benchmarks in a folder named 'benchmarks' (benchmarks/<name>/config.json with"
            + " python/, nodejs/ or java/ beside it) or set -D" + BENCHMARKS_DIR + "=<folder>");
  }

  private static boolean holdsABenchmark(Path benchmarks) {
    try (Stream<Path> configs = Files.find(benchmarks, 3,
        (p, a) -> a.isRegularFile() && p.getFileName().toString().equals("config.json"))) {
      return configs.findAny().isPresent();
    } catch (IOException e) {
      return false;
    }
  }

  /** Where packaged functions and installed dependencies are kept between runs. */
  public Path cacheDir() {
    return get(CACHE_DIR).map(Path::of)
        .orElseGet(() -> Path.of(System.getProperty("user.home"), ".cache", "sebs-junit"))
        .toAbsolutePath().normalize();
  }

  /** Where result files (JSON, CSV) are written, one sub-folder per run. */
  public Path resultsDir() {
    return get(RESULTS_DIR).map(Path::of).orElseGet(() -> Path.of("target", "sebs-results"))
        .toAbsolutePath().normalize();
  }

  /** Optional SeBS benchmarks-data folder for input generation. */
  public Optional<Path> dataDir() {
    return get(DATA_DIR).map(Path::of).map(Path::toAbsolutePath);
  }

  /**
   * The results of an earlier run that the regression gate compares with: a run's results folder
   * ({@code <results dir>/<run id>}) or one results JSON; empty when not configured (the gate then aborts
   * its tests, saying how to set it). Made absolute here; whether it exists and holds results is checked
   * when it is loaded ({@link io.sebs.junit.baseline.BaselineResults#load}), so that only tests using a
   * baseline fail on a wrong one.
   */
  public Optional<Path> baseline() {
    return baselines().stream().findFirst();
  }

  /**
   * Every baseline location: {@code sebs.baseline} may name several, separated by commas, newest first
   * (e.g. the last three main-branch runs), whose records of a test are pooled so that the baseline holds
   * the run-to-run noise too ({@link io.sebs.junit.baseline.BaselineResults#load(List, String)}). Made
   * absolute; empty when not configured.
   */
  public List<Path> baselines() {
    return get(BASELINE).stream().flatMap(v -> java.util.Arrays.stream(v.split(",")))
        .map(String::trim).filter(v -> !v.isEmpty()).map(v -> Path.of(v).toAbsolutePath().normalize()).toList();
  }

  /** Confidence level for intervals in results and budgets (default 0.95). */
  public double confidence() {
    double c = doubleValue(CONFIDENCE, 0.95);
    if (!(c > 0 && c < 1)) {
      throw new IllegalArgumentException(CONFIDENCE + " must be in (0, 1), was " + c);
    }
    return c;
  }

  /** Idle time after which a local instance is evicted (default 60 s). */
  public Duration localKeepAlive() {
    return duration(LOCAL_KEEP_ALIVE, Duration.ofSeconds(60));
  }

  /** How long a local instance may take to start listening before the invocation fails (default 30 s). */
  public Duration localStartTimeout() {
    return duration(LOCAL_START_TIMEOUT, Duration.ofSeconds(30));
  }

  public double localClockOffsetMs() {
    return doubleValue(LOCAL_CLOCK_OFFSET_MS, 0.0);
  }

  public boolean localEnforceMemory() {
    return get(LOCAL_ENFORCE_MEMORY).map(Boolean::parseBoolean).orElse(false);
  }

  /**
   * Whether local Java instances start from an application class-data-sharing archive made once per package and JDK
   * (default true); {@code false} starts them as a plain JVM, for comparison.
   */
  public boolean localJavaCds() {
    return booleanValue(LOCAL_JAVA_CDS, true);
  }

  /**
   * A switch: {@code true} or {@code false} in any case, {@code defaultValue} when unset.
   *
   * @throws IllegalArgumentException for any other value, naming the key (a typo must not silently mean false)
   */
  public boolean booleanValue(String key, boolean defaultValue) {
    String value = get(key).orElse(Boolean.toString(defaultValue)).toLowerCase(java.util.Locale.ROOT);
    if (!value.equals("true") && !value.equals("false")) {
      throw new IllegalArgumentException(key + " must be true or false, was " + get(key).orElse(""));
    }
    return Boolean.parseBoolean(value);
  }

  /** Upper bound on concurrently running local instances per function (default 64). */
  public int localMaxInstances() {
    double value = doubleValue(LOCAL_MAX_INSTANCES, 64);
    if (value < 1 || value != Math.rint(value)) {
      throw new IllegalArgumentException(LOCAL_MAX_INSTANCES + " must be a whole number of at least 1, was "
          + get(LOCAL_MAX_INSTANCES).orElse(""));
    }
    return (int) value;
  }

  /**
   * How many functions of one workflow run may execute at once when sebs-junit orchestrates it (local,
   * docker): maps and parallel branches beyond it wait for a slot (default 32).
   */
  public int workflowConcurrency() {
    double value = doubleValue(WORKFLOW_CONCURRENCY, 32);
    if (value < 1 || value != Math.rint(value)) {
      throw new IllegalArgumentException(WORKFLOW_CONCURRENCY + " must be a whole number of at least 1, was "
          + get(WORKFLOW_CONCURRENCY).orElse(""));
    }
    return (int) value;
  }

  /** When measured series print a progress line to stderr. */
  public enum Progress {
    /** Only series projected to take longer than a few seconds (see ConsoleProgress). */
    AUTO,
    /** Every measured series. */
    ALWAYS,
    /** Never. */
    NEVER
  }

  /** {@code sebs.progress}: {@code auto} (default), {@code always} or {@code never}, case-insensitive. */
  public Progress progress() {
    Optional<String> value = get(PROGRESS);
    if (value.isEmpty()) {
      return Progress.AUTO;
    }
    try {
      return Progress.valueOf(value.get().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(PROGRESS + " must be auto, always or never, was '" + value.get() + "'", e);
    }
  }

  public double doubleValue(String key, double defaultValue) {
    Optional<String> value = get(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      return Double.parseDouble(value.get());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, was '" + value.get() + "'", e);
    }
  }

  /**
   * A duration: ISO-8601 ({@code PT1.5S}) or a number with a unit suffix {@code ms}, {@code s},
   * {@code m} ({@code 500ms}, {@code 2s}, {@code 10m}).
   */
  public Duration duration(String key, Duration defaultValue) {
    Optional<String> value = get(key);
    Duration duration = value.map(v -> parseDuration(key, v)).orElse(defaultValue);
    if (duration.isNegative()) {
      throw new IllegalArgumentException(key + " must not be negative, was '" + value.orElse("") + "'");
    }
    return duration;
  }

  static Duration parseDuration(String key, String text) {
    String v = text.toLowerCase(Locale.ROOT);
    try {
      if (v.startsWith("pt")) {
        return Duration.parse(text.toUpperCase(Locale.ROOT));
      }
      if (v.endsWith("ms")) {
        return Duration.ofNanos(Math.round(Double.parseDouble(v.substring(0, v.length() - 2)) * 1e6));
      }
      if (v.endsWith("s")) {
        return Duration.ofNanos(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1e9));
      }
      if (v.endsWith("m")) {
        return Duration.ofSeconds(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60));
      }
    } catch (RuntimeException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        key + " must be a duration such as 500ms, 30s, 5m or PT30S, was '" + text + "'");
  }

  /** The effective values of the main keys, for logs and report environments. */
  public String describe() {
    return PLATFORM + "=" + String.join(",", platforms()) + ", " + CACHE_DIR + "=" + cacheDir() + ", " + RESULTS_DIR + "="
        + resultsDir() + ", " + LOCAL_KEEP_ALIVE + "=" + localKeepAlive()
        + (baselines().isEmpty() ? "" : ", " + BASELINE + "=" + baselines().stream().map(Path::toString)
            .collect(java.util.stream.Collectors.joining(",")));
  }
}
