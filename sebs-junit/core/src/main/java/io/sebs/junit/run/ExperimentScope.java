package io.sebs.junit.run;

import io.sebs.junit.benchmark.FunctionSpec;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.report.AllureReport;
import io.sebs.junit.report.InvocationJournal;
import io.sebs.junit.report.ChartFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What an experiment ({@code io.sebs.junit.experiment.Experiment}) works with: the run (platform, configuration,
 * results folder), the test's prepared benchmark function, and the test's name for its result files.
 *
 * @param testName {@code Class.method}, the stem of the experiment's result files
 * @param testId the JUnit unique id of the test
 */
public record ExperimentScope(BenchmarkRun run, PreparedFunction function, String testName, String testId,
    InvocationJournal journal) {

  /** A scope whose invocations are not journaled. */
  public ExperimentScope(BenchmarkRun run, PreparedFunction function, String testName, String testId) {
    this(run, function, testName, testId, null);
  }

  /**
   * The scope of one experiment test: every invocation its functions make (the test's function and those
   * {@link #prepare}d later) is appended, as it returns, to {@code <testName>.invocations.jsonl} in the
   * run's results folder, so an experiment whose JVM dies keeps its raw invocations. The journal's header
   * has {@code "raw": true}; each line is labelled with the deployed function's name.
   */
  public static ExperimentScope journaled(BenchmarkRun run, PreparedFunction function, String testName,
      String testId) {
    ExperimentScope plain = new ExperimentScope(run, function, testName, testId);
    ObjectNode header = new ObjectMapper().createObjectNode();
    header.put("raw", true).put("name", testName).put("test_id", testId).put("platform", run.platform().name())
        .put("benchmark", function.spec().benchmark().id()).put("begin", java.time.Instant.now().toString());
    Path file = plain.resultFile("invocations.jsonl");
    for (int i = 2; Files.exists(file); i++) {
      file = plain.resultFile("invocations-" + i + ".jsonl");
    }
    InvocationJournal journal = InvocationJournal.create(file, header);
    return new ExperimentScope(run, function.journaledTo(journal), testName, testId, journal);
  }

  /** Deploys (or reuses) another configuration of a function, e.g. one memory size of a sweep. */
  public PreparedFunction prepare(FunctionSpec spec) {
    PreparedFunction prepared = run.prepare(spec);
    return journal == null ? prepared : prepared.journaledTo(journal);
  }

  /**
   * Writes {@code <testName>.<suffix>} (e.g. {@code overhead.csv}) into the run's results folder and
   * attaches it to the Allure test case; returns the file.
   */
  public Path writeResult(String suffix, String mimeType, String content) {
    Path directory = run.results().directory();
    Path file = resultFile(suffix);
    try {
      Files.createDirectories(directory);
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
    String extension = suffix.substring(suffix.lastIndexOf('.') + 1);
    AllureReport.attach(suffix, mimeType, extension, content);
    return file;
  }

  /** {@code <testName>.<suffix>} in the run's results folder, the test name made safe for a file name. */
  public Path resultFile(String suffix) {
    return run.results().directory().resolve(testName.replaceAll("[^A-Za-z0-9._\\[\\]-]", "_") + "." + suffix);
  }

  /**
   * Renders a chart, writes it as {@code <testName>.<suffix>} (e.g. {@code perf-cost.cost.png}) next to
   * the experiment's result files and attaches it to the Allure test case as {@code name}. Never throws:
   * write the result files first, then the charts, so a chart that cannot be drawn (logged, and returned
   * with its failure) costs no results.
   */
  public ChartFile writeChart(String suffix, String name, ChartFile.Render render) {
    ChartFile chart = ChartFile.write(name, resultFile(suffix), render);
    chart.png().ifPresent(png -> attachChart(name, png));
    return chart;
  }

  /** Attaches a PNG chart to the Allure test case (nothing when Allure is not listening). */
  public void attachChart(String name, byte[] png) {
    AllureReport.attach(name, "image/png", "png", png);
  }
}
