package io.sebs.junit.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.Baseline;
import io.sebs.junit.Measurements;
import io.sebs.junit.SebsAssertions;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import io.sebs.junit.baseline.GateSummary;
import io.sebs.junit.testing.ChartFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * The regression gate end to end on the local platform: a first run of the echo fixture produces the
 * baseline folder; a second run with {@code sebs.baseline} set compares with it. The function sleeps as the
 * payload says, so "slower" is real: 20 ms per invocation in the baseline, 80 ms when it regressed. The
 * tolerance of 50 % (10 ms) keeps machine noise, which is a few milliseconds here, from deciding.
 */
class BaselineGateExtensionTest {

  @TempDir
  Path results;

  /** The function's sleep, in seconds, for the next run (read by the payload method). */
  static volatile double sleepSeconds = 0.02;

  @ServerlessBenchmark(value = "901.echo", language = "python")
  static class GatedEcho {
    @Test
    @Warm(repetitions = 15, warmup = 2, payload = "sleeping")
    void warm(Measurements m, Baseline baseline) {
      SebsAssertions.assertThat(m).hasNoFailures().clientTime().isNotSlowerThanBaseline(baseline, 0.50);
    }

    Map<String, Object> sleeping() {
      return Map.of("message", "gate", "sleep", sleepSeconds);
    }
  }

  @ServerlessBenchmark(value = "901.echo", language = "python")
  static class AnotherTest {
    @Test
    @Warm(repetitions = 3)
    void warm(Measurements m, Baseline baseline) {
      SebsAssertions.assertThat(m).clientTime().isNotSlowerThanBaseline(baseline, 0.50);
    }
  }

  private Path baselineRun() throws IOException {
    sleepSeconds = 0.02;
    ExtensionTestKit.run(GatedEcho.class, results).assertStatistics(s -> s.aborted(1)); // no baseline yet
    try (Stream<Path> runs = Files.list(results)) {
      List<Path> folders = runs.filter(Files::isDirectory).toList();
      assertThat(folders).hasSize(1);
      assertThat(folders.get(0).resolve("GatedEcho.warm.json")).exists();
      return folders.get(0);
    }
  }

  private static String outcome(Events events) {
    Event finished = events.finished().stream().filter(e -> e.getTestDescriptor().isTest()).findFirst().orElseThrow();
    return finished.getPayload(org.junit.platform.engine.TestExecutionResult.class)
        .map(r -> r.getStatus() + r.getThrowable().map(t -> ": " + t.getMessage()).orElse("")).orElse("?");
  }

  @Test
  void aRegressionFailsTheBuildAndAnUnchangedFunctionDoesNot() throws Exception {
    Path baseline = baselineRun();

    sleepSeconds = 0.08;
    Events slower = ExtensionTestKit.run(GatedEcho.class, results, "sebs.baseline", baseline.toString());
    System.out.println("slower: " + outcome(slower));
    slower.assertThatEvents().haveExactly(1, event(test(), finishedWithFailure(message(m ->
        m.startsWith("Expected client time not slower than the baseline by more than 50% with 95% confidence but it "
            + "got slower beyond the tolerance: the change is +")
        && m.contains("one-sided Mann-Whitney p = ")
        && m.contains("n=15 successful of 15 invocations")
        && m.endsWith("n=15 from " + baseline.resolve("GatedEcho.warm.json"))))));

    sleepSeconds = 0.02;
    Events unchanged = ExtensionTestKit.run(GatedEcho.class, results, "sebs.baseline", baseline.toString());
    System.out.println("unchanged: " + outcome(unchanged));
    unchanged.assertStatistics(s -> s.failed(0));
    assertThat(outcome(unchanged)).matches("SUCCESSFUL|ABORTED: Inconclusive: .*"); // never FAILED

    JsonNode comparison = comparisonOfNewestRunOtherThan(baseline);

    // what CI publishes: the slower run's table fails the gate step, the unchanged run's does not
    List<GateSummary> summaries = gatedRunsOtherThan(baseline).stream().map(run -> GateSummary.of(List.of(run)))
        .toList();
    assertThat(summaries).hasSize(2);
    assertThat(summaries.get(0).failed()).isTrue();
    assertThat(summaries.get(0).markdown()).startsWith("### Regression gate: FAIL").contains("| GatedEcho.warm | local "
        + "| client time |").contains("| 15/15 | **FAIL** |");
    assertThat(summaries.get(1).failed()).isFalse();
    assertThat(summaries.get(1).rows()).extracting(GateSummary.Row::verdict).containsExactly(
        comparison.path("comparisons").get(0).path("verdict").asText());
    assertThat(comparison.path("baseline").asText()).isEqualTo(baseline.resolve("GatedEcho.warm.json").toString());
    assertThat(comparison.path("comparisons").get(0).path("verdict").asText()).isIn("pass", "inconclusive");
    assertThat(comparison.path("comparisons").get(0).path("n_baseline").asInt()).isEqualTo(15);
  }

  @Test
  void withoutABaselineOrWithoutTheTestInItTheGateIsAbortedSayingHowToProvideOne() throws Exception {
    Path baseline = baselineRun();

    Events missing = ExtensionTestKit.run(AnotherTest.class, results, "sebs.baseline", baseline.toString());
    Events unconfigured = ExtensionTestKit.run(AnotherTest.class, results);

    missing.assertThatEvents().haveExactly(1, event(test(), abortedWithReason(message(m ->
        m.startsWith("No baseline to compare client time with: no baseline for AnotherTest.warm on local in "
            + baseline) && m.contains("point sebs.baseline at that run's results folder")))));
    unconfigured.assertThatEvents().haveExactly(1, event(test(), abortedWithReason(message(m ->
        m.startsWith("No baseline to compare client time with: no baseline is configured; set sebs.baseline")))));
  }

  @Test
  void aConfiguredBaselineFolderThatDoesNotExistFailsTheTest() {
    Path nowhere = results.resolve("no-such-run");

    Events events = ExtensionTestKit.run(AnotherTest.class, results, "sebs.baseline", nowhere.toString());

    events.assertThatEvents().haveExactly(1, event(test(), finishedWithFailure(message(m ->
        m.contains("sebs.baseline is " + nowhere + ", which does not exist")))));
  }

  /** The run folders with a comparison, oldest first (run ids start with the time). */
  private List<Path> gatedRunsOtherThan(Path baseline) throws IOException {
    try (Stream<Path> files = Files.walk(results)) {
      return files.filter(p -> p.getFileName().toString().equals("GatedEcho.warm.baseline.json"))
          .map(Path::getParent).filter(p -> !p.equals(baseline))
          .sorted((a, b) -> Long.compare(a.resolve("GatedEcho.warm.baseline.json").toFile().lastModified(),
              b.resolve("GatedEcho.warm.baseline.json").toFile().lastModified()))
          .toList();
    }
  }

  private JsonNode comparisonOfNewestRunOtherThan(Path baseline) throws IOException {
    try (Stream<Path> files = Files.walk(results)) {
      List<Path> comparisons = files.filter(p -> p.getFileName().toString().equals("GatedEcho.warm.baseline.json"))
          .filter(p -> !p.startsWith(baseline)).sorted().toList();
      assertThat(comparisons).hasSize(2); // the slower run's and the unchanged run's
      // each with the chart of baseline against current next to it
      comparisons.forEach(c -> ChartFiles.assertCharts(c.getParent(), "GatedEcho.warm.baseline.client-time.png"));
      Path newest = comparisons.stream().max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified()))
          .orElseThrow();
      return new ObjectMapper().readTree(newest.toFile());
    }
  }
}
