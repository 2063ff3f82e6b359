package io.sebs.junit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements.Kind;
import io.sebs.junit.benchmark.BenchmarkCatalog;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.cost.CostModel;
import io.sebs.junit.series.MeasurementSeries;
import io.sebs.junit.platform.InvocationResult;
import io.sebs.junit.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ResultsWriter keeps every measured invocation in a SeBS-style JSON file and a CSV, never overwriting. */
class ResultsWriterTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FUNCTION = "sebs-901-echo-python-128";
  private static final String FAILURE = "function error: RuntimeError: a, b and \"c\"\nTraceback: line 1, col 2";

  @TempDir
  Path results;

  private ResultsWriter writer;

  @BeforeEach
  void createWriter() {
    writer = new ResultsWriter(results.resolve("run-1"), 0.95);
  }

  private static InvocationResult success(int i) {
    long begin = 1_700_000_000_000_000L + i * 1_000_000L;
    return new InvocationResult("req-" + i, begin, 10_000 + 100L * i, begin + 2_000, begin + 2_000 + 5_000 + i,
        begin + 1_500, -1, i == 0 ? 42_000 : -1, i == 0, "container-1", null, JSON.createObjectNode().put("i", i),
        JSON.createObjectNode().put("m", i));
  }

  /** Twelve successes (the first cold; memory used 40 + i MB, unknown for the sixth), one failure, one misclassified. */
  private static ExperimentRecord record(String name) {
    List<Invocation> invocations = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      InvocationResult r = (i == 3 ? success(i).withProviderMicros(4_321) : success(i))
          .withMemoryUsedMb(i == 5 ? -1 : 40 + i);
      invocations.add(r);
    }
    invocations.add(InvocationResult.failedBeforeAnswer("req-failed", 1_700_000_100_000_000L, 99_000, FAILURE));
    List<Invocation> misclassified = List.of(success(99));
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("repetitions", 13);
    settings.put("warmup", 1);
    var spec = new FunctionSpec(new BenchmarkCatalog(Fixtures.benchmarksDir()).find("901.echo"), Language.PYTHON, "",
        "test", 128, 2);
    return new ExperimentRecord(name, "[engine:junit-jupiter]/[class:X]/[method:warm()]", "local", spec, FUNCTION,
        "abc123", JSON.createObjectNode().put("message", "hello"), settings, Instant.parse("2024-01-01T00:00:00Z"),
        Instant.parse("2024-01-01T00:00:05Z"),
        new MeasurementSeries(Kind.WARM, FUNCTION, "local", invocations, misclassified, "fixed"));
  }

  /** Each invocation is on disk as it completes; a series that never ended reads like a finished one. */
  @Nested
  class TheJournal {

    private ResultsWriter.Started journalAll(ExperimentRecord record) {
      ResultsWriter.Started started = writer.start(record);
      record.measurements().invocations().forEach(i -> started.journal().append("measured", i));
      record.measurements().misclassified().forEach(i -> started.journal().append("misclassified", i));
      return started;
    }

    @Test
    void aSeriesThatNeverEndedIsRebuiltWithTheSameSamplesAndStatistics() throws IOException {
      ExperimentRecord record = record("Killed.warm");
      ResultsWriter.Started started = journalAll(record);
      started.journal().close(); // the JVM dies here: no final JSON

      // As a reader sees it: written out and parsed again.
      JsonNode recovered = JSON.readTree(JSON.writeValueAsString(ResultsWriter.recover(started.journal().file(), 0.95)));
      JsonNode finished = JSON.readTree(new ResultsWriter(results.resolve("other"), 0.95).write(record).jsonText());

      assertThat(recovered.path("incomplete").asBoolean()).isTrue();
      assertThat(recovered.path("settings").path("stop_reason").asText())
          .isEqualTo("incomplete: the run ended after 14 invocation(s) of this series");
      assertThat(recovered.path("statistics")).isEqualTo(finished.path("statistics"));
      assertThat(recovered.path("_invocations")).isEqualTo(finished.path("_invocations"));
      assertThat(recovered.path("_misclassified")).isEqualTo(finished.path("_misclassified"));
      assertThat(recovered.path("benchmark").asText()).isEqualTo("901.echo");
    }

    @Test
    void aTornLastLineIsSkippedAndSaid() throws IOException {
      ResultsWriter.Started started = journalAll(record("Torn.warm"));
      started.journal().close();
      Files.writeString(started.journal().file(), "{\"request_id\": \"half", java.nio.file.StandardOpenOption.APPEND);

      JsonNode recovered = ResultsWriter.recover(started.journal().file(), 0.95);

      assertThat(recovered.path("statistics").path("invocations").asInt()).isEqualTo(13);
      assertThat(recovered.path("settings").path("stop_reason").asText()).endsWith("(and a torn last line)");
    }

    @Test
    void aFinishedSeriesReplacesItsJournalWithTheJsonAndCsv() {
      ExperimentRecord record = record("Finished.warm");
      ResultsWriter.Started started = journalAll(record);

      ResultsWriter.Written written = writer.write(record, started);

      assertThat(started.journal().file()).doesNotExist();
      assertThat(written.json().getFileName()).hasToString("Finished.warm.json");
      assertThat(ResultsFolder.read(written.json().getParent(), 0.95)).singleElement()
          .satisfies(series -> assertThat(series.incomplete()).isFalse());
    }

    @Test
    void aSecondSeriesOfTheSameNameGetsItsOwnFiles() {
      ResultsWriter.Started first = writer.start(record("Same.warm"));
      ResultsWriter.Started second = writer.start(record("Same.warm"));

      assertThat(first.base()).isEqualTo("Same.warm");
      assertThat(second.base()).isEqualTo("Same.warm-2");
    }
  }

  @Nested
  class TheJsonFile {

    private ResultsWriter.Written written;
    private JsonNode json;

    @BeforeEach
    void write() throws IOException {
      written = writer.write(record("EchoTest.warm"));
      json = JSON.readTree(written.json().toFile());
    }

    @Test
    void isNamedAfterTheExperimentInTheRunFolder() {
      assertThat(written.json()).isEqualTo(results.resolve("run-1/EchoTest.warm.json"));
      assertThat(written.json()).content().isEqualTo(written.jsonText());
    }

    @Test
    void describesWhatWasMeasured() {
      assertThat(json.path("name").asText()).isEqualTo("EchoTest.warm");
      assertThat(json.path("experiment").asText()).isEqualTo("warm");
      assertThat(json.path("platform").asText()).isEqualTo("local");
      assertThat(json.path("benchmark").asText()).isEqualTo("901.echo");
      assertThat(json.path("language").asText()).isEqualTo("python");
      assertThat(json.path("size").asText()).isEqualTo("test");
      assertThat(json.path("memory").asInt()).isEqualTo(128);
      assertThat(json.path("timeout").asInt()).isEqualTo(2);
      assertThat(json.path("function").asText()).isEqualTo(FUNCTION);
      assertThat(json.path("code_hash").asText()).isEqualTo("abc123");
      assertThat(json.path("begin").asText()).isEqualTo("2024-01-01T00:00:00Z");
      assertThat(json.path("settings").path("repetitions").asInt()).isEqualTo(13);
      assertThat(json.path("input").path("message").asText()).isEqualTo("hello");
    }

    @Test
    void keysInvocationsByFunctionAndRequestIdLikeSebs() {
      JsonNode byId = json.path("_invocations").path(FUNCTION);

      assertThat(byId.size()).isEqualTo(13);
      JsonNode first = byId.path("req-0");
      assertThat(first.path("request_id").asText()).isEqualTo("req-0");
      assertThat(first.path("container_id").asText()).isEqualTo("container-1");
      assertThat(first.path("times").path("client").asLong()).isEqualTo(10_000);
      assertThat(first.path("times").path("benchmark").asLong()).isEqualTo(5_000);
      assertThat(first.path("times").path("client_begin").asLong()).isEqualTo(1_700_000_000_000_000L);
      assertThat(first.path("times").path("begin").asLong()).isEqualTo(1_700_000_000_002_000L);
      assertThat(first.path("times").path("end").asLong()).isEqualTo(1_700_000_000_007_000L);
      assertThat(first.path("times").path("income_timestamp").asLong()).isEqualTo(1_700_000_000_001_500L);
      assertThat(first.path("times").path("initialization").asLong()).isEqualTo(42_000);
      assertThat(first.path("stats").path("cold_start").asBoolean()).isTrue();
      assertThat(first.path("stats").path("failure").asBoolean()).isFalse();
      assertThat(first.path("stats").path("memory_used").asDouble()).isEqualTo(40.0);
      assertThat(first.path("output")).isEqualTo(JSON.createObjectNode().put("i", 0));
      assertThat(first.path("measurement")).isEqualTo(JSON.createObjectNode().put("m", 0));
    }

    @Test
    void leavesOutTimesAnInvocationDoesNotHave() {
      JsonNode warm = json.path("_invocations").path(FUNCTION).path("req-1");

      assertThat(warm.path("times").has("initialization")).isFalse();
      assertThat(warm.path("provider_times").isObject()).isTrue();
      assertThat(warm.path("provider_times").has("execution")).isFalse();
      assertThat(warm.path("stats").path("cold_start").asBoolean()).isFalse();
      assertThat(warm.has("failure")).isFalse();
    }

    @Test
    void memoryUsedIsNullWhereThePlatformMeasuredNoneLikeSebs() {
      JsonNode byId = json.path("_invocations").path(FUNCTION);

      assertThat(byId.path("req-5").path("stats").has("memory_used")).isTrue();
      assertThat(byId.path("req-5").path("stats").path("memory_used").isNull()).isTrue();
      assertThat(byId.path("req-failed").path("stats").path("memory_used").isNull()).isTrue();
      assertThat(byId.path("req-11").path("stats").path("memory_used").asDouble()).isEqualTo(51.0);
    }

    @Test
    void summarisesMemoryUsedInMegabytesOverTheSuccessesThatReportIt() {
      JsonNode memory = json.path("statistics").path("memory_used");

      assertThat(memory.path("unit").asText()).isEqualTo("MB");
      // 40..51 without 45 (unknown): 11 values, the median is the sixth, 46
      assertThat(memory.path("n").asInt()).isEqualTo(11);
      assertThat(memory.path("min").asDouble()).isEqualTo(40.0);
      assertThat(memory.path("median").asDouble()).isEqualTo(46.0);
      assertThat(memory.path("max").asDouble()).isEqualTo(51.0);
    }

    @Test
    void keepsProviderTimes() {
      assertThat(json.path("_invocations").path(FUNCTION).path("req-3").path("provider_times").path("execution")
          .asLong()).isEqualTo(4_321);
    }

    @Test
    void keepsFailuresWithTheirReason() {
      JsonNode failed = json.path("_invocations").path(FUNCTION).path("req-failed");

      assertThat(failed.path("stats").path("failure").asBoolean()).isTrue();
      assertThat(failed.path("failure").asText()).isEqualTo(FAILURE);
      assertThat(failed.path("output").isNull()).isTrue();
      assertThat(failed.has("measurement")).isFalse();
    }

    @Test
    void keepsMisclassifiedInvocationsApart() {
      assertThat(json.path("_misclassified").path(FUNCTION).fieldNames()).toIterable().containsExactly("req-99");
      assertThat(json.path("_invocations").path(FUNCTION).has("req-99")).isFalse();
    }

    @Test
    void summarisesEachMetricWithConfidenceIntervals() {
      JsonNode stats = json.path("statistics");

      assertThat(stats.path("unit").asText()).isEqualTo("us");
      assertThat(stats.path("confidence").asDouble()).isEqualTo(0.95);
      assertThat(stats.path("invocations").asInt()).isEqualTo(13);
      assertThat(stats.path("successful").asInt()).isEqualTo(12);
      assertThat(stats.path("failures").asInt()).isEqualTo(1);
      assertThat(stats.path("misclassified").asInt()).isEqualTo(1);
      assertThat(stats.path("failure_rate").asDouble()).isEqualTo(1.0 / 13);

      JsonNode client = stats.path("client_time");
      assertThat(client.path("n").asInt()).as("successful only").isEqualTo(12);
      assertThat(client.path("min").asDouble()).isEqualTo(10_000);
      assertThat(client.path("max").asDouble()).isEqualTo(11_100);
      assertThat(client.path("median").asDouble()).isEqualTo(10_550);
      assertThat(client.path("median_ci").isArray()).isTrue();
      assertThat(client.path("median_ci")).hasSize(2);
      assertThat(client.path("median_ci").get(0).asDouble()).isLessThanOrEqualTo(10_550);
      assertThat(client.path("median_ci").get(1).asDouble()).isGreaterThanOrEqualTo(10_550);
      assertThat(client.path("mean_ci")).hasSize(2);
      assertThat(client.has("p99")).isTrue();

      assertThat(stats.path("benchmark_time").path("n").asInt()).isEqualTo(12);
      assertThat(stats.path("provider_time").path("n").asInt()).isEqualTo(1);
      assertThat(stats.path("provider_time").path("median_ci").isNull()).as("too few samples").isTrue();
      assertThat(stats.path("init_time").path("n").asInt()).isEqualTo(1);
    }
  }

  @Nested
  class TheCsvFile {

    private ResultsWriter.Written written;
    private List<String> lines;

    @BeforeEach
    void write() throws IOException {
      written = writer.write(record("EchoTest.warm"));
      lines = Files.readAllLines(written.csv());
    }

    @Test
    void sitsBesideTheJson() {
      assertThat(written.csv()).isEqualTo(results.resolve("run-1/EchoTest.warm.csv"));
      assertThat(written.csv()).content().isEqualTo(written.csvText());
    }

    @Test
    void hasAHeaderAndOneRowPerInvocation() {
      assertThat(lines.get(0)).isEqualTo("request_id,container_id,is_cold,failed,sample,client_time_us,"
          + "benchmark_time_us,provider_time_us,init_time_us,client_begin_us,function_begin_us,function_end_us,"
          + "memory_used_mb,failure");
      assertThat(lines).hasSize(1 + 13 + 1);
      assertThat(lines.subList(1, lines.size())).allSatisfy(line -> assertThat(parse(line)).hasSize(14));
    }

    @Test
    void rowsCarryTheTimesInMicroseconds() {
      assertThat(parse(lines.get(1))).containsExactly("req-0", "container-1", "true", "false", "measured", "10000",
          "5000", "", "42000", "1700000000000000", "1700000000002000", "1700000000007000", "40.0", "");
      assertThat(parse(row("req-3")).get(7)).isEqualTo("4321");
      assertThat(parse(row("req-5")).get(12)).as("memory used unknown").isEmpty();
      assertThat(parse(row("req-failed")).get(12)).isEmpty();
    }

    @Test
    void failureTextWithCommasAndQuotesIsQuotedOnOneLine() {
      List<String> failed = parse(row("req-failed"));

      assertThat(failed.get(3)).isEqualTo("true");
      assertThat(failed.get(13)).isEqualTo(FAILURE.replace('\n', ' '));
      assertThat(row("req-failed")).endsWith(",\"function error: RuntimeError: a, b and \"\"c\"\" Traceback: line 1, col 2\"");
    }

    @Test
    void misclassifiedRowsComeLastAndSayWhy() {
      assertThat(parse(lines.get(lines.size() - 1))).startsWith("req-99", "container-1", "false", "false",
          "misclassified");
    }

    private String row(String requestId) {
      return lines.stream().filter(l -> l.startsWith(requestId + ",")).findFirst().orElseThrow();
    }
  }

  @Test
  void aBillingNamesTheCpuUnitItsPricesBill() {
    var secondGen = ResultsWriter.billing(CostModel.of("gcp", "gen2-tier1").bill(Duration.ofMillis(1_234), 256, false));
    assertThat(secondGen.path("vcpu_seconds").asDouble()).isCloseTo(0.2171, within(1e-15));
    assertThat(secondGen.has("ghz_seconds")).isFalse();
    assertThat(secondGen.path("billed_time").asLong()).isEqualTo(1_300);

    var firstGen = ResultsWriter.billing(CostModel.of("gcp", "tier1").bill(Duration.ofMillis(260), 256, false));
    assertThat(firstGen.path("ghz_seconds").asDouble()).isCloseTo(0.12, within(1e-15));
    assertThat(firstGen.has("vcpu_seconds")).isFalse();
  }

  @Test
  void aSecondWriteWithTheSameNameDoesNotOverwrite() throws IOException {
    ResultsWriter.Written first = writer.write(record("EchoTest.warm"));
    ResultsWriter.Written second = writer.write(record("EchoTest.warm"));
    ResultsWriter.Written third = new ResultsWriter(results.resolve("run-1"), 0.95).write(record("EchoTest.warm"));

    assertThat(first.json().getFileName()).hasToString("EchoTest.warm.json");
    assertThat(second.json().getFileName()).hasToString("EchoTest.warm-2.json");
    assertThat(second.csv().getFileName()).hasToString("EchoTest.warm-2.csv");
    assertThat(third.json().getFileName()).hasToString("EchoTest.warm-3.json");
    assertThat(first.json()).exists().content().isEqualTo(first.jsonText());
    try (var files = Files.list(results.resolve("run-1"))) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly(
          "EchoTest.warm-2.csv", "EchoTest.warm-2.json", "EchoTest.warm-3.csv", "EchoTest.warm-3.json",
          "EchoTest.warm.csv", "EchoTest.warm.json");
    }
  }

  @Test
  void namesAreMadeSafeForFileNames() {
    ResultsWriter.Written written = writer.write(record("EchoTest.warm(int) [1] a/b:c"));

    assertThat(written.json().getFileName()).hasToString("EchoTest.warm_int__[1]_a_b_c.json");
    assertThat(written.json().getParent()).isEqualTo(results.resolve("run-1"));
  }

  @Test
  void theRunFolderIsCreatedWhenMissing() {
    ResultsWriter deep = new ResultsWriter(results.resolve("a/b/c"), 0.9);

    assertThat(deep.write(record("T.x")).json()).exists();
    assertThat(deep.directory()).isEqualTo(results.resolve("a/b/c"));
  }

  @Test
  void aSeriesThatCannotBeWrittenLeavesNoPartialFile() throws IOException {
    Invocation broken = (Invocation) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Invocation.class}, (proxy, method, args) -> switch (method.getName()) {
          case "requestId" -> "req-broken";
          case "hashCode" -> 7;
          case "equals" -> proxy == args[0];
          default -> throw new IllegalStateException("broken invocation");
        });
    ExperimentRecord base = record("Broken.series");
    ExperimentRecord brokenRecord = new ExperimentRecord(base.name(), base.testId(), base.platform(), base.spec(),
        base.functionName(), base.codeHash(), base.input(), base.settings(), base.begin(), base.end(),
        new MeasurementSeries(Kind.WARM, FUNCTION, "local", List.of(broken), List.of(), "fixed"));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> writer.write(brokenRecord))
        .hasMessage("broken invocation");

    try (var files = Files.list(writer.directory())) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
    }
  }

  @Test
  void everyTextColumnIsQuotedWhenNeeded() throws IOException {
    InvocationResult odd = new InvocationResult("req,1", 1, 2, 3, 4, 0, -1, -1, false, "pod \"a\",b", null, null, null);
    ExperimentRecord base = record("Odd.ids");
    ExperimentRecord oddRecord = new ExperimentRecord(base.name(), base.testId(), base.platform(), base.spec(),
        base.functionName(), base.codeHash(), base.input(), base.settings(), base.begin(), base.end(),
        new MeasurementSeries(Kind.WARM, FUNCTION, "local", List.of(odd), List.of(), "fixed"));

    List<String> lines = Files.readAllLines(writer.write(oddRecord).csv());

    assertThat(parse(lines.get(1))).hasSize(14).startsWith("req,1", "pod \"a\",b");
  }

  @Test
  void statisticsKeysDoNotDependOnTheDefaultLocale() throws IOException {
    Locale saved = Locale.getDefault();
    Locale.setDefault(Locale.forLanguageTag("tr-TR"));
    try {
      JsonNode json = JSON.readTree(writer.write(record("EchoTest.warm")).jsonText());

      assertThat(json.path("statistics").has("client_time")).isTrue();
      assertThat(json.path("statistics").has("init_time")).isTrue();
    } finally {
      Locale.setDefault(saved);
    }
  }

  /** Splits one CSV line (RFC 4180 quoting, no embedded line breaks). */
  /**
   * The files are streamed one invocation at a time; they must be byte for byte what the whole tree gives,
   * which is what they were before streaming (other tools read them): priced, with a repeated request id
   * (its first place, its last value), and a series long enough to live in a temporary file.
   */
  @Test
  void streamedFilesAreByteForByteTheWholeTree() throws IOException {
    ObjectMapper indented =
        new ObjectMapper().enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
    ResultsWriter priced = new ResultsWriter(results.resolve("priced"), 0.95, CostModel.of("aws", "x86_64"));
    ExperimentRecord usual = record("EchoTest.warm");
    List<Invocation> repeated = new ArrayList<>(usual.measurements().invocations());
    repeated.add(success(7).withProviderMicros(7_777)); // req-7 again
    List<Invocation> longSeries = new ArrayList<>();
    for (int i = 0; i < io.sebs.junit.series.SpilledInvocations.IN_MEMORY + 100; i++) {
      longSeries.add(success(i));
    }
    for (List<Invocation> invocations : List.of(usual.measurements().invocations(), repeated, longSeries)) {
      ExperimentRecord r = new ExperimentRecord(usual.name(), usual.testId(), usual.platform(), usual.spec(),
          usual.functionName(), usual.codeHash(), usual.input(), usual.settings(), usual.begin(), usual.end(),
          new MeasurementSeries(Kind.WARM, FUNCTION, "local", invocations, usual.measurements().misclassified(),
              "fixed"));

      ResultsWriter.Written written = priced.write(r);

      assertThat(written.json()).content().isEqualTo(indented.writeValueAsString(priced.toJson(r)));
      assertThat(written.csv()).content().isEqualTo(ResultsWriter.toCsv(r.measurements()));
    }
    assertThat(JSON.readTree(priced.write(usual).jsonText()).at("/_invocations/" + FUNCTION + "/req-3/billing"))
        .isNotEmpty();
  }

  static List<String> parse(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }
}
