package io.sebs.junit.experiment.overhead;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.experiment.clock.ClockExchange;
import io.sebs.junit.stats.SampleStatistics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * What the invocation-overhead experiment measured: one {@link OverheadSample} per invocation, the failed
 * invocations, and, on the local platform, the true clock offset the estimates are checked against.
 * {@link #payloadSizes()} and {@link #medianInvocationMicros()} are the x and y of the payload-size
 * overhead curve.
 *
 * @param injectedFunctionAheadMicros the function clock's true lead over the JVM's (local platform:
 *     {@code sebs.local.clockOffsetMs}), empty when unknown
 */
public record InvocationOverheadResult(
    String benchmark,
    String language,
    String platform,
    List<OverheadSample> samples,
    List<String> failures,
    OptionalDouble injectedFunctionAheadMicros) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public InvocationOverheadResult {
    samples = List.copyOf(samples);
    failures = List.copyOf(failures);
  }

  /** One point of the overhead curve: a payload size and its invocation times. */
  public record CurvePoint(int payloadSize, SampleStatistics invocationMicros) {
    public double median() {
      return invocationMicros.median();
    }
  }

  /** The overhead curve, by increasing payload size. */
  public List<CurvePoint> curve() {
    TreeMap<Integer, List<Double>> bySize = new TreeMap<>();
    for (OverheadSample s : samples) {
      bySize.computeIfAbsent(s.payloadSize(), k -> new ArrayList<>()).add(s.invocationMicros());
    }
    List<CurvePoint> curve = new ArrayList<>();
    bySize.forEach((size, times) -> curve.add(
        new CurvePoint(size, SampleStatistics.of(times.stream().mapToDouble(Double::doubleValue).toArray()))));
    return curve;
  }

  /** Chart x: the payload sizes in bytes, increasing. */
  public double[] payloadSizes() {
    return curve().stream().mapToDouble(CurvePoint::payloadSize).toArray();
  }

  /** Chart y: the median corrected invocation time per payload size, in microseconds. */
  public double[] medianInvocationMicros() {
    return curve().stream().mapToDouble(CurvePoint::median).toArray();
  }

  /** The signed errors of the least-delay estimates against the injected offset (empty when unknown). */
  public SampleStatistics offsetErrorMicros() {
    return SampleStatistics.of(samples.stream().mapToDouble(OverheadSample::offsetErrorMicros)
        .filter(Double::isFinite).toArray());
  }

  /** The absolute errors of the least-delay estimates against the injected offset. */
  public SampleStatistics absoluteOffsetErrorMicros() {
    return SampleStatistics.of(samples.stream().mapToDouble(s -> Math.abs(s.offsetErrorMicros()))
        .filter(Double::isFinite).toArray());
  }

  /** The absolute errors of SeBS's mean estimates against the injected offset. */
  public SampleStatistics absoluteSebsMeanErrorMicros() {
    return SampleStatistics.of(samples.stream().mapToDouble(s -> Math.abs(s.sebsMeanErrorMicros()))
        .filter(Double::isFinite).toArray());
  }

  /** The samples and the curve as JSON. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("experiment", "invocation-overhead");
    root.put("benchmark", benchmark);
    root.put("language", language);
    root.put("platform", platform);
    root.put("unit", "us");
    if (injectedFunctionAheadMicros.isPresent()) {
      root.put("injected_offset", injectedFunctionAheadMicros.getAsDouble());
    } else {
      root.putNull("injected_offset");
    }
    ArrayNode rows = root.putArray("invocations");
    for (OverheadSample s : samples) {
      ObjectNode row = rows.addObject();
      row.put("payload_size", s.payloadSize());
      row.put("repetition", s.repetition());
      row.put("request_id", s.requestId());
      row.put("is_cold", s.isCold());
      row.put("client_send", s.clientSendMicros());
      row.put("function_begin", s.functionBeginMicros());
      row.put("invocation_time", s.invocationMicros());
      row.put("client_time", s.clientMicros());
      row.put("function_clock_ahead", s.offset().functionAheadMicros());
      row.put("uncertainty", s.offset().uncertaintyMicros());
      row.put("min_rtt", s.offset().minDelayMicros());
      row.put("sebs_mean_function_clock_ahead", s.offset().sebsMeanFunctionAheadMicros());
      if (s.offset().skewPpm().isPresent()) {
        row.put("skew_ppm", s.offset().skewPpm().getAsDouble());
      }
      row.put("exchanges", s.offset().exchanges());
      ArrayNode raw = row.putArray("raw_exchanges");
      for (ClockExchange e : s.exchanges()) {
        raw.addObject().put("client_send", e.t1()).put("server_rcv", e.t2()).put("server_send", e.t3())
            .put("client_rcv", e.t4());
      }
      putFinite(row, "offset_error", s.offsetErrorMicros());
      putFinite(row, "sebs_mean_offset_error", s.sebsMeanErrorMicros());
    }
    ArrayNode curve = root.putArray("curve");
    for (CurvePoint p : curve()) {
      curve.addObject().put("payload_size", p.payloadSize()).put("n", p.invocationMicros().count())
          .put("median_invocation_time", p.median()).put("min", p.invocationMicros().min())
          .put("max", p.invocationMicros().max());
    }
    SampleStatistics errors = absoluteOffsetErrorMicros();
    if (!errors.isEmpty()) {
      ObjectNode summary = root.putObject("offset_error_abs");
      summary.put("n", errors.count()).put("median", errors.median()).put("max", errors.max());
      SampleStatistics sebs = absoluteSebsMeanErrorMicros();
      root.putObject("sebs_mean_offset_error_abs").put("n", sebs.count()).put("median", sebs.median())
          .put("max", sebs.max());
    }
    root.putPOJO("failures", failures);
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * One row per clock exchange of every measured invocation, as the function reported it (epoch
   * microseconds; the function is NTP's client: t1 = {@code client_send} and t4 = {@code client_rcv} on its
   * clock, t2 = {@code server_rcv} and t3 = {@code server_send} on the JVM's), so the offset of any invocation
   * can be recomputed with any estimator.
   */
  public String exchangesCsv() {
    StringBuilder csv = new StringBuilder("payload_size,repetition,request_id,exchange,client_send,server_rcv,"
        + "server_send,client_rcv\n");
    for (OverheadSample s : samples) {
      for (int i = 0; i < s.exchanges().size(); i++) {
        ClockExchange e = s.exchanges().get(i);
        csv.append(s.payloadSize()).append(',').append(s.repetition()).append(',').append(s.requestId()).append(',')
            .append(i).append(',').append(e.t1()).append(',').append(e.t2()).append(',').append(e.t3()).append(',')
            .append(e.t4()).append('\n');
      }
    }
    return csv.toString();
  }

  /** One row per invocation, times in microseconds; empty cells where the truth is unknown. */
  public String toCsv() {
    StringBuilder csv = new StringBuilder("payload_size,repetition,request_id,is_cold,client_send,function_begin,"
        + "invocation_time,client_time,function_clock_ahead,uncertainty,min_rtt,sebs_mean_function_clock_ahead,"
        + "injected_offset,offset_error,sebs_mean_offset_error\n");
    for (OverheadSample s : samples) {
      csv.append(s.payloadSize()).append(',').append(s.repetition()).append(',').append(s.requestId()).append(',')
          .append(s.isCold() ? 1 : 0).append(',').append(s.clientSendMicros()).append(',')
          .append(s.functionBeginMicros()).append(',').append(number(s.invocationMicros())).append(',')
          .append(s.clientMicros()).append(',').append(number(s.offset().functionAheadMicros())).append(',')
          .append(number(s.offset().uncertaintyMicros())).append(',').append(s.offset().minDelayMicros()).append(',')
          .append(number(s.offset().sebsMeanFunctionAheadMicros())).append(',')
          .append(injectedFunctionAheadMicros.isPresent() ? number(injectedFunctionAheadMicros.getAsDouble()) : "")
          .append(',').append(number(s.offsetErrorMicros())).append(',').append(number(s.sebsMeanErrorMicros()))
          .append('\n');
    }
    return csv.toString();
  }

  private static void putFinite(ObjectNode row, String key, double value) {
    if (Double.isFinite(value)) {
      row.put(key, value);
    } else {
      row.putNull(key);
    }
  }

  private static String number(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.1f", value) : "";
  }
}
