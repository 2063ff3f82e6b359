package io.sebs.junit.experiment.perfcost;

import io.sebs.junit.Invocation;
import io.sebs.junit.TimeMetric;
import io.sebs.junit.cost.CostSummary;
import io.sebs.junit.series.MeasurementSeries;
import io.sebs.junit.stats.ConfidenceInterval;
import io.sebs.junit.stats.SampleStatistics;
import java.util.Optional;

/**
 * One cell of a perf-cost run: one memory size and one invocation pattern, with its series (priced, outputs
 * validated) and what was set aside.
 *
 * @param functionName the deployment this memory size got
 * @param discarded warm-up invocations thrown away (the first batch, plus one more for sequential)
 * @param batches batches run, the discarded one included
 */
public record PerfCostPoint(int memoryMb, RunKind kind, String functionName, MeasurementSeries series, int discarded,
    int batches, double confidence) {

  /** Statistics of one metric over the successful samples, in microseconds. */
  public SampleStatistics statistics(TimeMetric metric) {
    return series.statistics(metric);
  }

  /** The Le Boudec interval of a metric's median; empty when there are too few samples. */
  public Optional<ConfidenceInterval> medianInterval(TimeMetric metric) {
    SampleStatistics s = statistics(metric);
    return s.count() == 0 ? Optional.empty() : s.medianInterval(confidence);
  }

  /** What the successful samples cost under the run's prices at this memory size. */
  public CostSummary cost() {
    return series.cost().orElseThrow(() -> new IllegalStateException("perf-cost series are always priced"));
  }

  /** Samples whose cold flag contradicts the pattern (warm in a cold series, cold in a warm one). */
  public int misclassifiedCount() {
    return series.misclassified().size();
  }

  /** Measured samples that were cold starts (SeBS's {@code cold_count}). */
  public long coldCount() {
    return series.invocations().stream().filter(Invocation::isCold).count();
  }
}
