package io.sebs.junit.experiment.communication;

/**
 * One message passed from a producer to a consumer invocation. Timestamps are epoch microseconds on the
 * functions' clocks (one clock on the local platform; on a cloud, two instances' clocks).
 *
 * @param sendMicros producer, just before its write started
 * @param writtenMicros producer, after its write returned
 * @param readyMicros consumer, when it started waiting for the message
 * @param receivedMicros consumer, when the whole message was read
 * @param intact whether the consumer read exactly the bytes the producer wrote (SHA-256 and length)
 */
public record MessageSample(String channel, int sizeBytes, int repetition, long sendMicros, long writtenMicros,
    long readyMicros, long receivedMicros, int polls, boolean intact) {

  /** Consumer receipt minus producer send. */
  public double latencyMicros() {
    return receivedMicros - sendMicros;
  }

  /** Message bytes per second of latency. */
  public double throughputBytesPerSecond() {
    return sizeBytes / (latencyMicros() / 1e6);
  }

  /** Whether the consumer was already waiting when the producer sent (else latency includes its late start). */
  public boolean consumerWasReady() {
    return readyMicros <= sendMicros;
  }
}
