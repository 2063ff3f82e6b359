package io.sebs.junit.experiment.pingpong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.Invocation;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.experiment.Experiment;
import io.sebs.junit.experiment.clock.TimestampServer;
import io.sebs.junit.report.Charts;
import io.sebs.junit.run.ExperimentScope;
import io.sebs.junit.run.PreparedFunction;
import java.util.ArrayList;
import java.util.List;

/**
 * SeBS's network-ping-pong experiment: the function (020.network-benchmark) sends UDP datagrams to a
 * {@link TimestampServer} in this JVM and times each reply; the result is the distribution of round-trip
 * times between the function and the JVM's host. When the test's benchmark is not 020.network-benchmark,
 * that benchmark is deployed in the test's language.
 */
public final class NetworkPingPong implements Experiment {

  /** The benchmark whose function plays ping-pong. */
  public static final String BENCHMARK = "020.network-benchmark";

  private final ExperimentScope scope;
  private int invocations = 1;
  private int repetitions = 100;

  private NetworkPingPong(ExperimentScope scope) {
    this.scope = scope;
  }

  /** Built by the extension for a test parameter. */
  public static NetworkPingPong create(ExperimentScope scope) {
    return new NetworkPingPong(scope);
  }

  /** Invocations of the function, one after the other (default 1). */
  public NetworkPingPong invocations(int count) {
    this.invocations = positive("invocations", count);
    return this;
  }

  /** Round trips per invocation (default 100; SeBS's {@code repetitions}). */
  public NetworkPingPong repetitions(int count) {
    this.repetitions = positive("repetitions", count);
    return this;
  }

  /**
   * Runs the ping-pong and writes {@code network-ping-pong.json} and {@code .csv} into the run's results, then
   * the round-trip CDF and histogram ({@code network-ping-pong.rtt-cdf.png}, {@code .rtt-histogram.png}).
   */
  public PingPongResult run() {
    PreparedFunction function = networkBenchmarkFunction();
    List<PingPongResult.Sample> samples = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    try (TimestampServer server = TimestampServer.onLoopback()) {
      for (int i = 0; i < invocations; i++) {
        String requestId = "ping-pong-" + i;
        ObjectNode event = (ObjectNode) function.invoker().input();
        event.put("server-address", server.host());
        event.put("server-port", server.port());
        event.put("repetitions", repetitions);
        event.put("request-id", requestId);
        Invocation invocation = function.invoker().invoke(event);
        if (invocation.failed()) {
          failures.add(requestId + ": " + invocation.failureReason().orElse("failed"));
          continue;
        }
        for (JsonNode e : invocation.output().path("exchanges")) {
          if (!e.has("server_rcv")) {
            throw new IllegalStateException("Exchange " + e + " has no server stamps: the server must be a TimestampServer");
          }
          samples.add(new PingPongResult.Sample(requestId, e.path("id").asInt(), e.path("client_send").asLong(),
              e.path("server_rcv").asLong(), e.path("server_send").asLong(), e.path("client_rcv").asLong()));
        }
      }
    }
    PingPongResult result = new PingPongResult(BENCHMARK, function.spec().language().id(),
        scope.run().platform().name(), samples, failures, scope.run().config().confidence());
    scope.writeResult("network-ping-pong.json", "application/json", result.toJson());
    scope.writeResult("network-ping-pong.csv", "text/csv", result.toCsv());
    PingPongCharts.write(scope, result, Charts.DEFAULT);
    return result;
  }

  private PreparedFunction networkBenchmarkFunction() {
    PreparedFunction test = scope.function();
    if (test.spec().benchmark().id().equals(BENCHMARK)) {
      return test;
    }
    FunctionSpec spec = test.spec();
    return scope.prepare(scope.run().spec(BENCHMARK, spec.language().id(), spec.languageVersion(), "test", 0, 0));
  }

  private static int positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
    return value;
  }
}
