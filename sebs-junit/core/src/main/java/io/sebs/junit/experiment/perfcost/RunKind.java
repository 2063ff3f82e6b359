package io.sebs.junit.experiment.perfcost;

import io.sebs.junit.Measurements.Kind;

/**
 * The invocation patterns of SeBS's perf-cost experiment. Every pattern runs batches until the wanted number
 * of samples is gathered, and the first batch is discarded as warm-up.
 */
public enum RunKind {
  /** Before each batch the function's instances are retired; warm answers are set apart as misclassified. */
  COLD(Kind.COLD),
  /** Batches on the live instances; cold answers are set apart as misclassified. */
  WARM(Kind.WARM),
  /** Before each batch the instances are retired, then the batch is released at once; every answer counts. */
  BURST(Kind.BURST),
  /**
   * One invocation at a time after one more warm-up invocation; every answer counts, cold or warm as it
   * comes (with the default keep-alive mostly warm).
   */
  SEQUENTIAL(Kind.SEQUENTIAL);

  private final Kind seriesKind;

  RunKind(Kind seriesKind) {
    this.seriesKind = seriesKind;
  }

  /** The kind of the {@link io.sebs.junit.series.MeasurementSeries} this pattern produces. */
  public Kind seriesKind() {
    return seriesKind;
  }

  /** SeBS's name: {@code cold}, {@code warm}, {@code burst}, {@code sequential}. */
  public String sebsName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
