package io.sebs.junit.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.test;

import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.experiment.communication.ChannelCurve;
import io.sebs.junit.experiment.communication.Communication;
import io.sebs.junit.experiment.communication.CommunicationResult;
import io.sebs.junit.experiment.communication.MessageSample;
import io.sebs.junit.testing.ChartFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer and a consumer instance of 050.communication (from the real catalogue) pass messages through
 * the local platform's S3 server, DynamoDB server and Redis server: every message arrives intact, and
 * latency and throughput are positive and finite. 400 KB is over DynamoDB's item limit, so the NoSQL
 * channel carries it in two parts.
 */
class CommunicationTest {

  static final List<Integer> SIZES = List.of(1, 1024, 400 * 1024);
  static final Map<String, CommunicationResult> RESULTS = new ConcurrentHashMap<>();

  @TempDir
  Path results;

  @ServerlessBenchmark(value = "050.communication", language = "python")
  static class PassesMessages {
    @org.junit.jupiter.api.Test
    void throughEveryChannel(Communication communication) {
      RESULTS.put("result", communication.run(List.of("s3", "nosql", "redis"), SIZES, 1));
    }
  }

  @Test
  void messagesArriveIntactThroughEveryChannelWithPositiveFiniteLatency() throws Exception {
    ExtensionTestKit.run(PassesMessages.class, results,
            "sebs.benchmarks.dir", io.sebs.junit.testing.Fixtures.catalogueDir().toString())
        .assertThatEvents().haveExactly(1, event(test(), finishedSuccessfully()));
    CommunicationResult result = RESULTS.get("result");
    System.out.print(result.toCsv());

    assertThat(result.samples()).hasSize(9).allSatisfy(s -> {
      assertThat(s.intact()).as("bytes intact for %s", s).isTrue();
      assertThat(s.latencyMicros()).as("latency of %s", s).isPositive().isLessThan(10_000_000);
      assertThat(s.throughputBytesPerSecond()).isPositive().isFinite();
      assertThat(s.writtenMicros()).isGreaterThanOrEqualTo(s.sendMicros());
    });
    assertThat(result.samples()).extracting(MessageSample::channel).containsOnly("s3", "nosql", "redis");
    for (String channel : List.of("s3", "nosql", "redis")) {
      ChannelCurve curve = result.curve(channel);
      assertThat(curve.sizeBytes()).containsExactly(1, 1024, 400 * 1024);
      assertThat(java.util.Arrays.stream(curve.medianLatencyMs()).boxed()).allSatisfy(ms -> assertThat(ms).isPositive().isFinite());
    }
    Path run;
    try (var runs = Files.list(results)) {
      run = runs.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    List<String> csv = Files.readAllLines(run.resolve("PassesMessages.throughEveryChannel.communication.csv"));
    assertThat(csv).hasSize(10).first().isEqualTo(CommunicationResult.CSV_HEADER);
    assertThat(run.resolve("PassesMessages.throughEveryChannel.communication.json")).exists();
    ChartFiles.assertCharts(run, "PassesMessages.throughEveryChannel.communication.latency.png",
        "PassesMessages.throughEveryChannel.communication.throughput.png");
  }
}
