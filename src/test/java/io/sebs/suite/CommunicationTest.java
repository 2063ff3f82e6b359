package io.sebs.suite;

import static org.assertj.core.api.Assertions.assertThat;

import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.experiment.communication.Communication;
import io.sebs.junit.experiment.communication.CommunicationResult;
import io.sebs.junit.experiment.communication.MessageSample;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 050.communication (Python): messages of 1 B to 1 MB from a producer to a consumer instance through
 * object storage, NoSQL (split into 300 KB items) and Redis, three repetitions each. Every message must
 * arrive intact; latencies are printed and kept in the results, not gated (loopback timings are noisy).
 */
@ServerlessBenchmark(value = "050.communication", language = "python")
class CommunicationTest {

  static final List<Integer> SIZES = List.of(1, 1024, 64 * 1024, 1024 * 1024);

  @Test
  void messagesOfEverySizeArriveIntactThroughEveryChannel(Communication communication) {
    CommunicationResult result = communication.run(List.of("redis", "nosql", "s3"), SIZES, 3);
    System.out.print(result.toCsv());
    result.curves().values().forEach(c -> System.out.println(c.channel() + " median latency ms by size "
        + java.util.Arrays.toString(c.sizeBytes()) + ": " + java.util.Arrays.toString(c.medianLatencyMs())));

    assertThat(result.samples()).hasSize(3 * SIZES.size() * 3).allSatisfy(s -> {
      assertThat(s.intact()).as("intact: %s", s).isTrue();
      assertThat(s.latencyMicros()).as("latency: %s", s).isPositive();
      assertThat(s.throughputBytesPerSecond()).isPositive().isFinite();
    });
    assertThat(result.samples()).filteredOn(MessageSample::consumerWasReady).hasSizeGreaterThan(result.samples().size() / 2);
  }
}
