package io.sebs.junit.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.Baseline;
import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.Measurements.Kind;
import io.sebs.junit.SebsAssertions;
import io.sebs.junit.benchmark.BenchmarkCatalog;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.platform.InvocationResult;
import io.sebs.junit.report.ExperimentRecord;
import io.sebs.junit.report.ResultsWriter;
import io.sebs.junit.series.MeasurementSeries;
import io.sebs.junit.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate as CI runs it, on two result folders written by the real {@link ResultsWriter}: a baseline run,
 * then a run where one function is unchanged and one got 50 % slower. The assertion writes each verdict
 * next to the results; {@link GateSummary} turns them into the table and fails only on the slowed one.
 */
class GateSummaryTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path results;

  /** 30 warm client times of about {@code medianMs} ms with up to 10 % noise, reproducible by seed. */
  private static Measurements series(String function, double medianMs, long seed) {
    Random random = new Random(seed);
    List<Invocation> invocations = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      long client = Math.round(medianMs * 1000 * (0.95 + 0.10 * random.nextDouble()));
      long begin = 1_700_000_000_000_000L + i * 1_000_000L;
      invocations.add(new InvocationResult("req-" + i, begin, client, begin + 500, begin + client - 500, -1, -1, -1,
          false, "c-1", null, JSON.createObjectNode(), JSON.createObjectNode()));
    }
    return new MeasurementSeries(Kind.WARM, function, "local", invocations, List.of(), "fixed");
  }

  private static void write(Path run, String name, Measurements m) {
    FunctionSpec spec = new FunctionSpec(new BenchmarkCatalog(Fixtures.benchmarksDir()).find("901.echo"),
        Language.PYTHON, "", "test", 128, 2);
    new ResultsWriter(run, 0.95).write(new ExperimentRecord(name, "[engine:junit-jupiter]/[class:" + name + "]",
        "local", spec, m.functionName(), "abc", JSON.createObjectNode(), Map.of("repetitions", 30),
        Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:05Z"), m));
  }

  /** Gates {@code m} against the baseline folder as a test's assertion does; the verdict's label. */
  private static String gate(Path baselineRun, Path run, String name, Measurements m) {
    BaselineRecord record = BaselineResults.load(baselineRun, "sebs.baseline").find(name, "", "local").record()
        .orElseThrow();
    Baseline baseline = Baseline.of(record, 0.95, new ComparisonFile(run, name, record.describeSource()));
    try {
      SebsAssertions.assertThat(m).clientTime().isNotSlowerThanBaseline(baseline, 0.10);
      return "passed";
    } catch (AssertionError e) {
      return "failed";
    }
  }

  @Test
  void anUnchangedFunctionPassesAndASlowedOneFailsTheGate() throws IOException {
    Path baseline = results.resolve("20260101-100000-main");
    write(baseline, "EchoTest.unchanged", series("sebs-a", 20, 1));
    write(baseline, "EchoTest.slowed", series("sebs-b", 20, 2));
    Path current = results.resolve("20260102-100000-pr");
    Measurements unchanged = series("sebs-a", 20, 3);
    Measurements slowed = series("sebs-b", 30, 4);
    write(current, "EchoTest.unchanged", unchanged);
    write(current, "EchoTest.slowed", slowed);
    write(current, "EchoTest.cold", series("sebs-c", 900, 5)); // measured, but not gated

    assertThat(gate(baseline, current, "EchoTest.unchanged", unchanged)).isEqualTo("passed");
    assertThat(gate(baseline, current, "EchoTest.slowed", slowed)).isEqualTo("failed");

    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Path jobSummary = results.resolve("step-summary.md");
    GateSummary summary = GateSummary.publish(GateSummary.runFolders(results.resolve("20260102-100000-pr")),
        jobSummary, new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertThat(summary.failed()).isTrue();
    assertThat(summary.rows()).extracting(GateSummary.Row::test, GateSummary.Row::verdict)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("EchoTest.unchanged", "pass"),
            org.assertj.core.groups.Tuple.tuple("EchoTest.slowed", "fail"));
    GateSummary.Row slowRow = summary.rows().stream().filter(r -> r.verdict().equals("fail")).findFirst().orElseThrow();
    assertThat(slowRow.platform()).isEqualTo("local");
    assertThat(slowRow.relativeLower()).isGreaterThan(0.10);
    assertThat(slowRow.baselineMedian()).isBetween(19_000.0, 21_000.0);
    assertThat(slowRow.currentMedian()).isBetween(29_000.0, 31_000.0);
    assertThat(summary.notCompared()).containsExactly("EchoTest.cold (local)");

    String table = printed.toString(StandardCharsets.UTF_8);
    assertThat(table).startsWith("### Regression gate: FAIL\n\n2 comparison(s) in 20260102-100000-pr: 1 slower "
        + "beyond the tolerance, 1 pass, 0 inconclusive");
    assertThat(table).containsPattern("\\| EchoTest\\.slowed \\| local \\| client time \\| 2\\d\\.\\d \\| 3\\d\\.\\d "
        + "\\| \\+\\d+\\.\\d \\[\\+\\d+\\.\\d, \\+\\d+\\.\\d\\] \\| \\+\\d+\\.\\d% \\[.*\\] \\| 10% \\| 30/30 \\| \\*\\*FAIL\\*\\* \\|");
    assertThat(table).contains("| EchoTest.unchanged | local | client time |").contains("| 30/30 | pass |");
    assertThat(table).contains("1 measured series not compared").contains("EchoTest.cold (local)");
    assertThat(Files.readString(jobSummary)).isEqualTo(table + "\n");
    assertThat(current.resolve(GateSummary.FILE)).hasContent(table.stripTrailing());
  }

  @Test
  void anUnchangedRunPassesTheGate() throws IOException {
    Path baseline = results.resolve("run-1");
    write(baseline, "EchoTest.warm", series("sebs-a", 50, 11));
    Path current = results.resolve("run-2");
    Measurements again = series("sebs-a", 50, 12);
    write(current, "EchoTest.warm", again);

    assertThat(gate(baseline, current, "EchoTest.warm", again)).isEqualTo("passed");
    GateSummary summary = GateSummary.of(List.of(current));

    assertThat(summary.failed()).isFalse();
    assertThat(summary.markdown()).startsWith("### Regression gate: pass\n\n1 comparison(s) in run-2: 0 slower");
  }

  @Test
  void aRunWithoutComparisonsSaysHowToGetOne() throws IOException {
    Path run = results.resolve("run-1");
    write(run, "EchoTest.warm", series("sebs-a", 50, 11));

    GateSummary summary = GateSummary.of(GateSummary.runFolders(results));

    assertThat(summary.failed()).isFalse();
    assertThat(summary.markdown()).startsWith("### Regression gate: no comparison\n\nNo test of run-1 was compared "
        + "with a baseline: run with `-Dsebs.baseline=");
  }

  @Test
  void aFolderThatDoesNotExistIsAnError() {
    assertThatThrownBy(() -> GateSummary.runFolders(results.resolve("nope")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a folder");
  }
}
