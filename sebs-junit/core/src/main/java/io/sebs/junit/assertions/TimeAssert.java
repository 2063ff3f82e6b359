package io.sebs.junit.assertions;

import io.sebs.junit.Baseline;
import io.sebs.junit.Measurements;
import io.sebs.junit.TimeMetric;
import io.sebs.junit.baseline.GateVerdict;
import io.sebs.junit.baseline.RegressionGate;
import io.sebs.junit.stats.ConfidenceInterval;
import io.sebs.junit.stats.SampleStatistics;
import java.util.Locale;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.assertj.core.api.AbstractAssert;

/**
 * Budgets on one time metric ({@link TimeMetric}) of some {@link Measurements}: pick a statistic, then
 * compare it with a {@link java.time.Duration}. The sample is the metric over the successful invocations
 * (failures and misclassified invocations never count).
 *
 * <h2>Which statistic?</h2>
 *
 * <ul>
 *   <li><b>Upper confidence bounds</b> — {@link #medianUpperBound()}, {@link #meanUpperBound()} — for gates
 *       that must not pass by luck. Serverless latencies are noisy; with 10 or 30 samples the median of
 *       one run can land under budget by chance while the true median is over it. The upper bound of the
 *       confidence interval is under budget only if the data show, at the chosen confidence
 *       ({@link MeasurementsAssert#withConfidence(double)}, 95% by default), that the true value is.
 *       Its price is samples: the median's interval (Le Boudec's order statistics, no distribution assumed)
 *       needs at least 6 at 95%, the mean's (Student-t) at least 2, and narrows like 1/√n.
 *   <li><b>Lower bounds</b> — {@link #medianLowerBound()}, {@link #meanLowerBound()} — to assert a
 *       regression <i>is</i> there ("cold starts are certainly slower than 100 ms").
 *   <li><b>The median</b> — robust to the occasional outlier (a GC pause, a slow network hop); the right
 *       point estimate for "typical latency". Prefer it to the mean, which one outlier can drag.
 *   <li><b>The mean</b> — when the total matters (cost, throughput), since billed time adds up.
 *   <li><b>Percentiles</b> — {@link #percentile(double) percentile(95)}, {@link #percentile(double)
 *       percentile(99)} — for tail-latency SLOs. A p99 needs well over 100 samples to mean anything;
 *       with fewer it is close to the {@link #max()}.
 *   <li><b>{@link #max()} / {@link #min()}</b> — hard limits (a timeout) and sanity floors.
 *   <li><b>{@link #hasCoefficientOfVariationBelow(double)}</b> — that the measurements are stable enough
 *       to trust at all (a noisy neighbour makes every other budget meaningless).
 * </ul>
 *
 * <p>Point estimates report their confidence interval in the failure message when one can be computed, so
 * a reader can tell "over budget" from "inconclusive".
 */
public final class TimeAssert extends AbstractAssert<TimeAssert, Measurements> {

  /** How the median's interval is named in messages (distribution-free, on order statistics). */
  private static final String LE_BOUDEC = "Le Boudec";

  /** How the mean's interval is named in messages. */
  private static final String STUDENT_T = "Student-t";

  private final TimeMetric metric;
  private final MeasurementsAssert parent;
  private double confidence;
  private boolean confidenceChosen;
  private Sample sample;

  TimeAssert(Measurements actual, TimeMetric metric, double confidence, boolean confidenceChosen,
      MeasurementsAssert parent) {
    super(actual, TimeAssert.class);
    this.metric = metric;
    this.confidence = confidence;
    this.confidenceChosen = confidenceChosen;
    this.parent = parent;
  }

  /**
   * Sets the confidence level of the intervals used by the bounds and quoted in messages, in (0, 1); the
   * default is the one of the {@link MeasurementsAssert} (0.95 unless changed). Higher confidence means
   * wider intervals and more samples needed.
   */
  public TimeAssert withConfidence(double confidence) {
    this.confidence = MeasurementsAssert.checkConfidence(confidence);
    this.confidenceChosen = true;
    return this;
  }

  /** The median (50th percentile): the typical time, insensitive to a few outliers. */
  public EstimateAssert median() {
    return point("median", SampleStatistics::median, LE_BOUDEC, s -> s.medianInterval(confidence));
  }

  /** The arithmetic mean. Sensitive to outliers; prefer {@link #median()} for latency. */
  public EstimateAssert mean() {
    return point("mean", SampleStatistics::mean, STUDENT_T, s -> s.meanInterval(confidence));
  }

  /**
   * The p-th percentile, p in (0, 100] (e.g. 95, 99, 99.9), interpolated like numpy's default.
   * Tail percentiles need many samples: with n samples, anything above the {@code 100·(n-1)/n}-th is
   * an interpolation towards the maximum.
   */
  public EstimateAssert percentile(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100] but was " + p);
    }
    return point(Messages.percentileName(p), s -> s.percentile(p), null, null);
  }

  /** The largest time observed. */
  public EstimateAssert max() {
    return point("max", SampleStatistics::max, null, null);
  }

  /** The smallest time observed. */
  public EstimateAssert min() {
    return point("min", SampleStatistics::min, null, null);
  }

  /**
   * The upper bound of the median's confidence interval (Le Boudec's distribution-free interval on order
   * statistics). {@code medianUpperBound().isLessThan(budget)} passes only if the true median is under
   * budget with the chosen confidence: the gate to use in CI. Fails, saying how many samples are needed,
   * when the sample is too small for an interval.
   */
  public EstimateAssert medianUpperBound() {
    return bound("median", "upper", LE_BOUDEC, s -> s.medianInterval(confidence));
  }

  /**
   * A three-way gate on the median, judged on its confidence interval (Le Boudec) rather than the point
   * estimate: passes when the whole interval is under {@code budget}; fails when the whole interval is at
   * or above it; and when the budget lies inside the interval, the data cannot decide, so the test is
   * aborted as inconclusive (JUnit reports it as skipped, with the interval and what to do) instead of
   * passing or failing by chance.
   */
  public TimeAssert medianIsWithinBudget(Duration budget) {
    Sample sample = sample();
    String expected = "Expected " + metric.label() + " median < " + Messages.ms(budget) + " ms with "
        + Messages.percent(confidence) + " confidence";
    if (sample.isEmpty()) {
      failWithMessage("%s", expected + " but " + sample.whyEmpty());
    }
    SampleStatistics s = sample.statistics();
    Optional<ConfidenceInterval> ci = s.medianInterval(confidence);
    if (ci.isEmpty()) {
      failWithMessage("%s", expected + " but " + tooSmall("median", LE_BOUDEC, x -> x.medianInterval(confidence),
          sample));
    }
    double limit = Messages.micros(budget);
    String context = "median " + Messages.ms(s.median()) + " ms, " + Messages.interval(ci.get(), LE_BOUDEC) + "; "
        + sample.describe();
    if (ci.get().lower() >= limit) {
      failWithMessage("%s", expected + " but the whole interval is at or above it (" + context + ")");
    }
    if (ci.get().upper() >= limit) {
      throw new org.opentest4j.TestAbortedException("Inconclusive: " + metric.label() + " median budget "
          + Messages.ms(budget) + " ms lies inside the " + Messages.percent(confidence) + " confidence interval ("
          + context + "); measure more repetitions (or see @AdaptiveRepetitions) to decide");
    }
    return this;
  }

  /**
   * The regression gate: compares this run's times with the {@link Baseline} of an earlier run and fails
   * when they got slower by more than {@code tolerance} (a fraction of the baseline median: 0.10 allows 10 %).
   * Judged by a rank test, not by medians, so noise alone does not fail it:
   *
   * <ul>
   *   <li><b>fails</b> when the one-sided Mann–Whitney test finds this run slower (p below
   *       {@code 1 - confidence}) and the lower bound of the Hodges–Lehmann shift's confidence interval is
   *       above {@code tolerance × baseline median};
   *   <li><b>passes</b> when the upper bound of that interval is below it;
   *   <li>otherwise it cannot decide, and the test is <b>aborted as inconclusive</b> (reported as skipped)
   *       with the change and its interval: measure more repetitions, here and in the baseline.
   * </ul>
   *
   * The confidence is the one chosen with {@code withConfidence}, else the run's {@code sebs.confidence}
   * (0.95 by default). Without a baseline ({@code sebs.baseline} not set, or no record of this test) the test
   * is aborted, saying how to provide one. Each verdict, with its evidence, is also written to
   * {@code <Test.method>.baseline.json} in the run's results folder. See
   * {@link io.sebs.junit.baseline.RegressionGate} for the rule and its false-alarm rate.
   *
   * @param baseline the test's {@link Baseline} parameter
   * @param tolerance the allowed slowdown as a fraction of the baseline median, at least 0
   */
  public TimeAssert isNotSlowerThanBaseline(Baseline baseline, double tolerance) {
    Objects.requireNonNull(baseline, "baseline");
    if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException("tolerance must be a fraction >= 0 of the baseline median, e.g. 0.10 for "
          + "10% slower, but was " + tolerance);
    }
    Sample sample = sample();
    if (!baseline.isAvailable()) {
      throw new org.opentest4j.TestAbortedException("No baseline to compare " + metric.label() + " with: "
          + baseline.unavailableReason());
    }
    double gateConfidence = confidenceChosen ? confidence : baseline.confidence();
    String source = baseline.record().orElseThrow().describeSource();
    String expected = "Expected " + metric.label() + " not slower than the baseline by more than "
        + Messages.percent(tolerance) + " with " + Messages.percent(gateConfidence) + " confidence";
    if (sample.isEmpty()) {
      failWithMessage("%s", expected + " but " + sample.whyEmpty());
    }
    double[] before = baseline.samples(metric);
    if (before.length == 0) {
      throw new org.opentest4j.TestAbortedException("No baseline to compare " + metric.label() + " with: the "
          + "baseline " + source + " has no successful invocation reporting " + metric.label()
          + "; record the baseline again");
    }
    GateVerdict verdict = RegressionGate.judge(metric, sample.statistics().values(), before, tolerance,
        gateConfidence, source);
    baseline.publish(verdict);
    String evidence = evidence(verdict, sample);
    switch (verdict.outcome()) {
      case FAIL -> failWithMessage("%s", expected + " but it got slower beyond the tolerance: " + evidence);
      case TOO_FEW_SAMPLES -> failWithMessage("%s", expected + " but " + verdict.reason() + " (" + evidence + ")");
      case INCONCLUSIVE -> throw new org.opentest4j.TestAbortedException("Inconclusive: " + metric.label()
          + " against the baseline with a tolerance of " + Messages.percent(tolerance) + ": " + verdict.reason()
          + " (" + evidence + "); measure more repetitions, here and in the baseline, to decide");
      case PASS -> { }
    }
    return this;
  }

  /** The change, its interval, the test and both samples, as quoted by the gate's messages. */
  private static String evidence(GateVerdict v, Sample sample) {
    StringBuilder text = new StringBuilder();
    v.shift().ifPresent(s -> text.append("the change is ").append(signedMs(s.estimate())).append(" ms (")
        .append(signedPercent(s.relativeChange())).append("), ").append(Messages.percent(s.interval().confidence()))
        .append(" CI [").append(signedMs(s.interval().lower())).append(", ").append(signedMs(s.interval().upper()))
        .append("] ms (").append(signedPercent(s.relativeInterval().lower())).append(" to ")
        .append(signedPercent(s.relativeInterval().upper())).append(", ").append(s.interval().method())
        .append("), against a tolerance of ").append(signedMs(v.threshold())).append(" ms; "));
    v.test().ifPresent(t -> text.append("one-sided Mann-Whitney p = ")
        .append(String.format(Locale.ROOT, "%.3g", t.pValue())).append(" (").append(t.method().label())
        .append("); "));
    text.append("current median ").append(Messages.ms(v.currentMedian())).append(" ms, ").append(sample.describe())
        .append("; baseline median ").append(Messages.ms(v.baselineMedian())).append(" ms, n=")
        .append(v.baselineSize()).append(" from ").append(v.baselineSource());
    return text.toString();
  }

  private static String signedMs(double micros) {
    return (micros >= 0 ? "+" : "") + Messages.ms(micros);
  }

  private static String signedPercent(double fraction) {
    return String.format(Locale.ROOT, "%+.1f%%", fraction * 100.0);
  }

  /** The lower bound of the median's confidence interval (Le Boudec). */
  public EstimateAssert medianLowerBound() {
    return bound("median", "lower", LE_BOUDEC, s -> s.medianInterval(confidence));
  }

  /**
   * The upper bound of the mean's confidence interval (Student-t: assumes the mean is roughly normally
   * distributed, which holds for moderate n unless the tail is very heavy).
   */
  public EstimateAssert meanUpperBound() {
    return bound("mean", "upper", STUDENT_T, s -> s.meanInterval(confidence));
  }

  /** The lower bound of the mean's confidence interval (Student-t). */
  public EstimateAssert meanLowerBound() {
    return bound("mean", "lower", STUDENT_T, s -> s.meanInterval(confidence));
  }

  /**
   * Verifies that the times are stable: their coefficient of variation (standard deviation / mean) is
   * strictly below {@code maximum}, e.g. {@code 0.1} for 10%. Needs at least 2 samples.
   */
  public TimeAssert hasCoefficientOfVariationBelow(double maximum) {
    if (!(maximum > 0)) {
      throw new IllegalArgumentException("maximum coefficient of variation must be > 0 but was " + maximum);
    }
    Sample sample = sample();
    String expected = "Expected " + metric.label() + " coefficient of variation < " + decimal(maximum);
    if (sample.isEmpty()) {
      failWithMessage("%s", expected + " but " + sample.whyEmpty());
    }
    if (sample.size() < 2) {
      failWithMessage(
          "%s", expected + " but it needs at least 2 samples and there is " + sample.describe());
    }
    SampleStatistics s = sample.statistics();
    double cv = s.coefficientOfVariation();
    if (!(cv < maximum)) {
      failWithMessage(
          "%s",
          expected + " but was " + decimal(cv) + " (standard deviation " + Messages.ms(s.standardDeviation())
              + " ms, mean " + Messages.ms(s.mean()) + " ms; " + sample.describe() + ")");
    }
    return this;
  }

  /** Back to the measurements, for budgets on another metric or on the rates. */
  public MeasurementsAssert and() {
    return parent;
  }

  /** The metric these budgets are on. */
  public TimeMetric metric() {
    return metric;
  }

  private EstimateAssert point(
      String statistic,
      ToDoubleFunction<SampleStatistics> value,
      String method,
      Function<SampleStatistics, Optional<ConfidenceInterval>> interval) {
    Sample sample = sample();
    String label = metric.label() + " " + statistic;
    if (sample.isEmpty()) {
      return EstimateAssert.unavailable(label, sample.whyEmpty(), this);
    }
    SampleStatistics s = sample.statistics();
    Optional<ConfidenceInterval> ci = interval == null ? Optional.empty() : interval.apply(s);
    String context = ci.map(c -> Messages.interval(c, method) + "; ").orElse("") + sample.describe();
    return EstimateAssert.of(label, value.applyAsDouble(s), context, this);
  }

  private EstimateAssert bound(
      String statistic,
      String side,
      String method,
      Function<SampleStatistics, Optional<ConfidenceInterval>> interval) {
    Sample sample = sample();
    String label = metric.label() + " " + statistic + " " + Messages.percent(confidence) + " " + side + " bound";
    if (sample.isEmpty()) {
      return EstimateAssert.unavailable(label, sample.whyEmpty(), this);
    }
    SampleStatistics s = sample.statistics();
    Optional<ConfidenceInterval> ci = interval.apply(s);
    if (ci.isEmpty()) {
      return EstimateAssert.unavailable(label, tooSmall(statistic, method, interval, sample), this);
    }
    double point = statistic.equals("median") ? s.median() : s.mean();
    double value = side.equals("upper") ? ci.get().upper() : ci.get().lower();
    String context = statistic + " " + Messages.ms(point) + " ms, " + Messages.interval(ci.get(), method) + "; "
        + sample.describe();
    return EstimateAssert.of(label, value, context, this);
  }

  private String tooSmall(
      String statistic,
      String method,
      Function<SampleStatistics, Optional<ConfidenceInterval>> interval,
      Sample sample) {
    String what = "a " + Messages.percent(confidence) + " confidence interval of the " + statistic + " ("
        + method + ")";
    int needed = MinimumSamples.of(interval);
    String advice = "; measure more repetitions, lower withConfidence(...) or budget the point estimate "
        + statistic + "() instead";
    if (needed < 0) {
      return "the sample is too small for " + what + ": it needs more than " + MinimumSamples.SEARCH_LIMIT
          + " samples and there are " + sample.describe() + advice;
    }
    if (needed <= sample.size()) {
      return "no " + what + " could be computed from " + sample.describe();
    }
    return "the sample is too small for " + what + ": it needs at least " + needed + " samples and there are "
        + sample.describe() + advice;
  }

  private Sample sample() {
    isNotNull();
    if (sample == null) {
      sample = Sample.of(actual, metric);
    }
    return sample;
  }

  private static String decimal(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }
}
