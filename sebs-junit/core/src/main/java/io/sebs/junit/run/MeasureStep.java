package io.sebs.junit.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.config.SebsConfig.Progress;
import io.sebs.junit.cost.FunctionPricing;
import io.sebs.junit.cost.SpendingLimit;
import io.sebs.junit.series.SeriesRunner;
import io.sebs.junit.series.MeasurementSeries;
import io.sebs.junit.report.AllureReport;
import io.sebs.junit.report.Charts;
import io.sebs.junit.report.ConsoleProgress;
import io.sebs.junit.report.ExperimentRecord;
import io.sebs.junit.report.InvocationJournal;
import io.sebs.junit.report.MeasurementCharts;
import io.sebs.junit.report.ResultsWriter;
import io.sebs.junit.report.SeriesSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's one step that measures a prepared function, free of JUnit: runs the series, fetches the
 * provider's metrics, validates the outputs with the benchmark's {@code validate_output}, prices the
 * invocations, writes the results files and charts, and feeds Allure, each as a timed step. The JUnit glue
 * only turns annotations into a {@link SeriesPlan} and shows the {@link Measured#summary()}.
 */
public final class MeasureStep {

  private static final MeasurementCharts CHARTS = new MeasurementCharts(Charts.DEFAULT);
  private static final io.sebs.junit.report.WorkflowCharts WORKFLOW_CHARTS =
      new io.sebs.junit.report.WorkflowCharts(Charts.DEFAULT);

  private final BenchmarkRun run;

  public MeasureStep(BenchmarkRun run) {
    this.run = run;
  }

  /**
   * What a measured series left: the series, its results files and its one-line summary.
   *
   * @param summary {@link SeriesSummary} of the series at the run's confidence level
   */
  public record Measured(MeasurementSeries series, ResultsWriter.Written written, String summary) {}

  /**
   * Measures {@code prepared} as {@code plan} says, sending {@code payload}.
   *
   * @param name the test's {@code Class.method}, which names the results files
   * @param uniqueId the test's unique id, recorded in the results
   */
  public Measured measure(PreparedFunction prepared, SeriesPlan plan, JsonNode payload, String name,
      String uniqueId, Progress progress) {
    String platform = run.platform().name();
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("platform", platform);
    parameters.put("benchmark", prepared.spec().benchmark().id());
    parameters.put("language", prepared.spec().language().id()
        + (prepared.spec().languageVersion().isEmpty() ? "" : " " + prepared.spec().languageVersion()));
    parameters.put("size", prepared.spec().size());
    parameters.put("memory", prepared.spec().memoryMb() + " MB");
    AllureReport.parameters(parameters, platform);
    Instant now = Instant.now();
    AllureReport.step("generate input (size " + prepared.spec().size() + ")",
        now.minus(prepared.inputTime()).minus(prepared.deployTime()), prepared.inputTime(), true);
    AllureReport.step("deploy " + prepared.deployed().name() + " to " + platform
        + " (code " + prepared.deployed().codeHash().substring(0, 12) + ", shared by tests of this run)",
        now.minus(prepared.deployTime()), prepared.deployTime(), true);

    Instant begin = Instant.now();
    FunctionPricing pricing = run.costModel().forMemory(prepared.spec().memoryMb());
    ResultsWriter.Started started = run.results().start(record(prepared, plan, payload, name, uniqueId, begin,
        begin, new MeasurementSeries(plan.kind(), prepared.deployed().name(), platform, List.of(), List.of(),
            "running")));
    MeasurementSeries series;
    try {
      series = invoke(prepared, plan, payload, name, progress, pricing, started.journal());
    } finally {
      started.journal().close();
    }
    Instant invoked = Instant.now();
    AllureReport.step("invoke: " + plan.description(), begin, Duration.between(begin, invoked),
        series.failures().isEmpty());

    series = prepared.withProviderMetrics(series);
    Instant fetched = Instant.now();
    AllureReport.step("fetch provider metrics", invoked, Duration.between(invoked, fetched), true);

    series = prepared.validate(series, payload).priced(pricing);
    Instant end = Instant.now();
    AllureReport.step("validate outputs with input.py", fetched, Duration.between(fetched, end),
        series.failures().isEmpty());

    ResultsWriter.Written written =
        run.results().write(record(prepared, plan, payload, name, uniqueId, begin, end, series), started);
    AllureReport.attach("results.json", "application/json", "json", written.json());
    AllureReport.attach("samples.csv", "text/csv", "csv", written.csv());
    java.nio.file.Path functions = written.csv().resolveSibling(
        written.csv().getFileName().toString().replaceFirst("\\.csv$", ".functions.csv"));
    if (java.nio.file.Files.isRegularFile(functions)) { // a workflow: one row per function execution
      AllureReport.attach("functions.csv", "text/csv", "csv", functions);
    }
    attachCharts(name, series, written);
    return new Measured(series, written, SeriesSummary.of(series, run.config().confidence()));
  }

  private ExperimentRecord record(PreparedFunction prepared, SeriesPlan plan, JsonNode payload, String name,
      String uniqueId, Instant begin, Instant end, MeasurementSeries series) {
    return new ExperimentRecord(name, uniqueId, run.platform().name(), prepared.spec(), prepared.deployed().name(),
        prepared.deployed().codeHash(), payload, plan.settings(), begin, end, series);
  }

  private static MeasurementSeries invoke(PreparedFunction prepared, SeriesPlan plan, JsonNode payload,
      String name, Progress progressMode, FunctionPricing pricing, InvocationJournal journal) {
    try (ConsoleProgress progress = ConsoleProgress.onStderr(name, progressMode)) {
      SeriesRunner runner = new SeriesRunner(prepared.invoker(), payload, progress).recordingTo(journal::append);
      if (plan.hasCostCap()) {
        runner = runner.withSpendingLimit(new SpendingLimit(pricing, plan.maxCostUsd()));
      }
      return switch (plan.kind()) {
        case COLD -> runner.coldStarts(plan.repetitions(), plan.stoppingRule());
        case WARM -> runner.warm(plan.repetitions(), plan.warmup(), plan.stoppingRule());
        case BURST -> runner.bursts(plan.repetitions(), plan.concurrency());
        case SEQUENTIAL -> throw new IllegalArgumentException("MeasureStep runs cold, warm and burst series");
      };
    }
  }

  /** Charts next to the results files and in Allure; a chart that fails is logged, never fatal. */
  private static void attachCharts(String name, MeasurementSeries series, ResultsWriter.Written written) {
    Instant start = Instant.now();
    String file = written.json().getFileName().toString();
    String stem = file.substring(0, file.length() - ".json".length());
    MeasurementCharts.Rendered rendered = CHARTS.render(name, series, written.json().getParent(), stem);
    MeasurementCharts.Rendered workflow = WORKFLOW_CHARTS.render(name, series, written.json().getParent(), stem);
    if (!workflow.charts().isEmpty() || !workflow.failures().isEmpty()) {
      java.util.List<MeasurementCharts.Chart> all = new java.util.ArrayList<>(rendered.charts());
      all.addAll(workflow.charts());
      java.util.List<String> failures = new java.util.ArrayList<>(rendered.failures());
      failures.addAll(workflow.failures());
      rendered = new MeasurementCharts.Rendered(all, rendered.renderTime().plus(workflow.renderTime()), failures);
    }
    rendered.charts().forEach(chart -> AllureReport.attach(chart.name(), "image/png", "png", chart.png()));
    AllureReport.step("render " + rendered.charts().size() + " charts in " + rendered.renderTime().toMillis() + " ms"
        + (rendered.failures().isEmpty() ? "" : "; failed: " + String.join("; ", rendered.failures())),
        start, rendered.renderTime(), rendered.failures().isEmpty());
  }
}
