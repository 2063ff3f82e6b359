package io.sebs.junit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements.Kind;
import io.sebs.junit.benchmark.BenchmarkCatalog;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.platform.InvocationResult;
import io.sebs.junit.series.MeasurementSeries;
import io.sebs.junit.stats.LeBoudecInterval;
import io.sebs.junit.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The comparison of platforms reads what each platform's run wrote (through the real {@link ResultsWriter})
 * and puts each test's medians and intervals side by side; the figures are checked against medians
 * recomputed from the raw invocation times in the same files.
 */
class PlatformComparisonTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FUNCTION = "sebs-901-echo-python-128";

  @TempDir
  Path run;

  /** {@code n} successful invocations: client time {@code scale × (10 + i mod 7) ms}, benchmark time scale × 2 ms + i µs. */
  private static MeasurementSeries series(String platform, int n, long scale) {
    List<Invocation> invocations = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long begin = 1_700_000_000_000_000L + i * 1_000_000L;
      long client = scale * (10_000 + 1_000L * ((i * 3) % 7));
      long benchmark = scale * 2_000 + i;
      invocations.add(new InvocationResult("req-" + i, begin, client, begin + 100, begin + 100 + benchmark, -1, -1, -1,
          false, "c-1", null, JSON.createObjectNode(), JSON.createObjectNode()));
    }
    return new MeasurementSeries(Kind.WARM, FUNCTION, platform, invocations, List.of(), "fixed");
  }

  private void write(String platform, String test, int n, long scale) {
    var spec = new FunctionSpec(new BenchmarkCatalog(Fixtures.benchmarksDir()).find("901.echo"), Language.PYTHON, "",
        "test", 128, 2);
    new ResultsWriter(run.resolve(platform), 0.95).write(new ExperimentRecord(test, "[engine:junit-jupiter]", platform,
        spec, FUNCTION, "abc", JSON.createObjectNode(), Map.of(), Instant.EPOCH, Instant.EPOCH,
        series(platform, n, scale)));
  }

  /** Median and 95% interval (ms, one decimal, as in the table) recomputed from a results file's raw times. */
  private String expectedCell(String platform, String test, String time) throws IOException {
    JsonNode invocations = JSON.readTree(run.resolve(platform).resolve(test + ".json").toFile())
        .path("_invocations").path(FUNCTION);
    List<Double> values = new ArrayList<>();
    invocations.forEach(i -> values.add(i.path("times").path(time).asDouble()));
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    var ci = LeBoudecInterval.ranks(sorted.length, 0.95).orElseThrow();
    return String.format(Locale.ROOT, "%.1f [%.1f, %.1f] (n=%d)", median / 1000, sorted[ci.lower() - 1] / 1000,
        sorted[ci.upper() - 1] / 1000, sorted.length);
  }

  @Test
  void eachTestsMediansAndIntervalsStandSideBySidePerPlatform() throws IOException {
    write("local", "Sleep.warm", 21, 1);
    write("docker", "Sleep.warm", 21, 2);
    write("local", "Sleep.cold", 3, 1);
    write("docker", "Echo.onlyDocker", 15, 1);

    PlatformComparison comparison = PlatformComparison.read(folders("local", "docker"));
    String table = comparison.markdown();

    assertThat(comparison.tests()).containsExactly("Echo.onlyDocker", "Sleep.cold", "Sleep.warm");
    assertThat(table).contains("# Platforms side by side: local, docker", "95% confidence interval",
        "## Client time", "## Benchmark time", "| test | local | docker | docker / local |");
    assertThat(table).contains("| Sleep.warm | " + expectedCell("local", "Sleep.warm", "client") + " | "
        + expectedCell("docker", "Sleep.warm", "client") + " | 2.00× |");
    assertThat(table).contains("| Sleep.warm | " + expectedCell("local", "Sleep.warm", "benchmark") + " | "
        + expectedCell("docker", "Sleep.warm", "benchmark") + " | ");
    assertThat(table).contains("| Sleep.cold | 13.0 (n=3, too few for an interval) | - | - |");
    assertThat(table).contains("| Echo.onlyDocker | - | " + expectedCell("docker", "Echo.onlyDocker", "client")
        + " | - |");
  }

  @Test
  void theMarkdownAndOneChartPerMetricAreWrittenIntoTheRunFolder() throws IOException {
    write("local", "Sleep.warm", 21, 1);
    write("docker", "Sleep.warm", 21, 30);

    PlatformComparison.Written written = PlatformComparison.readRun(run).write(run, Charts.DEFAULT);

    assertThat(written.markdown()).isEqualTo(run.resolve("comparison.md"));
    assertThat(Files.readString(written.markdown())).contains("| Sleep.warm | ");
    assertThat(written.charts()).extracting(ChartFile::file).containsExactly(
        run.resolve("comparison.client-time.png"), run.resolve("comparison.benchmark-time.png"));
    assertThat(written.charts()).allSatisfy(chart -> {
      assertThat(chart.failure()).isEmpty();
      assertThat(Arrays.copyOf(Files.readAllBytes(chart.file()), 4))
          .containsExactly((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    });
  }

  @Test
  void aRunFolderIsReadByItsPlatformSubFolders() throws IOException {
    write("local", "Sleep.warm", 5, 1);
    write("docker", "Sleep.warm", 5, 1);
    Files.createDirectories(run.resolve("not-results"));
    Files.writeString(run.resolve("docker").resolve("Sleep.warm.baseline.json"), "{\"verdict\": \"none\"}");

    PlatformComparison comparison = PlatformComparison.readRun(run);

    assertThat(comparison.platforms()).containsExactly("docker", "local");
    assertThat(comparison.tests()).containsExactly("Sleep.warm");
  }

  @Test
  void oneFolderIsNotAComparison() {
    write("local", "Sleep.warm", 5, 1);

    assertThatThrownBy(() -> PlatformComparison.readRun(run)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("results of 1 platform(s) [local]").hasMessageContaining("-Dsebs.platform=<a>,<b>");
    assertThatThrownBy(() -> PlatformComparison.read(folders("local")))
        .hasMessageContaining("at least two platforms");
  }

  private Map<String, Path> folders(String... platforms) {
    Map<String, Path> folders = new LinkedHashMap<>();
    for (String p : platforms) {
      folders.put(p, run.resolve(p));
    }
    return folders;
  }
}
