package io.sebs.junit;

import io.sebs.junit.cost.CostSummary;
import io.sebs.junit.stats.SampleStatistics;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The invocations a {@link ColdStart}, {@link Warm} or {@link Burst} test measured, ready for budgets
 * ({@link SebsAssertions#assertThat(Measurements)}) and statistics. Statistics are computed over the
 * successful, correctly classified invocations only.
 */
public interface Measurements {

  /** What kind of measurement this is. */
  Kind kind();

  /**
   * Every measured invocation, in order, excluding warm-ups and misclassified ones.
   *
   * <p>A series of more than 1,000 invocations keeps those past the first 1,000 in a temporary file and reads
   * them back when asked ({@link io.sebs.junit.series.SpilledInvocations}): each element read back is
   * {@linkplain Object#equals equal} to the invocation measured (the same values) but not the same object, and
   * not the same object from one read to the next. Numeric {@link com.fasterxml.jackson.databind.JsonNode}
   * types in outputs and measurements that were not parsed from JSON (e.g. {@code LongNode}, {@code FloatNode},
   * {@code DecimalNode} built in code) come back as JSON parsing gives them.
   */
  List<Invocation> invocations();

  /** The measured invocations that succeeded. */
  List<Invocation> successful();

  /** The measured invocations that failed. */
  List<Invocation> failures();

  /**
   * Invocations whose cold flag contradicts what was asked (warm when a cold start was enforced, cold in
   * a warm series). Kept apart so they never bias the statistics.
   */
  List<Invocation> misclassified();

  /** Statistics of one metric over the successful invocations, in microseconds. */
  SampleStatistics statistics(TimeMetric metric);

  /**
   * Memory used in MB over the successful invocations that report it ({@link Invocation#memoryUsed()}: the
   * serving instance's peak so far); an empty sample where the platform measures none.
   */
  default SampleStatistics memoryUsed() {
    return SampleStatistics.of(successful().stream().map(Invocation::memoryUsed)
        .filter(OptionalDouble::isPresent).mapToDouble(OptionalDouble::getAsDouble).toArray());
  }

  /** Share of measured invocations that failed, in [0, 1]. */
  double failureRate();

  /**
   * Share of successful answers that reported a cold start, in [0, 1], counted over every successful answer
   * the function gave, the {@linkplain #misclassified() misclassified} ones included (SeBS's cold-start
   * rate): a cold series where some answers came warm has a rate below 1 even though the warm answers are
   * kept out of the statistics. Failed invocations count in neither numerator nor denominator.
   */
  double coldStartRate();

  /**
   * Why the series ended: its fixed number of repetitions, or (with {@link AdaptiveRepetitions}) the
   * median being precise enough, or the cap.
   */
  String stopReason();

  /**
   * What the successful invocations cost under the configured provider's prices
   * ({@code sebs.cost.provider}, {@code sebs.cost.architecture}) and the function's memory: per invocation
   * and per million. Billed times are the platform's where it reports them, else estimated from the
   * function-side benchmark time (always on the local platform). Empty when the measurements are not priced.
   */
  default Optional<CostSummary> cost() {
    return Optional.empty();
  }

  /** The function these were measured on. */
  String functionName();

  /** The platform they were measured on. */
  String platform();

  /** The kinds of measurement. */
  enum Kind {
    COLD,
    WARM,
    BURST,
    /**
     * Invocations one after another, taken cold or warm as they come (SeBS perf-cost's "sequential"):
     * nothing is enforced and nothing is misclassified.
     */
    SEQUENTIAL
  }
}
