package io.sebs.junit.experiment.pingpong;

import io.sebs.junit.report.Charts;
import io.sebs.junit.run.ExperimentScope;
import java.util.Arrays;
import java.util.Map;

/**
 * The charts of a network-ping-pong run, next to its result files and in Allure: the CDF
 * ({@code network-ping-pong.rtt-cdf.png}) and the histogram ({@code network-ping-pong.rtt-histogram.png})
 * of the round-trip times in milliseconds.
 */
final class PingPongCharts {

  private PingPongCharts() {}

  static void write(ExperimentScope scope, PingPongResult result, Charts charts) {
    double[] rttMs = Arrays.stream(result.rttMicros()).map(us -> us / 1000).toArray();
    if (rttMs.length == 0) {
      return; // every invocation failed: nothing to draw
    }
    String title = scope.testName() + ": round trip " + result.language() + " function to client";
    scope.writeChart("network-ping-pong.rtt-cdf.png", "round-trip time CDF",
        () -> charts.latencyCdf(title, Map.of("round-trip time", rttMs)));
    scope.writeChart("network-ping-pong.rtt-histogram.png", "round-trip time histogram",
        () -> charts.histogram(title, "round-trip time", rttMs));
  }
}
