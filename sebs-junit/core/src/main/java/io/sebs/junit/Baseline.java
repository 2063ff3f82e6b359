package io.sebs.junit;

import io.sebs.junit.baseline.BaselineRecord;
import io.sebs.junit.baseline.ComparisonLog;
import io.sebs.junit.baseline.GateVerdict;
import java.util.Objects;
import java.util.Optional;

/**
 * This test's results from an earlier run (the <i>baseline</i>), to gate regressions with
 * {@code assertThat(m).clientTime().isNotSlowerThanBaseline(baseline, 0.10)}. Take it as a test parameter:
 * the extension finds the test's record (same {@code Class.method}, same platform) in the results folder
 * named by the configuration key {@code sebs.baseline}.
 *
 * <pre>{@code
 * @Test @Warm(repetitions = 30)
 * void warm(Measurements m, Baseline baseline) {
 *   assertThat(m).hasNoFailures().clientTime().isNotSlowerThanBaseline(baseline, 0.10);
 * }
 * }</pre>
 *
 * <p>A baseline may be <i>unavailable</i> (no {@code sebs.baseline} configured, or the folder lacks this
 * test, or it was measured with another memory size): that is not an error, the gate then aborts the test
 * with {@link #unavailableReason()}, which says how to provide one. A configured folder that does not exist
 * or holds no results is a configuration error and fails the test.
 */
public final class Baseline {

  private final BaselineRecord record;
  private final String reason;
  private final double confidence;
  private final ComparisonLog log;

  private Baseline(BaselineRecord record, String reason, double confidence, ComparisonLog log) {
    this.record = record;
    this.reason = reason;
    this.confidence = confidence;
    this.log = log;
  }

  /**
   * A baseline from a record, compared at {@code confidence} (the run's {@code sebs.confidence} when the
   * extension builds it), its verdicts sent to {@code log}.
   */
  public static Baseline of(BaselineRecord record, double confidence, ComparisonLog log) {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(log, "log");
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1), e.g. 0.95, but was " + confidence);
    }
    return new Baseline(record, "", confidence, log);
  }

  /** A baseline compared at 95 %, keeping no verdicts: for tests and programmatic use. */
  public static Baseline of(BaselineRecord record) {
    return of(record, 0.95, ComparisonLog.NONE);
  }

  /** No baseline, for the given reason (which should say how to provide one). */
  public static Baseline unavailable(String reason) {
    Objects.requireNonNull(reason, "reason");
    return new Baseline(null, reason, 0.95, ComparisonLog.NONE);
  }

  /** Whether there is a record to compare with. */
  public boolean isAvailable() {
    return record != null;
  }

  /** Why there is no baseline and how to provide one; empty when {@link #isAvailable()}. */
  public String unavailableReason() {
    return reason;
  }

  /** The earlier run's record of this test, when available. */
  public Optional<BaselineRecord> record() {
    return Optional.ofNullable(record);
  }

  /** The confidence the gate uses unless the assertion chose one with {@code withConfidence}. */
  public double confidence() {
    return confidence;
  }

  /** The baseline's samples of {@code metric}, microseconds; empty when unavailable or not recorded. */
  public double[] samples(TimeMetric metric) {
    return record == null ? new double[0] : record.samples(metric);
  }

  /**
   * Records a verdict of the gate into the run's results ({@code <Test.method>.baseline.json}); called by
   * the assertion.
   */
  public void publish(GateVerdict verdict) {
    log.record(verdict);
  }

  @Override
  public String toString() {
    return record == null ? "Baseline{unavailable: " + reason + "}"
        : "Baseline{" + record.name() + " on " + record.platform() + " from " + record.source() + "}";
  }
}
