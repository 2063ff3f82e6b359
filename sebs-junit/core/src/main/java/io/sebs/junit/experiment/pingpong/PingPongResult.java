package io.sebs.junit.experiment.pingpong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.stats.ConfidenceInterval;
import io.sebs.junit.stats.SampleStatistics;
import java.util.List;
import java.util.Optional;

/**
 * The round trips of a network-ping-pong run. The round-trip time of an exchange is SeBS's
 * {@code (server_rcv - client_send) + (client_rcv - server_send)}: the function's send-to-receive time
 * without the server's processing (each difference mixes two clocks, the sum does not).
 * {@link #rttMicros()} is the sample a histogram or CDF chart needs.
 *
 * @param confidence the level of {@link #medianInterval()}
 */
public record PingPongResult(String benchmark, String language, String platform, List<Sample> samples,
    List<String> failures, double confidence) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One exchange, epoch microseconds: function clock for client_*, JVM clock for server_*. */
  public record Sample(String requestId, int id, long clientSend, long serverReceive, long serverSend,
      long clientReceive) {
    /** The round-trip time without the server's processing, in microseconds. */
    public long rttMicros() {
      return (clientReceive - clientSend) - (serverSend - serverReceive);
    }
  }

  public PingPongResult {
    samples = List.copyOf(samples);
    failures = List.copyOf(failures);
  }

  /** The round-trip times in microseconds, in the order measured. */
  public double[] rttMicros() {
    return samples.stream().mapToDouble(Sample::rttMicros).toArray();
  }

  /** Median, percentiles, mean and intervals of the round-trip times. */
  public SampleStatistics rtt() {
    return SampleStatistics.of(rttMicros());
  }

  /** Le Boudec's distribution-free interval for the median round trip, empty for too few samples. */
  public Optional<ConfidenceInterval> medianInterval() {
    return rtt().medianInterval(confidence);
  }

  /** SeBS's CSV columns per exchange plus the round trip, microseconds. */
  public String toCsv() {
    StringBuilder csv = new StringBuilder("request_id,id,client_send,server_rcv,server_send,client_rcv,rtt\n");
    for (Sample s : samples) {
      csv.append(s.requestId()).append(',').append(s.id()).append(',').append(s.clientSend()).append(',')
          .append(s.serverReceive()).append(',').append(s.serverSend()).append(',').append(s.clientReceive())
          .append(',').append(s.rttMicros()).append('\n');
    }
    return csv.toString();
  }

  /** The summary SeBS prints (rows, mean, std, CV, p50 ... p99.9) with the median's interval, as JSON. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("experiment", "network-ping-pong");
    root.put("benchmark", benchmark);
    root.put("language", language);
    root.put("platform", platform);
    root.put("unit", "us");
    SampleStatistics rtt = rtt();
    ObjectNode stats = root.putObject("rtt");
    stats.put("n", rtt.count());
    if (!rtt.isEmpty()) {
      stats.put("mean", rtt.mean()).put("std", rtt.standardDeviation()).put("cv", rtt.coefficientOfVariation())
          .put("min", rtt.min()).put("p50", rtt.median()).put("p75", rtt.percentile(75))
          .put("p95", rtt.percentile(95)).put("p99", rtt.percentile(99)).put("p99.9", rtt.percentile(99.9))
          .put("max", rtt.max());
      medianInterval().ifPresent(ci -> stats.putObject("median_ci").put("lower", ci.lower())
          .put("upper", ci.upper()).put("confidence", ci.confidence()));
    }
    root.putPOJO("samples", rttMicros());
    root.putPOJO("failures", failures);
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
