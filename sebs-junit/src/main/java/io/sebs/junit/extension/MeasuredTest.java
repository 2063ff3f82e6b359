package io.sebs.junit.extension;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.Measurements;
import io.sebs.junit.cost.FunctionPricing;
import io.sebs.junit.cost.SpendingLimit;
import io.sebs.junit.experiment.ExperimentRunner;
import io.sebs.junit.experiment.MeasurementSeries;
import io.sebs.junit.report.AllureReport;
import io.sebs.junit.report.Charts;
import io.sebs.junit.report.ConsoleProgress;
import io.sebs.junit.report.MeasurementCharts;
import io.sebs.junit.report.ExperimentRecord;
import io.sebs.junit.report.ResultsWriter;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.PreparedFunction;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Measures one annotated test: runs the invocations, validates outputs, writes the results files and
 * feeds Allure, all before the test method (and its budgets) runs.
 */
final class MeasuredTest {

  private static final MeasurementCharts CHARTS = new MeasurementCharts(Charts.DEFAULT);

  private final BenchmarkRun run;
  private final PreparedFunction prepared;
  private final MeasurementRequest request;
  private final ExtensionContext context;

  MeasuredTest(BenchmarkRun run, PreparedFunction prepared, MeasurementRequest request, ExtensionContext context) {
    this.run = run;
    this.prepared = prepared;
    this.request = request;
    this.context = context;
  }

  Measurements measure() {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("platform", run.platform().name());
    parameters.put("benchmark", prepared.spec().benchmark().id());
    parameters.put("language", prepared.spec().language().id()
        + (prepared.spec().languageVersion().isEmpty() ? "" : " " + prepared.spec().languageVersion()));
    parameters.put("size", prepared.spec().size());
    parameters.put("memory", prepared.spec().memoryMb() + " MB");
    AllureReport.parameters(parameters, run.platform().name());
    Instant now = Instant.now();
    AllureReport.step("generate input (size " + prepared.spec().size() + ")",
        now.minus(prepared.inputTime()).minus(prepared.deployTime()), prepared.inputTime(), true);
    AllureReport.step("deploy " + prepared.deployed().name() + " to " + run.platform().name()
        + " (code " + prepared.deployed().codeHash().substring(0, 12) + ", shared by tests of this run)",
        now.minus(prepared.deployTime()), prepared.deployTime(), true);

    JsonNode payload = request.payloadMethod().isEmpty() ? prepared.invoker().input()
        : PayloadMethod.call(context, request, prepared.invoker().input());
    String name = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
    Instant begin = Instant.now();
    FunctionPricing pricing = run.costModel().forMemory(prepared.spec().memoryMb());
    MeasurementSeries series;
    try (ConsoleProgress progress = ConsoleProgress.onStderr(name, SebsExtension.config(context).progress())) {
      ExperimentRunner runner = new ExperimentRunner(prepared.invoker(), payload, progress);
      if (request.hasCostCap()) {
        runner = runner.withSpendingLimit(new SpendingLimit(pricing, request.adaptive().maxCostUsd()));
      }
      series = switch (request.kind()) {
        case COLD -> runner.coldStarts(request.repetitions(), request.stoppingRule());
        case WARM -> runner.warm(request.repetitions(), request.warmup(), request.stoppingRule());
        case BURST -> runner.bursts(request.repetitions(), request.concurrency());
        case SEQUENTIAL -> throw new IllegalStateException("no annotation asks for a sequential series");
      };
    }
    Instant measured = Instant.now();
    AllureReport.step("invoke: " + request.describe(), begin, Duration.between(begin, measured),
        series.failures().isEmpty());
    series = prepared.validate(series, payload).priced(pricing);
    Instant end = Instant.now();
    AllureReport.step("validate outputs with input.py", measured, Duration.between(measured, end),
        series.failures().isEmpty());

    ResultsWriter.Written written = run.results().write(new ExperimentRecord(name, context.getUniqueId(),
        run.platform().name(), prepared.spec(), prepared.deployed().name(), prepared.deployed().codeHash(),
        payload, request.settings(), begin, end, series));
    AllureReport.attach("results.json", "application/json", "json", written.jsonText());
    AllureReport.attach("samples.csv", "text/csv", "csv", written.csvText());
    attachCharts(name, series, written);
    context.publishReportEntry("sebs.results", written.json().toString());
    return series;
  }

  /** Charts next to the results files and in Allure; a chart that fails is logged, never fatal. */
  private static void attachCharts(String name, MeasurementSeries series, ResultsWriter.Written written) {
    Instant start = Instant.now();
    String file = written.json().getFileName().toString();
    MeasurementCharts.Rendered rendered = CHARTS.render(name, series, written.json().getParent(),
        file.substring(0, file.length() - ".json".length()));
    rendered.charts().forEach(chart -> AllureReport.attach(chart.name(), "image/png", "png", chart.png()));
    AllureReport.step("render " + rendered.charts().size() + " charts in " + rendered.renderTime().toMillis() + " ms"
        + (rendered.failures().isEmpty() ? "" : "; failed: " + String.join("; ", rendered.failures())),
        start, rendered.renderTime(), rendered.failures().isEmpty());
  }
}
