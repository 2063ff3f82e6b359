package io.sebs.junit.assertions;

import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.TimeMetric;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * Performance budgets on the {@link Measurements} of a serverless benchmark test. Obtain one with
 * {@link io.sebs.junit.SebsAssertions#assertThat(Measurements)}.
 *
 * <p>Three kinds of checks:
 *
 * <ul>
 *   <li><b>Health of the run</b> — {@link #hasNoFailures()}, {@link #hasAtLeast(int)},
 *       {@link #hasNoMisclassified()}. Check them first: a latency budget over 3 surviving invocations of
 *       30 says little, and a timing budget silently ignores failures.
 *   <li><b>Times</b> — {@link #clientTime()}, {@link #benchmarkTime()}, {@link #providerTime()},
 *       {@link #initTime()} (or {@link #metric(TimeMetric)}) lead to a {@link TimeAssert}, where a
 *       statistic is chosen and compared with a budget.
 *   <li><b>Rates</b> — {@link #failureRate()}, {@link #coldStartRate()} lead to a {@link RateAssert}.
 *   <li><b>Cost</b> — {@link #cost()} leads to a {@link CostAssert} (per invocation, per 1M, total in USD).
 *   <li><b>Memory</b> — {@link #memoryUsed()} leads to a {@link MemoryAssert} (median, max, percentiles in MB).
 * </ul>
 *
 * <p>Which time? {@code clientTime} is what a caller waits for (network, platform routing and, on cold
 * starts, instance start-up included); {@code benchmarkTime} is the function's own work, the one to budget
 * when the code under test is the function; {@code providerTime} is what is billed; {@code initTime} is the
 * platform's start-up on cold invocations where it reports one.
 *
 * <pre>{@code
 * assertThat(m).hasNoFailures().hasAtLeast(30)
 *     .clientTime().medianUpperBound().isLessThan(Duration.ofMillis(50))
 *     .and().percentile(95).isLessThan(Duration.ofMillis(120));
 * }</pre>
 */
public final class MeasurementsAssert extends AbstractAssert<MeasurementsAssert, Measurements> {

  /** The confidence level used unless {@link #withConfidence(double)} says otherwise. */
  public static final double DEFAULT_CONFIDENCE = 0.95;

  private double confidence = DEFAULT_CONFIDENCE;
  private boolean confidenceChosen;

  public MeasurementsAssert(Measurements actual) {
    super(actual, MeasurementsAssert.class);
  }

  /**
   * Sets the confidence level, in (0, 1), of the intervals behind the bounds
   * ({@link TimeAssert#medianUpperBound()}, ...) and those quoted in failure messages, for the
   * {@link TimeAssert}s obtained afterwards. 0.95 by default; 0.99 makes a gate harder to pass by chance but
   * needs more samples (the median's interval needs at least 6 samples at 95%, 8 at 99%; the mean's 2 at any
   * level, but it widens fast with few samples).
   */
  public MeasurementsAssert withConfidence(double confidence) {
    this.confidence = checkConfidence(confidence);
    this.confidenceChosen = true;
    return this;
  }

  /** Budgets on {@link Invocation#clientTime()}: the latency a caller sees. */
  public TimeAssert clientTime() {
    return metric(TimeMetric.CLIENT_TIME);
  }

  /** Budgets on {@link Invocation#benchmarkTime()}: the function's own execution time. */
  public TimeAssert benchmarkTime() {
    return metric(TimeMetric.BENCHMARK_TIME);
  }

  /** Budgets on {@link Invocation#providerTime()}: the billed execution time, where the platform reports it. */
  public TimeAssert providerTime() {
    return metric(TimeMetric.PROVIDER_TIME);
  }

  /**
   * Budgets on a workflow's critical path ({@link io.sebs.junit.WorkflowRun#criticalPath()}): the function
   * work on its longest chain.
   */
  public TimeAssert criticalPath() {
    return metric(TimeMetric.CRITICAL_PATH);
  }

  /** Budgets on a workflow's orchestration overhead ({@link io.sebs.junit.WorkflowRun#overhead()}). */
  public TimeAssert overhead() {
    return metric(TimeMetric.OVERHEAD);
  }

  /** Budgets on {@link Invocation#initTime()}: instance initialisation on cold starts, where reported. */
  public TimeAssert initTime() {
    return metric(TimeMetric.INIT_TIME);
  }

  /** Budgets on the given metric. */
  public TimeAssert metric(TimeMetric metric) {
    Objects.requireNonNull(metric, "metric");
    isNotNull();
    return Messages.inherit(new TimeAssert(actual, metric, confidence, confidenceChosen, this), this);
  }

  /**
   * Cost budgets in USD: {@code cost().perMillionInvocations().isLessThan(0.50)}. The cost is that of the
   * successful invocations under the configured provider's prices and the function's memory; failure
   * messages give the value, n and whether the billed time was estimated.
   */
  public CostAssert cost() {
    isNotNull();
    return Messages.inherit(new CostAssert(actual, this), this);
  }

  /**
   * Memory budgets in MB: {@code memoryUsed().max().isLessThan(100)}. The sample is the memory used of the
   * successful invocations that report it (each the serving instance's peak so far).
   */
  public MemoryAssert memoryUsed() {
    isNotNull();
    return Messages.inherit(new MemoryAssert(actual, this), this);
  }

  /** The share of measured invocations that failed, in [0, 1]. */
  public RateAssert failureRate() {
    isNotNull();
    String counts = actual.failures().size() + " failed of " + actual.invocations().size()
        + " invocations on " + Messages.where(actual)
        + Messages.suffix("; ", Messages.firstFailures(actual));
    return Messages.inherit(new RateAssert(actual.failureRate(), "failure rate", counts, this), this);
  }

  /**
   * The share of successful answers that reported a cold start, in [0, 1], misclassified answers included
   * (see {@link Measurements#coldStartRate()}): {@code coldStartRate().isEqualTo(1.0)} on a
   * {@link io.sebs.junit.ColdStart} series fails when any answer came warm, and {@code isZero()} on a
   * {@link io.sebs.junit.Warm} series fails when any came cold. In a {@link io.sebs.junit.Burst} it tells
   * how many instances the platform started.
   */
  public RateAssert coldStartRate() {
    isNotNull();
    List<Invocation> answers = java.util.stream.Stream.concat(actual.invocations().stream(),
        actual.misclassified().stream()).filter(i -> !i.failed()).toList();
    long cold = answers.stream().filter(Invocation::isCold).count();
    String counts = cold + " cold of " + answers.size() + " successful answers on " + Messages.where(actual)
        + (actual.misclassified().isEmpty() ? ""
            : " (" + actual.misclassified().size() + " set aside as misclassified, counted here)");
    return Messages.inherit(new RateAssert(actual.coldStartRate(), "cold-start rate", counts, this), this);
  }

  /** Verifies that no measured invocation failed; the message quotes the first failure reasons. */
  public MeasurementsAssert hasNoFailures() {
    isNotNull();
    List<Invocation> failures = actual.failures();
    if (!failures.isEmpty()) {
      failWithMessage(
          "%s",
          "Expected no failed invocations but " + failures.size() + " of " + actual.invocations().size()
              + " invocations on " + Messages.where(actual) + " failed; " + Messages.firstFailures(actual));
    }
    return this;
  }

  /**
   * Verifies that no invocation was set aside as misclassified (warm although a cold start was enforced,
   * cold within a warm series). Misclassified invocations do not bias the statistics, but many of them mean
   * the platform does not do what the test asks, e.g. it keeps instances alive despite the cold-start
   * enforcement.
   */
  public MeasurementsAssert hasNoMisclassified() {
    isNotNull();
    List<Invocation> misclassified = actual.misclassified();
    if (!misclassified.isEmpty()) {
      StringBuilder listed = new StringBuilder();
      int quoted = Math.min(Messages.QUOTED_FAILURES, misclassified.size());
      for (int i = 0; i < quoted; i++) {
        Invocation invocation = misclassified.get(i);
        listed.append(i == 0 ? "" : "; ").append('[').append(invocation.requestId()).append("] reported a ")
            .append(invocation.isCold() ? "cold" : "warm").append(" start on instance ")
            .append(invocation.containerId());
      }
      if (misclassified.size() > quoted) {
        listed.append("; ... and ").append(misclassified.size() - quoted).append(" more");
      }
      failWithMessage(
          "%s",
          "Expected no misclassified invocations in this " + actual.kind().name().toLowerCase(java.util.Locale.ROOT)
              + " measurement but " + misclassified.size() + (misclassified.size() == 1 ? " was" : " were")
              + " set aside (besides "
              + actual.invocations().size() + " measured on " + Messages.where(actual) + "): " + listed);
    }
    return this;
  }

  /**
   * Verifies that at least {@code successfulInvocations} invocations succeeded, i.e. the statistics rest
   * on enough data.
   */
  public MeasurementsAssert hasAtLeast(int successfulInvocations) {
    if (successfulInvocations < 0) {
      throw new IllegalArgumentException("successfulInvocations must be >= 0 but was " + successfulInvocations);
    }
    isNotNull();
    int successful = actual.successful().size();
    if (successful < successfulInvocations) {
      failWithMessage(
          "%s",
          "Expected at least " + successfulInvocations + " successful invocations but there were " + successful
              + " of " + actual.invocations().size() + " on " + Messages.where(actual)
              + Messages.suffix("; ", Messages.firstFailures(actual)));
    }
    return this;
  }

  static double checkConfidence(double confidence) {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException(
          "confidence must be in (0, 1), e.g. 0.95, but was " + confidence);
    }
    return confidence;
  }
}
