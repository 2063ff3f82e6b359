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
 * The {@link Measurements} of one experiment: measured invocations, with misclassified ones apart. A long
 * series keeps its invocations in a temporary file ({@link SpilledInvocations}) rather than on the heap.
 *
 * @param pricing how the function's invocations are billed (cost model and configured memory); null when
 *     the series is not priced
 */
public record MeasurementSeries(
    Kind kind, String functionName, String platform, List<Invocation> invocations, List<Invocation> misclassified,
    String stopReason, FunctionPricing pricing)
    implements Measurements {

  public MeasurementSeries {
    invocations = SpilledInvocations.copyOf(invocations);
    misclassified = SpilledInvocations.copyOf(misclassified);
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
    if (invocations instanceof SpilledInvocations spilled && spilled.noneFailed()) {
      return invocations; // nothing filtered: the same list, not a copy re-encoded into a new file
    }
    return where(invocations, i -> !i.failed());
  }

  @Override
  public List<Invocation> failures() {
    if (invocations instanceof SpilledInvocations spilled && spilled.noneFailed()) {
      return List.of();
    }
    return where(invocations, Invocation::failed);
  }

  /** The invocations that pass, as a list that spills like the series' own (no heap copy of a long series). */
  private static List<Invocation> where(List<Invocation> invocations, java.util.function.Predicate<Invocation> kept) {
    SpilledInvocations.Builder builder = new SpilledInvocations.Builder();
    for (Invocation i : invocations) {
      if (kept.test(i)) {
        builder.add(i);
      }
    }
    return builder.size() == invocations.size() ? invocations : builder.build();
  }

  @Override
  public SampleStatistics statistics(TimeMetric metric) {
    return SampleStatistics.of(invocations.stream()
        .filter(i -> !i.failed())
        .map(metric::of)
        .flatMap(Optional::stream)
        .mapToDouble(d -> d.toNanos() / 1000.0)
        .toArray());
  }

  @Override
  public double failureRate() {
    return invocations.isEmpty() ? 0 : (double) invocations.stream().filter(Invocation::failed).count()
        / invocations.size();
  }

  /**
   * Cold answers over every successful answer, the misclassified ones included: a cold series whose
   * answers were half warm reports 0.5 here, whatever was set aside for the statistics.
   */
  @Override
  public double coldStartRate() {
    long answers = 0;
    long cold = 0;
    for (List<Invocation> sample : List.of(invocations, misclassified)) {
      for (Invocation i : sample) {
        if (!i.failed()) {
          answers++;
          cold += i.isCold() ? 1 : 0;
        }
      }
    }
    return answers == 0 ? 0 : (double) cold / answers;
  }

  /** Every successful answer, measured or misclassified, in no particular order. */
  public List<Invocation> successfulAnswers() {
    return where(new java.util.AbstractList<>() {
      @Override
      public Invocation get(int index) {
        return index < invocations.size() ? invocations.get(index) : misclassified.get(index - invocations.size());
      }

      @Override
      public int size() {
        return invocations.size() + misclassified.size();
      }
    }, i -> !i.failed());
  }
}
