package io.sebs.junit.experiment.perfcost;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.TimeMetric;
import io.sebs.junit.cost.CostSummary;
import io.sebs.junit.stats.SampleStatistics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The answer a memory sweep is run for: which memory size to deploy with. As AWS Lambda Power Tuning does, it names
 * the cheapest size (cost per 1M invocations), the fastest (median time) and a balanced one, which minimizes
 * {@code w * time / slowest + (1 - w) * cost / dearest} for a weight {@code w} between 0 (cost only) and 1 (time
 * only). Sizes whose every invocation failed are no option. A budget on the pick ("256 MB stays within 10% of the
 * cheapest cost") is asserted with {@code SebsAssertions.assertThat(recommendation)}.
 */
public final class MemoryRecommendation {

  /**
   * A memory size of the sweep with its median time (ms) and cost per 1M invocations (USD: the mean cost of its
   * successful invocations, as the bill is a sum, times one million).
   */
  public record Option(int memoryMb, double medianMs, double perMillionUsd) {

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%d MB (%.3f ms, %s per 1M)", memoryMb, medianMs, CostSummary.usd(perMillionUsd));
    }
  }

  /** The default weight of {@link #balanced()}: time and cost count alike. */
  public static final double DEFAULT_TIME_WEIGHT = 0.5;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final RunKind kind;
  private final TimeMetric metric;
  private final List<Option> options;

  MemoryRecommendation(RunKind kind, TimeMetric metric, List<Option> options) {
    if (options.isEmpty()) {
      throw new IllegalArgumentException("No memory size of the " + kind.sebsName() + " series has a successful"
          + " invocation: there is nothing to recommend");
    }
    this.kind = kind;
    this.metric = metric;
    this.options = List.copyOf(options);
  }

  /** The options of one pattern of a perf-cost run, by the median of {@code metric}. */
  static MemoryRecommendation of(PerfCostResult result, RunKind kind, TimeMetric metric) {
    List<Option> options = new ArrayList<>();
    for (PerfCostPoint p : result.points()) {
      if (p.kind() != kind) {
        continue;
      }
      SampleStatistics s = p.statistics(metric);
      if (s.count() > 0) {
        options.add(new Option(p.memoryMb(), s.median() / 1000.0, p.cost().perMillionUsd()));
      }
    }
    options.sort(Comparator.comparingInt(Option::memoryMb));
    return new MemoryRecommendation(kind, metric, options);
  }

  public RunKind kind() {
    return kind;
  }

  public TimeMetric metric() {
    return metric;
  }

  /** Every size with a successful invocation, smallest first. */
  public List<Option> options() {
    return options;
  }

  /** The lowest cost per 1M invocations; of equal costs, the faster. */
  public Option cheapest() {
    return options.stream().min(Comparator.comparingDouble(Option::perMillionUsd)
        .thenComparingDouble(Option::medianMs)).orElseThrow();
  }

  /** The lowest median time; of equal times, the cheaper. */
  public Option fastest() {
    return options.stream().min(Comparator.comparingDouble(Option::medianMs)
        .thenComparingDouble(Option::perMillionUsd)).orElseThrow();
  }

  /** {@link #balanced(double)} with time and cost weighted alike. */
  public Option balanced() {
    return balanced(DEFAULT_TIME_WEIGHT);
  }

  /**
   * The size minimizing {@code timeWeight * time / slowest + (1 - timeWeight) * cost / dearest}: 0 gives the
   * cheapest, 1 the fastest; of equal scores, the better balanced one (weight 0.5), then the smaller size.
   */
  public Option balanced(double timeWeight) {
    if (!(timeWeight >= 0 && timeWeight <= 1)) {
      throw new IllegalArgumentException("the time weight is between 0 (cost only) and 1 (time only), got "
          + timeWeight);
    }
    return options.stream().min(Comparator.comparingDouble((Option o) -> score(o, timeWeight))
        .thenComparingDouble(o -> score(o, DEFAULT_TIME_WEIGHT)).thenComparingInt(Option::memoryMb)).orElseThrow();
  }

  /** {@code w * time / slowest + (1 - w) * cost / dearest}. */
  private double score(Option o, double timeWeight) {
    double slowest = options.stream().mapToDouble(Option::medianMs).max().orElseThrow();
    double dearest = options.stream().mapToDouble(Option::perMillionUsd).max().orElseThrow();
    return timeWeight * ratio(o.medianMs(), slowest) + (1 - timeWeight) * ratio(o.perMillionUsd(), dearest);
  }

  private static double ratio(double value, double max) {
    return max > 0 ? value / max : 0;
  }

  /** The option of one memory size; fails naming the sizes there are. */
  public Option at(int memoryMb) {
    return options.stream().filter(o -> o.memoryMb() == memoryMb).findFirst().orElseThrow(() ->
        new IllegalArgumentException("The " + kind.sebsName() + " sweep has no successful " + memoryMb + " MB series;"
            + " sizes: " + options.stream().map(Option::memoryMb).toList()));
  }

  /** The cost per 1M at {@code memoryMb} over the cheapest's (1.0 for the cheapest itself). */
  public double costOverCheapest(int memoryMb) {
    double cheapest = cheapest().perMillionUsd();
    double cost = at(memoryMb).perMillionUsd();
    return cheapest > 0 ? cost / cheapest : cost > 0 ? Double.POSITIVE_INFINITY : 1.0;
  }

  /** The median time at {@code memoryMb} over the fastest's (1.0 for the fastest itself). */
  public double timeOverFastest(int memoryMb) {
    double fastest = fastest().medianMs();
    double time = at(memoryMb).medianMs();
    return fastest > 0 ? time / fastest : time > 0 ? Double.POSITIVE_INFINITY : 1.0;
  }

  /** One line: the three picks, for logs and failure messages. */
  public String describe() {
    return kind.sebsName() + " by median " + metric.label() + ": cheapest " + cheapest() + ", fastest " + fastest()
        + ", balanced " + balanced() + "; options " + options;
  }

  /** The options and picks as JSON, for the run's results. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("experiment", "perf-cost");
    root.put("type", kind.sebsName());
    root.put("time", "median " + metric.label() + " [ms]");
    root.put("cost", "mean cost of the successful invocations, per 1M [USD]");
    ArrayNode list = root.putArray("options");
    for (Option o : options) {
      list.addObject().put("memory", o.memoryMb()).put("median_ms", o.medianMs()).put("per_million_usd",
          o.perMillionUsd());
    }
    ObjectNode picks = root.putObject("picks");
    picks.put("cheapest", cheapest().memoryMb());
    picks.put("fastest", fastest().memoryMb());
    picks.put("balanced", balanced().memoryMb());
    picks.put("balanced_time_weight", DEFAULT_TIME_WEIGHT);
    try {
      return JSON.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return describe();
  }
}
