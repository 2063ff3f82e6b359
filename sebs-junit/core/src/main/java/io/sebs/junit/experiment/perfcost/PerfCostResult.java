package io.sebs.junit.experiment.perfcost;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.Invocation;
import io.sebs.junit.TimeMetric;
import io.sebs.junit.cost.CostSummary;
import io.sebs.junit.stats.ConfidenceInterval;
import io.sebs.junit.stats.SampleStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a perf-cost run measured: one {@link PerfCostPoint} per memory size and pattern, the summary (median
 * client and benchmark time with their confidence intervals, cost per invocation and per 1M invocations),
 * SeBS's {@code result.csv}, and the memory-sweep curves a chart needs ({@link #timeCurve},
 * {@link #costCurve}).
 */
public record PerfCostResult(List<PerfCostPoint> points) {

  /** SeBS perf-cost {@code result.csv} columns, in SeBS's order (sebs/experiments/perf_cost.py). */
  public static final List<String> CSV_COLUMNS = List.of("memory", "type", "is_cold", "exec_time",
      "connection_time", "client_time", "provider_time", "mem_used");

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public PerfCostResult {
    points = List.copyOf(points);
  }

  /** The cell of one memory size and pattern. */
  public PerfCostPoint point(int memoryMb, RunKind kind) {
    return points.stream().filter(p -> p.memoryMb() == memoryMb && p.kind() == kind).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("No perf-cost series for " + memoryMb + " MB " + kind.sebsName()
            + "; measured: " + points.stream().map(p -> p.memoryMb() + " MB " + p.kind().sebsName()).toList()));
  }

  /** The memory sizes of the sweep, in the order they ran. */
  public List<Integer> memorySizes() {
    return points.stream().map(PerfCostPoint::memoryMb).distinct().toList();
  }

  private List<PerfCostPoint> of(RunKind kind) {
    List<PerfCostPoint> cells = points.stream().filter(p -> p.kind() == kind).toList();
    if (cells.isEmpty()) {
      throw new IllegalArgumentException("This perf-cost run did not measure " + kind.sebsName());
    }
    return cells;
  }

  /**
   * Memory against the median of a time metric in milliseconds, with the median's confidence interval as
   * lower/upper (NaN where the sample is too small). On the local platform times barely depend on memory
   * (memory limits are opt-in with sebs.local.enforceMemory and CPU is not scaled), so this curve is flat
   * there; on a cloud provider CPU share grows with memory.
   */
  public Curve timeCurve(RunKind kind, TimeMetric metric) {
    List<PerfCostPoint> cells = of(kind);
    int n = cells.size();
    double[] x = new double[n];
    double[] y = new double[n];
    double[] lower = new double[n];
    double[] upper = new double[n];
    for (int i = 0; i < n; i++) {
      PerfCostPoint p = cells.get(i);
      SampleStatistics s = p.statistics(metric);
      Optional<ConfidenceInterval> ci = p.medianInterval(metric);
      x[i] = p.memoryMb();
      y[i] = s.count() == 0 ? Double.NaN : s.median() / 1000.0;
      lower[i] = ci.map(c -> c.lower() / 1000.0).orElse(Double.NaN);
      upper[i] = ci.map(c -> c.upper() / 1000.0).orElse(Double.NaN);
    }
    return new Curve(kind.sebsName() + ": median " + metric.label(), "memory [MB]",
        "median " + metric.label() + " [ms]", x, y, lower, upper);
  }

  /**
   * Memory against the cost of one million invocations in USD (no interval: NaN bounds). This curve grows
   * with memory even where times do not, because the price is per GB-second.
   */
  public Curve costCurve(RunKind kind) {
    List<PerfCostPoint> cells = of(kind);
    int n = cells.size();
    double[] x = new double[n];
    double[] y = new double[n];
    double[] none = new double[n];
    java.util.Arrays.fill(none, Double.NaN);
    for (int i = 0; i < n; i++) {
      x[i] = cells.get(i).memoryMb();
      y[i] = cells.get(i).cost().perMillionUsd();
    }
    return new Curve(kind.sebsName() + ": cost per 1M invocations", "memory [MB]", "USD per 1M invocations", x, y,
        none, none);
  }

  /**
   * Which memory size to pick for one pattern, by the median of {@code metric} and the cost per 1M invocations
   * (cheapest, fastest, balanced: {@link MemoryRecommendation}).
   */
  public MemoryRecommendation recommendation(RunKind kind, TimeMetric metric) {
    of(kind);
    return MemoryRecommendation.of(this, kind, metric);
  }

  /**
   * {@link #recommendation(RunKind, TimeMetric)} for warm invocations (else the first pattern measured) by the median
   * benchmark time, the function's own time, which memory changes and the price is for.
   */
  public MemoryRecommendation recommendation() {
    if (points.isEmpty()) {
      throw new IllegalArgumentException("This perf-cost run measured nothing: there is nothing to recommend");
    }
    RunKind kind = points.stream().anyMatch(p -> p.kind() == RunKind.WARM) ? RunKind.WARM : points.get(0).kind();
    return recommendation(kind, TimeMetric.BENCHMARK_TIME);
  }

  /**
   * SeBS's {@code result.csv}: one row per successful measured sample, times in microseconds and
   * {@code mem_used} in MB (the serving instance's peak so far, {@link Invocation#memoryUsed()}).
   * {@code connection_time} (SeBS's HTTP connect time) is not measured here and stays empty, as do
   * {@code provider_time} and {@code mem_used} where the platform reports none.
   */
  public String toCsv() {
    StringBuilder csv = new StringBuilder(String.join(",", CSV_COLUMNS)).append('\n');
    for (PerfCostPoint p : points) {
      for (Invocation i : p.series().successful()) {
        csv.append(p.memoryMb()).append(',')
            .append(p.kind().sebsName()).append(',')
            .append(i.isCold() ? "True" : "False").append(',')
            .append(micros(i.benchmarkTime())).append(',')
            .append(',')
            .append(micros(i.clientTime())).append(',')
            .append(i.providerTime().map(d -> Long.toString(micros(d))).orElse("")).append(',')
            .append(i.memoryUsed().isPresent() ? Double.toString(i.memoryUsed().getAsDouble()) : "")
            .append('\n');
      }
    }
    return csv.toString();
  }

  /** The summary as JSON: per memory size and pattern, counts, medians with intervals (us) and cost. */
  public String summaryJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("experiment", "perf-cost");
    root.put("unit", "us");
    ArrayNode rows = root.putArray("series");
    for (PerfCostPoint p : points) {
      ObjectNode row = rows.addObject();
      row.put("memory", p.memoryMb());
      row.put("type", p.kind().sebsName());
      row.put("function", p.functionName());
      row.put("samples", p.series().invocations().size());
      row.put("successful", p.series().successful().size());
      row.put("failures_count", p.series().failures().size());
      row.put("incorrect_count", p.misclassifiedCount());
      row.put("cold_count", p.coldCount());
      row.put("discarded_warmup", p.discarded());
      row.put("batches", p.batches());
      row.put("stop_reason", p.series().stopReason());
      row.set("client_time", median(p, TimeMetric.CLIENT_TIME));
      row.set("benchmark_time", median(p, TimeMetric.BENCHMARK_TIME));
      CostSummary cost = p.cost();
      ObjectNode c = row.putObject("cost");
      c.put("provider", cost.prices().provider());
      c.put("architecture", cost.prices().architecture());
      c.put("prices_retrieved", cost.prices().retrieved().toString());
      c.put("per_invocation_usd", cost.perInvocationUsd());
      c.put("per_million_usd", cost.perMillionUsd());
      c.put("estimated", cost.estimated());
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode median(PerfCostPoint p, TimeMetric metric) {
    ObjectNode node = JSON.createObjectNode();
    SampleStatistics s = p.statistics(metric);
    node.put("n", s.count());
    if (s.count() > 0) {
      node.put("median", s.median());
    } else {
      node.putNull("median");
    }
    Optional<ConfidenceInterval> ci = p.medianInterval(metric);
    if (ci.isPresent()) {
      node.putArray("median_ci").add(ci.get().lower()).add(ci.get().upper());
    } else {
      node.putNull("median_ci");
    }
    return node;
  }

  /** A line per cell for logs: {@code 128 MB warm: n=10, client median 3.1 ms, $0.2271 per 1M}. */
  public String describe() {
    StringBuilder text = new StringBuilder();
    for (PerfCostPoint p : points) {
      SampleStatistics client = p.statistics(TimeMetric.CLIENT_TIME);
      SampleStatistics bench = p.statistics(TimeMetric.BENCHMARK_TIME);
      text.append(String.format(Locale.ROOT,
          "%5d MB %-10s n=%d (misclassified %d, discarded %d): client median %.3f ms, benchmark median %.3f ms, "
              + "%s per invocation, %s per 1M%n",
          p.memoryMb(), p.kind().sebsName(), client.count(), p.misclassifiedCount(), p.discarded(),
          client.count() == 0 ? Double.NaN : client.median() / 1000,
          bench.count() == 0 ? Double.NaN : bench.median() / 1000,
          CostSummary.usd(p.cost().perInvocationUsd()), CostSummary.usd(p.cost().perMillionUsd())));
    }
    return text.toString();
  }

  private static long micros(java.time.Duration d) {
    return d.toNanos() / 1000;
  }
}
