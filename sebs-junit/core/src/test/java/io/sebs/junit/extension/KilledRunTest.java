package io.sebs.junit.extension;

import static org.assertj.core.api.Assertions.assertThat;

import io.sebs.junit.Measurements;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import io.sebs.junit.baseline.BaselineResults;
import io.sebs.junit.report.ResultsFolder;
import io.sebs.junit.report.ResultsSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing is lost when the JVM dies in the middle of a series: a child JVM runs a long warm series, is
 * killed with SIGKILL once some invocations are on disk, and every reader (the results folder, the summary
 * table, the baseline loader) still sees those invocations, marked incomplete.
 */
class KilledRunTest {

  /** The child's test: far more invocations than it will live to make. */
  @ServerlessBenchmark("901.echo")
  static class LongWarmSeries {
    @Test
    @Warm(repetitions = 100_000, warmup = 0, payload = "slowly")
    void warm(Measurements m) {
      throw new AssertionError("the series was meant to be killed before it ended");
    }

    static Map<String, Object> slowly() {
      return Map.of("sleep", 0.01);
    }
  }

  /** The child JVM: runs {@link LongWarmSeries} with results under {@code args[0]}. */
  public static void main(String[] args) {
    ExtensionTestKit.run(LongWarmSeries.class, Path.of(args[0]));
  }

  @Test
  void aKilledRunLeavesTheInvocationsItGotReadableAndMarkedIncomplete(@TempDir Path results) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        KilledRunTest.class.getName(), results.toString())
        .redirectErrorStream(true).redirectOutput(results.resolveSibling(results.getFileName() + "-child.log").toFile())
        .start();
    Path journal;
    try {
      // one line more than needed: the last line seen may still be half-written when the child dies
      journal = awaitJournalWith(results, 21, Duration.ofSeconds(120), child);
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs in the child
      child.waitFor(30, TimeUnit.SECONDS);
    }
    Path runDir = journal.getParent();
    assertThat(Files.exists(runDir.resolve(journal.getFileName().toString().replace(".jsonl", ".json"))))
        .as("the series never ended, so it has no final JSON").isFalse();

    List<ResultsFolder.Series> series = ResultsFolder.read(runDir, 0.95);
    assertThat(series).hasSize(1);
    var root = series.get(0).root();
    assertThat(series.get(0).incomplete()).isTrue();
    assertThat(root.path("name").asText()).isEqualTo("LongWarmSeries.warm");
    int invocations = root.path("statistics").path("invocations").asInt();
    assertThat(invocations).isGreaterThanOrEqualTo(20);
    assertThat(root.path("_invocations").path(root.path("function").asText()).size()).isEqualTo(invocations);
    assertThat(root.path("statistics").path("client_time").path("n").asInt()).isEqualTo(invocations);
    assertThat(root.path("settings").path("stop_reason").asText()).startsWith("incomplete: the run ended after");

    assertThat(ResultsSummary.markdown(runDir)).contains("LongWarmSeries.warm (incomplete");
    BaselineResults baseline = BaselineResults.load(runDir, "sebs.baseline");
    assertThat(baseline.records()).singleElement()
        .satisfies(r -> assertThat(r.samples(io.sebs.junit.TimeMetric.CLIENT_TIME)).hasSize(invocations));
  }

  private static Path awaitJournalWith(Path results, int lines, Duration timeout, Process child) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!child.isAlive()) {
        throw new AssertionError("the child JVM ended by itself with exit code " + child.exitValue());
      }
      for (Path file : journals(results)) {
        if (Files.readAllLines(file).size() > lines) {
          return file;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no journal with " + lines + " invocations under " + results + " within " + timeout);
  }

  private static List<Path> journals(Path results) throws Exception {
    try (Stream<Path> files = Files.walk(results)) {
      return new ArrayList<>(files.filter(p -> p.toString().endsWith(".jsonl")).toList());
    }
  }
}
