package io.sebs.junit.extension;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.BenchmarkInput;
import io.sebs.junit.Burst;
import io.sebs.junit.ColdStart;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.SebsAssertions;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a measured test receives and leaves behind: injected invoker, input and measurements classified
 * cold or warm from the function's own report, and result files written before the budgets run.
 */
class MeasurementAndInjectionTest {

  @TempDir
  Path results;

  /** Captures what the extension injected, for the assertions outside the engine run. */
  static final Map<String, Object> SEEN = new java.util.concurrent.ConcurrentHashMap<>();

  @ServerlessBenchmark("901.echo")
  static class EchoBenchmark {
    @Test
    void injection(FunctionInvoker invoker, @BenchmarkInput Map<String, Object> input, @BenchmarkInput JsonNode json) {
      SEEN.put("input", input);
      SEEN.put("json", json);
      SEEN.put("invocation", invoker.invoke(Map.of("message", "direct")));
      SEEN.put("function", invoker.functionName());
    }

    @Test
    @ColdStart(repetitions = 3)
    void cold(Measurements m) {
      SEEN.put("cold", m);
    }

    @Test
    @Warm(repetitions = 5, warmup = 2)
    void warm(Measurements m) {
      SEEN.put("warm", m);
    }

    @Test
    @Burst(repetitions = 2, concurrency = 3)
    void burst(Measurements m) {
      SEEN.put("burst", m);
    }

    @Test
    @Warm(repetitions = 2, payload = "greeting")
    void customPayload(Measurements m) {
      SEEN.put("custom", m);
    }

    Map<String, Object> greeting(JsonNode generated) {
      return Map.of("message", "custom", "repeat", generated.path("repeat").asInt() + 1);
    }

    @Test
    @ColdStart(repetitions = 1, payload = "noSuchMethod")
    void missingPayloadMethod(Measurements m) {}

    @Test
    @Warm(repetitions = 3)
    void failingBudget(Measurements m) {
      SebsAssertions.assertThat(m).clientTime().median().isLessThan(Duration.ofNanos(1));
    }
  }

  @ServerlessBenchmark(value = "901.echo", language = "nodejs", size = "large")
  static class EchoWithCorruptValidation {
    @Test
    @Warm(repetitions = 2)
    void warm(Measurements m, FunctionInvoker invoker) {
      SEEN.put("validated", m);
    }
  }

  @Test
  void injectsTheInvokerAndTheGeneratedInput() {
    ExtensionTestKit.run(EchoBenchmark.class, results);

    assertThat(SEEN.get("input")).isEqualTo(Map.of("message", "hello", "repeat", 1));
    assertThat(((JsonNode) SEEN.get("json")).path("repeat").asInt()).isEqualTo(1);
    Invocation direct = (Invocation) SEEN.get("invocation");
    assertThat(direct.failed()).isFalse();
    assertThat(direct.output().path("echo").path("message").asText()).isEqualTo("direct");
    assertThat(SEEN.get("function")).isEqualTo("sebs-901-echo-python-128");
  }

  @Test
  void coldStartsAreEnforcedAndVerifiedWarmSeriesAreWarm() {
    ExtensionTestKit.run(EchoBenchmark.class, results);

    Measurements cold = (Measurements) SEEN.get("cold");
    assertThat(cold.kind()).isEqualTo(Measurements.Kind.COLD);
    assertThat(cold.invocations()).hasSize(3).allMatch(Invocation::isCold).noneMatch(Invocation::failed);
    assertThat(cold.invocations().stream().map(Invocation::containerId).distinct()).hasSize(3);
    assertThat(cold.misclassified()).isEmpty();

    Measurements warm = (Measurements) SEEN.get("warm");
    assertThat(warm.invocations()).hasSize(5).noneMatch(Invocation::isCold);
    assertThat(warm.invocations().stream().map(Invocation::containerId).distinct()).hasSize(1);
    assertThat(warm.coldStartRate()).isZero();

    Measurements burst = (Measurements) SEEN.get("burst");
    assertThat(burst.invocations()).hasSize(6).noneMatch(Invocation::failed);
  }

  @Test
  void aPayloadMethodReplacesTheGeneratedInput() {
    var events = ExtensionTestKit.run(EchoBenchmark.class, results);

    Measurements custom = (Measurements) SEEN.get("custom");
    assertThat(custom.invocations()).hasSize(2).allSatisfy(i -> {
      assertThat(i.output().path("echo").path("message").asText()).isEqualTo("custom");
      assertThat(i.output().path("echo").path("repeat").asInt()).isEqualTo(2);
    });
    events.assertThatEvents().haveExactly(1, org.junit.platform.testkit.engine.EventConditions.finishedWithFailure(
        org.junit.platform.testkit.engine.TestExecutionResultConditions.message(
            m -> m.contains("@ColdStart(payload = \"noSuchMethod\")")
                && m.contains("has no method noSuchMethod() or noSuchMethod(JsonNode input)"))));
  }

  @Test
  void everyMeasuredTestWritesJsonCsvAndChartsEvenWhenItsBudgetFails() throws IOException {
    var events = ExtensionTestKit.run(EchoBenchmark.class, results);
    events.assertStatistics(s -> s.failed(2)); // the budget, and the missing payload method

    Path runDir;
    try (Stream<Path> dirs = Files.list(results)) {
      runDir = dirs.findFirst().orElseThrow();
    }
    Path json = runDir.resolve("EchoBenchmark.failingBudget.json");
    Path csv = runDir.resolve("EchoBenchmark.failingBudget.csv");
    assertThat(json).exists();
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    assertThat(root.path("experiment").asText()).isEqualTo("warm");
    assertThat(root.path("platform").asText()).isEqualTo("local");
    assertThat(root.path("_invocations").path("sebs-901-echo-python-128").size()).isEqualTo(3);
    JsonNode first = root.path("_invocations").path("sebs-901-echo-python-128").elements().next();
    assertThat(first.path("times").path("client").asLong()).isPositive();
    assertThat(first.path("times").path("begin").asLong()).isGreaterThan(1_600_000_000_000_000L);
    assertThat(first.path("stats").path("cold_start").asBoolean()).isFalse();
    assertThat(root.path("statistics").path("client_time").path("n").asInt()).isEqualTo(3);
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).startsWith("request_id,container_id,is_cold,failed,sample,client_time_us");
    assertThat(runDir.resolve("EchoBenchmark.cold.json")).exists();
    assertThat(runDir.resolve("EchoBenchmark.burst.csv")).exists();
    for (String chart : List.of("latency-cdf", "client-time-histogram", "benchmark-time-histogram")) {
      Path png = runDir.resolve("EchoBenchmark.failingBudget." + chart + ".png");
      assertThat(png).exists();
      assertThat(Files.readAllBytes(png)).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    }
  }

  @Test
  void aMeasuredTestPublishesItsFiguresAsReportEntriesForSurefireAndTheIde() {
    var events = ExtensionTestKit.run(EchoBenchmark.class, results);

    List<org.junit.platform.engine.reporting.ReportEntry> entries = events.reportingEntryPublished()
        .filter(e -> e.getTestDescriptor().getDisplayName().equals("warm(Measurements)"))
        .map(e -> e.getPayload(org.junit.platform.engine.reporting.ReportEntry.class).orElseThrow())
        .toList();
    assertThat(entries).hasSize(1);
    Map<String, String> entry = entries.get(0).getKeyValuePairs();
    assertThat(entry.get("sebs.series"))
        .matches("warm x5: client time median [0-9.]+ ms \\(too few samples for a 95% interval\\), "
            + "benchmark time median [0-9.]+ ms, cold 0/5, failed 0/5, \\$[0-9.e-]+ per million at aws prices");
    assertThat(Path.of(entry.get("sebs.results"))).isRegularFile()
        .hasFileName("EchoBenchmark.warm.json");
  }

  @Test
  void outputsAreCheckedWithTheBenchmarksValidateOutput() {
    ExtensionTestKit.run(EchoWithCorruptValidation.class, results);

    Measurements m = (Measurements) SEEN.get("validated");
    assertThat(m.invocations()).hasSize(2).allMatch(Invocation::failed);
    assertThat(m.failures().get(0).failureReason())
        .hasValueSatisfying(r -> assertThat(r).startsWith("invalid output: corrupt_output is set: the large size rejects every output"));
  }
}
