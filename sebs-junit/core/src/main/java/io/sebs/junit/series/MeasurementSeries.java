package io.sebs.junit.series;

import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.TimeMetric;
import io.sebs.junit.cost.CostSummary;
import io.sebs.junit.cost.FunctionPricing;
import io.sebs.junit.stats.SampleStatistics;
import java.util.List;
import java.util.Optional;

/**
 * The {@link Measurements} of one experiment: measured invocations, with misclassified ones apart.
 *
 * @param pricing how the function's invocations are billed (cost model and configured memory); null when
 *     the series is not priced
 */
public record MeasurementSeries(
    Kind kind, String functionName, String platform, List<Invocation> invocations, List<Invocation> misclassified,
    String stopReason, FunctionPricing pricing)
    implements Measurements {

  public MeasurementSeries {
    invocations = List.copyOf(invocations);
    misclassified = List.copyOf(misclassified);
  }

  /** An unpriced series. */
  public MeasurementSeries(Kind kind, String functionName, String platform, List<Invocation> invocations,
      List<Invocation> misclassified, String stopReason) {
    this(kind, functionName, platform, invocations, misclassified, stopReason, null);
  }

  /** This series with other invocations (e.g. after output validation), same reason for stopping. */
  public MeasurementSeries withInvocations(List<Invocation> replaced) {
    return new MeasurementSeries(kind, functionName, platform, replaced, misclassified, stopReason, pricing);
  }

  /** This series billed with the given pricing (see {@link #cost()}). */
  public MeasurementSeries priced(FunctionPricing functionPricing) {
    return new MeasurementSeries(kind, functionName, platform, invocations, misclassified, stopReason,
        functionPricing);
  }

  /** The cost of the successful invocations under {@link #pricing()}; empty when the series is not priced. */
  @Override
  public Optional<CostSummary> cost() {
    return Optional.ofNullable(pricing).map(p -> p.summarize(successful()));
  }

  @Override
  public List<Invocation> successful() {
    return invocations.stream().filter(i -> !i.failed()).toList();
  }

  @Override
  public List<Invocation> failures() {
    return invocations.stream().filter(Invocation::failed).toList();
  }

  @Override
  public SampleStatistics statistics(TimeMetric metric) {
    return SampleStatistics.of(successful().stream()
        .map(metric::of)
        .flatMap(Optional::stream)
        .mapToDouble(d -> d.toNanos() / 1000.0)
        .toArray());
  }

  @Override
  public double failureRate() {
    return invocations.isEmpty() ? 0 : (double) failures().size() / invocations.size();
  }

  /**
   * Cold answers over every successful answer, the misclassified ones included: a cold series whose
   * answers were half warm reports 0.5 here, whatever was set aside for the statistics.
   */
  @Override
  public double coldStartRate() {
    List<Invocation> answers = successfulAnswers();
    return answers.isEmpty() ? 0 : (double) answers.stream().filter(Invocation::isCold).count() / answers.size();
  }

  /** Every successful answer, measured or misclassified, in no particular order. */
  public List<Invocation> successfulAnswers() {
    return java.util.stream.Stream.concat(invocations.stream(), misclassified.stream())
        .filter(i -> !i.failed()).toList();
  }
}
