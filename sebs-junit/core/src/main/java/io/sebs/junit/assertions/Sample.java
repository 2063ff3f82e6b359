package io.sebs.junit.assertions;

import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.TimeMetric;
import io.sebs.junit.stats.SampleStatistics;
import java.util.List;

/**
 * One metric's sample within some measurements: its statistics (when there is at least one value) and the
 * words that describe it in a failure message.
 */
final class Sample {

  private final Measurements measurements;
  private final TimeMetric metric;
  private final SampleStatistics statistics;

  private Sample(Measurements measurements, TimeMetric metric, SampleStatistics statistics) {
    this.measurements = measurements;
    this.metric = metric;
    this.statistics = statistics;
  }

  static Sample of(Measurements measurements, TimeMetric metric) {
    boolean anyValue = measurements.successful().stream().anyMatch(i -> metric.of(i).isPresent());
    SampleStatistics statistics = anyValue ? measurements.statistics(metric) : null;
    if (statistics != null && statistics.count() == 0) {
      statistics = null;
    }
    return new Sample(measurements, metric, statistics);
  }

  boolean isEmpty() {
    return statistics == null;
  }

  /** The statistics; only when not {@link #isEmpty()}. */
  SampleStatistics statistics() {
    return statistics;
  }

  int size() {
    return statistics == null ? 0 : statistics.count();
  }

  /**
   * {@code "n=50 successful of 50 invocations on local/fn"}; when not every successful invocation carries
   * the metric, {@code "n=10 with init time, 48 successful of 50 invocations on local/fn"}.
   */
  String describe() {
    int successful = measurements.successful().size();
    int total = measurements.invocations().size();
    String where = Messages.where(measurements);
    if (size() == successful) {
      return "n=" + size() + " successful of " + total + " invocations on " + where;
    }
    return "n=" + size() + " with " + metric.label() + ", " + successful + " successful of " + total
        + " invocations on " + where;
  }

  /** Why there is nothing to compute a statistic from, quoting the first failures. */
  String whyEmpty() {
    List<Invocation> invocations = measurements.invocations();
    String where = Messages.where(measurements);
    String failures = Messages.suffix("; ", Messages.firstFailures(measurements));
    if (invocations.isEmpty()) {
      String note = misclassifiedNote();
      return "the sample is empty: no invocation was measured on " + where
          + (note.isEmpty() ? "" : " (" + note + ")");
    }
    int successful = measurements.successful().size();
    if (successful == 0) {
      return "the sample is empty: no invocation succeeded (0 successful of " + invocations.size()
          + " invocations on " + where + ")" + failures;
    }
    return "the sample is empty: none of the " + successful + " successful invocations (of "
        + invocations.size() + " on " + where + ") reports " + metric.label() + failures;
  }

  private String misclassifiedNote() {
    int misclassified = measurements.misclassified().size();
    return misclassified == 0 ? "" : misclassified + " misclassified invocations were set aside";
  }

  TimeMetric metric() {
    return metric;
  }
}
