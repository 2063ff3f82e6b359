package io.sebs.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.benchmark.Benchmark;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.cloudflare.CloudflareLocalPlatform;
import io.sebs.junit.platform.cloudflare.WorkersCompatibility;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The Workers compatibility table, measured: every benchmark of the catalogue in Node.js and Python is deployed on
 * cloudflare-local and invoked once with its generated input (120.uploader downloads from a file this class serves),
 * and the row says "runs, output validated" or why not, read from the failure. The last dynamic test writes the table
 * to the run's results folder as {@code workers-compatibility.md}, attaches it to the report and prints it; README's
 * table is a copy. A failure no rule explains
 * fails its test, so the table never holds an unexplained row. Runs with {@code -Dsebs.platform=cloudflare-local}.
 */
class WorkersCompatibilityTest {

  /** The languages Workers run (Python through Pyodide); Java is not a Workers language. */
  private static final List<Language> LANGUAGES = List.of(Language.NODEJS, Language.PYTHON);

  /** The Node.js benchmarks that run on Workers (README's table): one that stops running fails the suite. */
  private static final java.util.Set<String> RUN_ON_WORKERS = java.util.Set.of("010.sleep", "040.server-reply",
      "110.dynamic-html", "120.uploader", "130.crud-api", "210.thumbnailer", "311.compression", "620.func-invo",
      "630.parallel-sleep");

  private static final List<WorkersCompatibility.Row> rows = Collections.synchronizedList(new ArrayList<>());
  private static io.sebs.junit.run.BenchmarkRun run;
  private static LocalFileServer files;
  private static ReplyServer replies;

  @BeforeAll
  static void open() throws IOException {
    SebsConfig config = SebsConfig.fromSystemProperties();
    Assumptions.assumeTrue(config.platforms().equals(List.of(CloudflareLocalPlatform.NAME)),
        "the Workers compatibility table is measured with -Dsebs.platform=" + CloudflareLocalPlatform.NAME);
    run = new io.sebs.junit.run.BenchmarkRun(config);
    files = LocalFileServer.start();
    replies = ReplyServer.start();
  }

  @AfterAll
  static void close() {
    if (run != null) {
      run.close();
      files.close();
      replies.close();
    }
  }

  /** The table of every row so far, in the run's folder and in the report (the last dynamic test). */
  private static void writeTable() throws IOException {
    List<WorkersCompatibility.Row> sorted = new ArrayList<>(rows);
    sorted.sort(java.util.Comparator.comparing(WorkersCompatibility.Row::benchmark)
        .thenComparing(WorkersCompatibility.Row::language));
    String table = WorkersCompatibility.markdown(sorted);
    Path file = run.results().directory().resolve("workers-compatibility.md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, table);
    io.sebs.junit.report.AllureReport.attach("workers-compatibility.md", "text/markdown", "md", table);
    System.out.println("[sebs] Workers compatibility (" + file + "):\n" + table);
  }

  /** The generated input with what the caller serves, as the benchmark's suite test gives it. */
  private static com.fasterxml.jackson.databind.JsonNode served(String id, com.fasterxml.jackson.databind.JsonNode input) {
    ObjectNode event = (ObjectNode) input;
    switch (id) {
      case "120.uploader" -> ((ObjectNode) event.path("object")).put("url", files.url("compat.bin"));
      case "040.server-reply" -> event.put("ip-address", "127.0.0.1").put("port", replies.port());
      // the UDP timestamp server these two need is not started: they fail before they would send to it
      case "020.network-benchmark", "030.clock-synchronization" ->
          event.put("server-address", "127.0.0.1").put("server-port", 9);
      default -> { }
    }
    return event;
  }

  @TestFactory
  Stream<DynamicTest> everyBenchmarkRunsOrSaysWhyNot() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String id : run.catalog().ids()) {
      Benchmark benchmark = run.catalog().find(id);
      for (Language language : LANGUAGES) {
        if (!benchmark.config().languages().contains(language.id())) {
          continue;
        }
        tests.add(DynamicTest.dynamicTest(id + " in " + language.id(), () -> {
          WorkersCompatibility.Row row = WorkersCompatibility.probe(run, id, language, input -> served(id, input));
          rows.add(row);
          assertThat(row.verdict()).as("%s in %s: %s", id, language.id(), row.evidence())
              .isNotEqualTo(WorkersCompatibility.Verdict.FAILS);
        }));
      }
    }
    tests.add(DynamicTest.dynamicTest("the table: workers-compatibility.md", () -> {
      assertThat(rows).as("a row per benchmark and language probed").hasSize(tests.size() - 1);
      writeTable();
      assertThat(rows).filteredOn(r -> r.language().equals("nodejs") && RUN_ON_WORKERS.contains(r.benchmark()))
          .as("the Node.js benchmarks Workers ran when this table was last checked still run")
          .hasSize(RUN_ON_WORKERS.size()).allMatch(r -> r.verdict().runs());
    }));
    return tests.stream();
  }
}
