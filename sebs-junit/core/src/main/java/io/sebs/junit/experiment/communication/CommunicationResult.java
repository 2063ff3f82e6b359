package io.sebs.junit.experiment.communication;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.stat.descriptive.rank.Median;

/**
 * The samples of a {@link Communication} run and, per channel, the size-to-latency curve.
 * {@link #toJson()} and {@link #toCsv()} are the result files.
 */
public record CommunicationResult(String platform, String functionName, List<MessageSample> samples) {

  public static final String CSV_HEADER = "channel,size_bytes,repetition,latency_us,throughput_bytes_per_s,"
      + "producer_write_us,consumer_ready_before_send,polls,intact";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public CommunicationResult {
    samples = List.copyOf(samples);
  }

  /** Curves per channel, in the order the channels were measured. */
  public Map<String, ChannelCurve> curves() {
    Map<String, TreeMap<Integer, List<MessageSample>>> grouped = new LinkedHashMap<>();
    for (MessageSample s : samples) {
      grouped.computeIfAbsent(s.channel(), c -> new TreeMap<>())
          .computeIfAbsent(s.sizeBytes(), k -> new java.util.ArrayList<>()).add(s);
    }
    Map<String, ChannelCurve> curves = new LinkedHashMap<>();
    grouped.forEach((channel, bySize) -> {
      double[] x = new double[bySize.size()];
      double[] latency = new double[bySize.size()];
      double[] throughput = new double[bySize.size()];
      int i = 0;
      for (var e : bySize.entrySet()) {
        x[i] = e.getKey();
        latency[i] = median(e.getValue().stream().mapToDouble(s -> s.latencyMicros() / 1000.0).toArray());
        throughput[i++] = median(e.getValue().stream().mapToDouble(MessageSample::throughputBytesPerSecond).toArray());
      }
      curves.put(channel, new ChannelCurve(channel, x, latency, throughput));
    });
    return curves;
  }

  /** One channel's curve. */
  public ChannelCurve curve(String channel) {
    ChannelCurve curve = curves().get(channel);
    if (curve == null) {
      throw new IllegalArgumentException("No samples for channel '" + channel + "'; measured: " + curves().keySet());
    }
    return curve;
  }

  private static double median(double[] values) {
    return new Median().evaluate(values);
  }

  public String toCsv() {
    StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
    for (MessageSample s : samples) {
      csv.append(String.format(Locale.ROOT, "%s,%d,%d,%.0f,%.1f,%d,%s,%d,%s%n", s.channel(), s.sizeBytes(),
          s.repetition(), s.latencyMicros(), s.throughputBytesPerSecond(), s.writtenMicros() - s.sendMicros(),
          s.consumerWasReady(), s.polls(), s.intact()));
    }
    return csv.toString();
  }

  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("experiment", "communication");
    root.put("platform", platform);
    root.put("function", functionName);
    ObjectNode curves = root.putObject("curves");
    curves().forEach((channel, c) -> {
      ObjectNode node = curves.putObject(channel);
      node.set("size_bytes", JSON.valueToTree(c.sizeBytes()));
      node.set("median_latency_ms", JSON.valueToTree(c.medianLatencyMs()));
      node.set("median_throughput_bytes_per_s", JSON.valueToTree(c.medianThroughputBytesPerSecond()));
    });
    ArrayNode rows = root.putArray("samples");
    for (MessageSample s : samples) {
      ObjectNode row = rows.addObject();
      row.put("channel", s.channel());
      row.put("size_bytes", s.sizeBytes());
      row.put("repetition", s.repetition());
      row.put("send_us", s.sendMicros());
      row.put("written_us", s.writtenMicros());
      row.put("ready_us", s.readyMicros());
      row.put("received_us", s.receivedMicros());
      row.put("latency_us", s.latencyMicros());
      row.put("throughput_bytes_per_s", s.throughputBytesPerSecond());
      row.put("polls", s.polls());
      row.put("intact", s.intact());
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
