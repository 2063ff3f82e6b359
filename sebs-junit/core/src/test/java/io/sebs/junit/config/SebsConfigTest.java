package io.sebs.junit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SebsConfig reads every key through one lookup, with documented defaults and helpful errors. */
class SebsConfigTest {

  private static SebsConfig config(String... keyValues) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      values.put(keyValues[i], keyValues[i + 1]);
    }
    return new SebsConfig(key -> Optional.ofNullable(values.get(key)));
  }

  @Nested
  class WithNothingConfigured {

    private final SebsConfig config = config();

    @Test
    void theDefaultsAreTheDocumentedOnes() {
      assertThat(config.platform()).isEqualTo("local");
      assertThat(config.confidence()).isEqualTo(0.95);
      assertThat(config.localKeepAlive()).isEqualTo(Duration.ofSeconds(60));
      assertThat(config.localStartTimeout()).isEqualTo(Duration.ofSeconds(30));
      assertThat(config.localClockOffsetMs()).isEqualTo(0.0);
      assertThat(config.localEnforceMemory()).isFalse();
      assertThat(config.localMaxInstances()).isEqualTo(64);
      assertThat(config.dataDir()).isEmpty();
      assertThat(config.baseline()).isEmpty();
      assertThat(config.describe()).doesNotContain("sebs.baseline");
      assertThat(config.progress()).isEqualTo(SebsConfig.Progress.AUTO);
    }

    @Test
    void cacheAndResultsGoToTheUsualAbsoluteFolders() {
      assertThat(config.cacheDir())
          .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "sebs-junit").toAbsolutePath().normalize());
      assertThat(config.resultsDir()).isAbsolute()
          .isEqualTo(Path.of("target", "sebs-results").toAbsolutePath().normalize());
    }

    @Test
    void describeListsTheEffectiveValues() {
      assertThat(config.describe())
          .contains("sebs.platform=local")
          .contains("sebs.cache.dir=" + config.cacheDir())
          .contains("sebs.results.dir=" + config.resultsDir())
          .contains("sebs.local.keepAlive=PT1M");
    }
  }

  @Test
  void blankValuesCountAsUnset() {
    SebsConfig config = config(SebsConfig.PLATFORM, "   ", SebsConfig.CONFIDENCE, "", SebsConfig.LOCAL_KEEP_ALIVE, " ");

    assertThat(config.get(SebsConfig.PLATFORM)).isEmpty();
    assertThat(config.platform()).isEqualTo("local");
    assertThat(config.confidence()).isEqualTo(0.95);
    assertThat(config.localKeepAlive()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void valuesAreTrimmed() {
    assertThat(config(SebsConfig.CONFIDENCE, " 0.9 ").confidence()).isEqualTo(0.9);
    assertThat(config(SebsConfig.PLATFORM, " aws ").get(SebsConfig.PLATFORM)).contains("aws");
  }

  @ParameterizedTest
  @ValueSource(strings = {"LOCAL", "Local", "lOcAl"})
  void thePlatformIsLowerCased(String configured) {
    assertThat(config(SebsConfig.PLATFORM, configured).platform()).isEqualTo("local");
  }

  @Test
  void severalPlatformsAreACommaSeparatedListInTheOrderGiven() {
    SebsConfig config = config(SebsConfig.PLATFORM, " local , Docker,aws ");

    assertThat(config.platforms()).containsExactly("local", "docker", "aws");
    assertThat(config.describe()).contains("sebs.platform=local,docker,aws");
    assertThat(config.forPlatform("docker").platform()).isEqualTo("docker");
    assertThat(config.forPlatform("docker").get(SebsConfig.CONFIDENCE)).isEqualTo(config.get(SebsConfig.CONFIDENCE));
  }

  @Test
  void onePlatformIsNotChosenSilentlyFromSeveral() {
    assertThatThrownBy(() -> config(SebsConfig.PLATFORM, "local,docker").platform())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("lists several platforms [local, docker]").hasMessageContaining("forPlatform");
    assertThatThrownBy(() -> config(SebsConfig.PLATFORM, "local,docker").forPlatform("aws"))
        .hasMessageContaining("'aws' is not among sebs.platform=[local, docker]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"local,local", "local, LOCAL", "docker,local,docker"})
  void aPlatformListedTwiceIsRejected(String configured) {
    assertThatThrownBy(() -> config(SebsConfig.PLATFORM, configured).platforms())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice").hasMessageContaining("once");
  }

  @ParameterizedTest
  @ValueSource(strings = {"local,", ",docker", "local,,docker"})
  void anEmptyEntryIsRejected(String configured) {
    assertThatThrownBy(() -> config(SebsConfig.PLATFORM, configured).platforms())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty entry")
        .hasMessageContaining("-Dsebs.platform=local,docker");
  }

  @Test
  void aNameThatCannotBeAFolderIsRejected() {
    assertThatThrownBy(() -> config(SebsConfig.PLATFORM, "local;docker").platforms())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'local;docker' is not a platform name");
  }

  @Test
  void configuredFoldersAreMadeAbsoluteAndNormalised(@TempDir Path tmp) {
    SebsConfig config = config(
        SebsConfig.CACHE_DIR, tmp.resolve("a/../cache").toString(),
        SebsConfig.RESULTS_DIR, tmp.resolve("./results").toString(),
        SebsConfig.DATA_DIR, tmp.resolve("data").toString());

    assertThat(config.cacheDir()).isEqualTo(tmp.resolve("cache"));
    assertThat(config.resultsDir()).isEqualTo(tmp.resolve("results"));
    assertThat(config.dataDir()).contains(tmp.resolve("data"));
  }

  @Test
  void theBaselineIsARunFolderMadeAbsoluteAndListedByDescribe(@TempDir Path tmp) {
    SebsConfig config = config(SebsConfig.BASELINE, tmp.resolve("results/./20260101-120000-abc123").toString());

    assertThat(config.baseline()).contains(tmp.resolve("results/20260101-120000-abc123"));
    assertThat(config.describe()).contains("sebs.baseline=" + tmp.resolve("results/20260101-120000-abc123"));
  }

  @Test
  void aMissingBaselineFolderIsNotAConfigurationErrorUntilItIsLoaded(@TempDir Path tmp) {
    // Only tests that take a Baseline fail on it (see BaselineResultsTest); reading the key never throws.
    assertThat(config(SebsConfig.BASELINE, tmp.resolve("missing").toString()).baseline())
        .contains(tmp.resolve("missing"));
    assertThat(config(SebsConfig.BASELINE, "  ").baseline()).isEmpty();
  }

  @Test
  void aRelativeResultsDirIsResolvedAgainstTheWorkingDirectory() {
    assertThat(config(SebsConfig.RESULTS_DIR, "out/../my-results").resultsDir())
        .isEqualTo(Path.of("my-results").toAbsolutePath());
  }

  @Test
  void localSettingsAreRead() {
    SebsConfig config = config(SebsConfig.LOCAL_CLOCK_OFFSET_MS, "-12.5", SebsConfig.LOCAL_ENFORCE_MEMORY, "TRUE",
        SebsConfig.LOCAL_MAX_INSTANCES, "8");

    assertThat(config.localClockOffsetMs()).isEqualTo(-12.5);
    assertThat(config.localEnforceMemory()).isTrue();
    assertThat(config.localMaxInstances()).isEqualTo(8);
  }

  @Test
  void aNonNumberNamesTheKeyAndTheValue() {
    assertThatThrownBy(() -> config(SebsConfig.LOCAL_CLOCK_OFFSET_MS, "ten").localClockOffsetMs())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sebs.local.clockOffsetMs must be a number, was 'ten'");
  }

  @Nested
  class ProgressLine {

    @ParameterizedTest
    @CsvSource({"auto, AUTO", "always, ALWAYS", "NEVER, NEVER", "' Always ', ALWAYS"})
    void takesTheThreeModesInAnyCase(String text, SebsConfig.Progress mode) {
      assertThat(config(SebsConfig.PROGRESS, text).progress()).isEqualTo(mode);
    }

    @Test
    void anUnknownModeNamesTheKeyAndTheChoices() {
      assertThatThrownBy(() -> config("sebs.progress", "sometimes").progress())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("sebs.progress must be auto, always or never, was 'sometimes'");
    }
  }

  @Nested
  class Durations {

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({
      "500ms,  500",
      "500MS,  500",
      "2s,     2000",
      "0.25s,  250",
      "5m,     300000",
      "1.5m,   90000",
      "PT1.5S, 1500",
      "pt2m,   120000",
      "PT30S,  30000",
    })
    void acceptTheDocumentedForms(String text, long millis) {
      assertThat(config(SebsConfig.LOCAL_KEEP_ALIVE, text).localKeepAlive()).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void theStartTimeoutIsADurationToo() {
      assertThat(config(SebsConfig.LOCAL_START_TIMEOUT, "750ms").localStartTimeout())
          .isEqualTo(Duration.ofMillis(750));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "ten seconds", "5h", "ms", "2 minutes", "PTXS", "P1D"})
    void aBadOneNamesTheKeyAndTheAcceptedForms(String text) {
      assertThatThrownBy(() -> config(SebsConfig.LOCAL_KEEP_ALIVE, text).localKeepAlive())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("sebs.local.keepAlive must be a duration such as 500ms, 30s, 5m or PT30S, was '" + text + "'");
    }

    @Test
    void aBadStartTimeoutNamesItsOwnKey() {
      assertThatThrownBy(() -> config(SebsConfig.LOCAL_START_TIMEOUT, "soon").localStartTimeout())
          .hasMessageStartingWith("sebs.local.startTimeout must be a duration")
          .hasMessageContaining("'soon'");
    }

    @Test
    void aNegativeDurationIsRejected() {
      assertThatThrownBy(() -> config(SebsConfig.LOCAL_START_TIMEOUT, "-1s").localStartTimeout())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(SebsConfig.LOCAL_START_TIMEOUT);
      assertThatThrownBy(() -> config(SebsConfig.LOCAL_KEEP_ALIVE, "-5m").localKeepAlive())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(SebsConfig.LOCAL_KEEP_ALIVE);
    }
  }

  @Nested
  class Confidence {

    @ParameterizedTest
    @ValueSource(strings = {"0.5", "0.9", "0.99", "0.999"})
    void insideZeroOneIsAccepted(String value) {
      assertThat(config(SebsConfig.CONFIDENCE, value).confidence()).isEqualTo(Double.parseDouble(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "95", "-0.5", "NaN", "1.0000001"})
    void outOfRangeIsRejectedWithTheKey(String value) {
      assertThatThrownBy(() -> config(SebsConfig.CONFIDENCE, value).confidence())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("sebs.confidence must be in (0, 1), was ");
    }

    @Test
    void aNonNumberSaysSo() {
      assertThatThrownBy(() -> config(SebsConfig.CONFIDENCE, "95%").confidence())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("sebs.confidence must be a number, was '95%'");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-4", "0.5"})
  void maxInstancesBelowOneIsRejected(String value) {
    assertThatThrownBy(() -> config(SebsConfig.LOCAL_MAX_INSTANCES, value).localMaxInstances())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(SebsConfig.LOCAL_MAX_INSTANCES);
  }

  @Nested
  class BenchmarksDir {

    @Test
    void aConfiguredOneIsUsedAsGivenMadeAbsolute(@TempDir Path tmp) {
      // no wrappers/ needed: an explicit setting is trusted
      assertThat(config(SebsConfig.BENCHMARKS_DIR, tmp.resolve("x/../catalogue").toString()).benchmarksDir())
          .isEqualTo(tmp.resolve("catalogue"));
    }

    @Test
    void withoutOneTheNearestBenchmarksFolderHoldingABenchmarkAboveTheWorkingDirectoryIsUsed() {
      Path found = config().benchmarksDir();

      assertThat(found.getFileName()).hasToString("benchmarks");
      assertThat(found.resolve("000.microbenchmarks/010.sleep/config.json")).isRegularFile();
      assertThat(Path.of("").toAbsolutePath()).startsWith(found.getParent());
    }

    // The search starts at the working directory, so these run SebsConfig in a JVM started in a temp folder.

    @Test
    void theSearchWalksUpToASiblingBenchmarksFolder(@TempDir Path tmp) throws Exception {
      benchmark(tmp.resolve("project/benchmarks/100.webapps/110.dynamic-html"));
      Path cwd = Files.createDirectories(tmp.resolve("project/module/deeper"));

      assertThat(benchmarksDirSeenFrom(cwd)).isEqualTo("found " + tmp.resolve("project/benchmarks").toRealPath());
    }

    @Test
    void aUsersFolderNeedsNoWrappersSubfolderTheyShipInTheJars(@TempDir Path tmp) throws Exception {
      benchmark(tmp.resolve("project/benchmarks/010.hello"));

      assertThat(benchmarksDirSeenFrom(tmp.resolve("project")))
          .isEqualTo("found " + tmp.resolve("project/benchmarks").toRealPath());
    }

    @Test
    void theSearchAcceptsBeingInsideTheBenchmarksFolder(@TempDir Path tmp) throws Exception {
      benchmark(tmp.resolve("project/benchmarks/100.webapps/110.dynamic-html"));
      Path cwd = tmp.resolve("project/benchmarks/100.webapps");

      assertThat(benchmarksDirSeenFrom(cwd)).isEqualTo("found " + tmp.resolve("project/benchmarks").toRealPath());
    }

    @Test
    void theNearestMatchWins(@TempDir Path tmp) throws Exception {
      benchmark(tmp.resolve("outer/benchmarks/010.sleep"));
      benchmark(tmp.resolve("outer/inner/benchmarks/010.sleep"));
      Path cwd = Files.createDirectories(tmp.resolve("outer/inner/module"));

      assertThat(benchmarksDirSeenFrom(cwd))
          .isEqualTo("found " + tmp.resolve("outer/inner/benchmarks").toRealPath());
    }

    @Test
    void aBenchmarksFolderWithoutAnyBenchmarkIsPassedOverAndTheErrorSaysWhy(@TempDir Path tmp)
        throws Exception {
      Files.createDirectories(tmp.resolve("project/benchmarks/010.sleep/python"));
      Path cwd = Files.createDirectories(tmp.resolve("project/module"));

      assertThat(benchmarksDirSeenFrom(cwd))
          .startsWith("failed No benchmarks directory found from ")
          .contains("passed over: " + tmp.resolve("project/benchmarks").toRealPath()
              + " (no config.json in any sub-folder one or two levels down)")
          .endsWith("or set -Dsebs.benchmarks.dir=<folder>");
    }

    private void benchmark(Path dir) throws IOException {
      Files.createDirectories(dir.resolve("python"));
      Files.writeString(dir.resolve("config.json"), "{\"timeout\": 60, \"memory\": 128, \"languages\": [\"python\"]}");
    }

    /** Runs {@link Probe} with the given working directory and returns its one line. */
    private String benchmarksDirSeenFrom(Path workingDirectory) throws IOException, InterruptedException {
      String classpath = String.join(java.io.File.pathSeparator, List.of(
          Path.of(SebsConfig.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString(),
          Path.of(Probe.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString()));
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      Process process = new ProcessBuilder(java.toString(), "-cp", classpath, Probe.class.getName())
          .directory(workingDirectory.toFile())
          .redirectErrorStream(true)
          .start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      return new String(out, StandardCharsets.UTF_8).strip();
    }
  }

  /** Prints where {@link SebsConfig#benchmarksDir()} looks from this JVM's working directory. */
  public static final class Probe {
    public static void main(String[] args) throws IOException {
      try {
        Path dir = new SebsConfig(key -> Optional.empty()).benchmarksDir();
        System.out.println("found " + dir.toRealPath());
      } catch (IllegalStateException e) {
        System.out.println("failed " + e.getMessage());
      }
    }
  }
}
