package io.sebs.junit.experiment.communication;

import io.sebs.junit.report.Charts;
import io.sebs.junit.report.Charts.Series;
import io.sebs.junit.report.Charts.XScale;
import io.sebs.junit.run.ExperimentScope;
import java.util.Arrays;
import java.util.List;

/**
 * The charts of a communication run, next to its result files and in Allure, one curve per channel:
 * {@code communication.latency.png}, message size (log x) against the median latency, and
 * {@code communication.throughput.png}, message size against the median throughput (log y: from a 1-byte
 * message to megabytes it spans orders of magnitude).
 */
final class CommunicationCharts {

  private CommunicationCharts() {}

  static void write(ExperimentScope scope, CommunicationResult result, Charts charts) {
    if (result.samples().isEmpty()) {
      return;
    }
    String title = scope.testName() + ": ";
    scope.writeChart("communication.latency.png", "message size vs latency",
        () -> charts.xyLine(title + "producer-to-consumer latency by message size", "message size (bytes)",
            "median latency (ms)", latency(result), XScale.LOG));
    scope.writeChart("communication.throughput.png", "message size vs throughput",
        () -> charts.xyLine(title + "throughput by message size", "message size (bytes)",
            "median throughput (MB/s, 1 MB = 10^6 bytes)", throughput(result), XScale.LOG, XScale.LOG));
  }

  private static List<Series> latency(CommunicationResult result) {
    return result.curves().values().stream()
        .map(c -> new Series(c.channel(), c.sizeBytes(), c.medianLatencyMs())).toList();
  }

  private static List<Series> throughput(CommunicationResult result) {
    return result.curves().values().stream()
        .map(c -> new Series(c.channel(), c.sizeBytes(),
            Arrays.stream(c.medianThroughputBytesPerSecond()).map(b -> b / 1e6).toArray()))
        .toList();
  }
}
