package io.sebs.junit.experiment.eviction;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.platform.KeepAlive;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The outcome of an {@link EvictionModel} run: one {@link EvictionPoint} per idle time and instance count,
 * the platform's keep-alive rule where it has one, and the curves (idle time to fraction warm) for
 * charts. {@link #toJson()} and {@link #toCsv()} are the result files.
 */
public record EvictionResult(String platform, String functionName, Optional<KeepAlive> keepAlive,
    Duration predictionMargin, List<EvictionPoint> points) {

  /** CSV header: SeBS's eviction-model table plus the platform's prediction. */
  public static final String CSV_HEADER =
      "idle_time_s,instances,cold,warm,failed,warm_fraction,measured_idle_s,predicted,observed";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public EvictionResult {
    points = List.copyOf(points);
  }

  /** The curve over all instance counts: per idle time, warm over successful second-round invocations. */
  public WarmCurve curve() {
    return curve("all instance counts", p -> true);
  }

  /** The curve of one instance count. */
  public WarmCurve curve(int instances) {
    return curve(instances + (instances == 1 ? " instance" : " instances"), p -> p.instances() == instances);
  }

  private WarmCurve curve(String label, Predicate<EvictionPoint> filter) {
    TreeMap<Duration, long[]> byIdle = new TreeMap<>();
    for (EvictionPoint p : points) {
      if (filter.test(p)) {
        long[] counts = byIdle.computeIfAbsent(p.idleTime(), k -> new long[2]);
        counts[0] += p.warmCount();
        counts[1] += p.warmCount() + p.coldCount();
      }
    }
    double[] x = new double[byIdle.size()];
    double[] y = new double[byIdle.size()];
    int i = 0;
    for (var e : byIdle.entrySet()) {
      x[i] = seconds(e.getKey());
      y[i++] = e.getValue()[1] == 0 ? Double.NaN : (double) e.getValue()[0] / e.getValue()[1];
    }
    return new WarmCurve(label, x, y);
  }

  /** Points whose observation contradicts the platform's definite prediction (empty when it has none). */
  public List<EvictionPoint> contradictions() {
    return points.stream().filter(EvictionPoint::contradictsPrediction).toList();
  }

  public String toCsv() {
    StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
    for (EvictionPoint p : points) {
      csv.append(String.format(Locale.ROOT, "%.3f,%d,%d,%d,%d,%s,%.3f,%s,%s%n", seconds(p.idleTime()),
          p.instances(), p.coldCount(), p.warmCount(), p.failedCount(), fraction(p.warmFraction()),
          seconds(p.measuredIdle()), p.predicted() == null ? "" : p.predicted(), p.observed()));
    }
    return csv.toString();
  }

  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("experiment", "eviction-model");
    root.put("platform", platform);
    root.put("function", functionName);
    keepAlive.ifPresent(k -> {
      ObjectNode rule = root.putObject("keep_alive");
      rule.put("keep_alive_s", seconds(k.keepAlive()));
      rule.put("check_period_s", seconds(k.checkPeriod()));
      rule.put("prediction_margin_s", seconds(predictionMargin));
    });
    ArrayNode table = root.putArray("points");
    for (EvictionPoint p : points) {
      ObjectNode row = table.addObject();
      row.put("idle_time_s", seconds(p.idleTime()));
      row.put("instances", p.instances());
      row.put("cold", p.coldCount());
      row.put("warm", p.warmCount());
      row.put("failed", p.failedCount());
      if (Double.isNaN(p.warmFraction())) {
        row.putNull("warm_fraction");
      } else {
        row.put("warm_fraction", p.warmFraction());
      }
      row.put("measured_idle_s", seconds(p.measuredIdle()));
      row.put("predicted", p.predicted() == null ? null : p.predicted().name()); // null: no known rule
      row.put("observed", p.observed().name());
      row.put("first_round_cold", p.firstRoundCold());
      row.set("first_round_containers", JSON.valueToTree(p.firstRoundContainers()));
      ArrayNode second = row.putArray("second_round");
      for (SecondRoundInvocation i : p.secondRound()) {
        ObjectNode inv = second.addObject();
        inv.put("request_id", i.requestId());
        inv.put("is_cold", i.cold());
        inv.put("container_id", i.containerId());
        inv.put("reused_instance", i.reusedInstance());
        if (i.failed()) {
          inv.put("failure", i.failure());
        }
      }
    }
    WarmCurve all = curve();
    ObjectNode curve = root.putObject("curve");
    curve.set("idle_time_s", JSON.valueToTree(all.idleSeconds()));
    curve.set("warm_fraction", JSON.valueToTree(nanToNull(all.warmFraction())));
    try {
      return JSON.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Double> nanToNull(double[] values) {
    List<Double> list = new ArrayList<>();
    for (double v : values) {
      list.add(Double.isNaN(v) ? null : v);
    }
    return list;
  }

  private static String fraction(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
  }

  static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
