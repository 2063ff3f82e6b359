package io.sebs.junit.series;

import io.sebs.junit.FunctionRecord;
import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.TimeMetric;
import io.sebs.junit.WorkflowMeasurements;
import io.sebs.junit.WorkflowRun;
import io.sebs.junit.cost.CostSummary;
import io.sebs.junit.stats.SampleStatistics;
import java.util.List;
import java.util.Optional;

/** A measured series whose invocations are workflow runs, seen as {@link WorkflowMeasurements}. */
public final class WorkflowSeries implements WorkflowMeasurements {

  private final Measurements series;

  private WorkflowSeries(Measurements series) {
    this.series = series;
  }

  /** The series as workflow measurements; every invocation must be a {@link WorkflowRun}. */
  public static WorkflowSeries of(Measurements series) {
    for (Invocation i : series.invocations()) {
      if (!(i instanceof WorkflowRun)) {
        throw new IllegalArgumentException("Not a series of workflow runs: " + i);
      }
    }
    return new WorkflowSeries(series);
  }

  @Override
  public List<WorkflowRun> runs() {
    return series.invocations().stream().map(WorkflowRun.class::cast).toList();
  }

  @Override
  public SampleStatistics functionTimes(String funcName) {
    List<String> seen = series.invocations().stream().map(WorkflowRun.class::cast).flatMap(run -> run.functions().stream())
        .map(FunctionRecord::name).distinct().sorted().toList();
    if (!seen.contains(funcName)) {
      throw new IllegalArgumentException("No run executed a function '" + funcName + "'; the runs executed " + seen);
    }
    return SampleStatistics.of(series.successful().stream().map(WorkflowRun.class::cast)
        .flatMap(run -> run.functions().stream()).filter(f -> f.name().equals(funcName) && !f.failed())
        .mapToDouble(f -> f.duration().toNanos() / 1000.0).toArray());
  }

  @Override
  public Kind kind() {
    return series.kind();
  }

  @Override
  public List<Invocation> invocations() {
    return series.invocations();
  }

  @Override
  public List<Invocation> successful() {
    return series.successful();
  }

  @Override
  public List<Invocation> failures() {
    return series.failures();
  }

  @Override
  public List<Invocation> misclassified() {
    return series.misclassified();
  }

  @Override
  public SampleStatistics statistics(TimeMetric metric) {
    return series.statistics(metric);
  }

  @Override
  public double failureRate() {
    return series.failureRate();
  }

  @Override
  public double coldStartRate() {
    return series.coldStartRate();
  }

  @Override
  public String stopReason() {
    return series.stopReason();
  }

  @Override
  public Optional<CostSummary> cost() {
    return series.cost();
  }

  @Override
  public String functionName() {
    return series.functionName();
  }

  @Override
  public String platform() {
    return series.platform();
  }

  @Override
  public String toString() {
    return series.toString();
  }
}
