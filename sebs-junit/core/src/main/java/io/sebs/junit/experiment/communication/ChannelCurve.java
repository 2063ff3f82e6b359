package io.sebs.junit.experiment.communication;

/**
 * One channel's curve for a chart: x = message size in bytes (ascending), y = median latency in
 * milliseconds and median throughput in bytes per second over the repetitions of that size.
 */
public record ChannelCurve(String channel, double[] sizeBytes, double[] medianLatencyMs,
    double[] medianThroughputBytesPerSecond) {

  public ChannelCurve {
    sizeBytes = sizeBytes.clone();
    medianLatencyMs = medianLatencyMs.clone();
    medianThroughputBytesPerSecond = medianThroughputBytesPerSecond.clone();
  }

  @Override
  public double[] sizeBytes() {
    return sizeBytes.clone();
  }

  @Override
  public double[] medianLatencyMs() {
    return medianLatencyMs.clone();
  }

  @Override
  public double[] medianThroughputBytesPerSecond() {
    return medianThroughputBytesPerSecond.clone();
  }
}
