package io.sebs.suite;

import static org.assertj.core.api.Assertions.assertThat;

import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.experiment.pingpong.NetworkPingPong;
import io.sebs.junit.experiment.pingpong.PingPongResult;
import org.junit.jupiter.api.Test;

/** SeBS's network ping-pong (020.network-benchmark): UDP round trips between the function and the JVM. */
@ServerlessBenchmark(value = "020.network-benchmark", language = "python")
class NetworkPingPongTest {

  @Test
  void roundTripTimes(NetworkPingPong experiment) {
    PingPongResult result = experiment.invocations(2).repetitions(200).run();

    assertThat(result.failures()).isEmpty();
    assertThat(result.rtt().count()).isEqualTo(400);
    assertThat(result.rtt().median()).isPositive();
    assertThat(result.medianInterval()).isPresent();
    System.out.printf("UDP RTT (us): median %.0f %s, p95 %.0f, p99 %.0f%n", result.rtt().median(),
        result.medianInterval().orElseThrow(), result.rtt().percentile(95), result.rtt().percentile(99));
  }
}
