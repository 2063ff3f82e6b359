package io.sebs.junit.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.sebs.junit.Invocation;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * An {@link Invocation} as platforms report it, with the raw timestamps the results files keep. All times
 * are microseconds; function-side timestamps are epoch microseconds on the function's clock (0 when the
 * function never answered).
 *
 * @param clientBeginMicros epoch microseconds on the client's clock when the request was sent
 * @param clientMicros client-side latency
 * @param functionBeginMicros wrapper's {@code begin}
 * @param functionEndMicros wrapper's {@code end}
 * @param incomeTimestampMicros wrapper's request-arrival timestamp, 0 when unknown
 * @param providerMicros provider-reported execution time, negative when unknown
 * @param initMicros instance start-up time, negative when not a cold start or unknown
 * @param memoryUsedMb the instance's peak memory so far in MB, as the platform measured it right after this
 *     invocation (see {@link Invocation#memoryUsed()}); negative when unknown
 */
public record InvocationResult(
    String requestId,
    long clientBeginMicros,
    long clientMicros,
    long functionBeginMicros,
    long functionEndMicros,
    long incomeTimestampMicros,
    long providerMicros,
    long initMicros,
    boolean isCold,
    String containerId,
    String failure,
    JsonNode output,
    JsonNode measurement,
    double memoryUsedMb)
    implements Invocation {

  public InvocationResult {
    output = output == null ? MissingNode.getInstance() : output;
    measurement = measurement == null ? MissingNode.getInstance() : measurement;
    containerId = containerId == null ? "" : containerId;
    memoryUsedMb = Double.isNaN(memoryUsedMb) || memoryUsedMb < 0 ? -1 : memoryUsedMb;
  }

  /** An invocation whose memory use is unknown (see {@link #withMemoryUsedMb}). */
  public InvocationResult(String requestId, long clientBeginMicros, long clientMicros, long functionBeginMicros,
      long functionEndMicros, long incomeTimestampMicros, long providerMicros, long initMicros, boolean isCold,
      String containerId, String failure, JsonNode output, JsonNode measurement) {
    this(requestId, clientBeginMicros, clientMicros, functionBeginMicros, functionEndMicros, incomeTimestampMicros,
        providerMicros, initMicros, isCold, containerId, failure, output, measurement, -1);
  }

  /** A failed invocation that never got a function answer. */
  public static InvocationResult failedBeforeAnswer(String requestId, long clientBeginMicros, long clientMicros,
      String reason) {
    return new InvocationResult(requestId, clientBeginMicros, clientMicros, 0, 0, 0, -1, -1, false, "", reason,
        null, null);
  }

  /** This invocation, marked failed for a reason found after it returned (e.g. invalid output). */
  public InvocationResult withFailure(String reason) {
    return new InvocationResult(requestId, clientBeginMicros, clientMicros, functionBeginMicros,
        functionEndMicros, incomeTimestampMicros, providerMicros, initMicros, isCold, containerId, reason, output,
        measurement, memoryUsedMb);
  }

  /** This invocation with the instance start-up time the platform measured. */
  public InvocationResult withInitMicros(long micros) {
    return new InvocationResult(requestId, clientBeginMicros, clientMicros, functionBeginMicros,
        functionEndMicros, incomeTimestampMicros, providerMicros, micros, isCold, containerId, failure, output,
        measurement, memoryUsedMb);
  }

  /** This invocation with the provider-reported execution time. */
  public InvocationResult withProviderMicros(long micros) {
    return new InvocationResult(requestId, clientBeginMicros, clientMicros, functionBeginMicros,
        functionEndMicros, incomeTimestampMicros, micros, initMicros, isCold, containerId, failure, output,
        measurement, memoryUsedMb);
  }

  /** This invocation with another (an equal, shared) container id string. */
  public InvocationResult withContainerId(String id) {
    return new InvocationResult(requestId, clientBeginMicros, clientMicros, functionBeginMicros,
        functionEndMicros, incomeTimestampMicros, providerMicros, initMicros, isCold, id, failure, output,
        measurement, memoryUsedMb);
  }

  /** This invocation with the instance's peak memory in MB the platform measured; negative for unknown. */
  public InvocationResult withMemoryUsedMb(double mb) {
    return new InvocationResult(requestId, clientBeginMicros, clientMicros, functionBeginMicros,
        functionEndMicros, incomeTimestampMicros, providerMicros, initMicros, isCold, containerId, failure, output,
        measurement, mb);
  }

  @Override
  public OptionalDouble memoryUsed() {
    return memoryUsedMb < 0 ? OptionalDouble.empty() : OptionalDouble.of(memoryUsedMb);
  }

  public long benchmarkMicros() {
    return functionEndMicros > functionBeginMicros ? functionEndMicros - functionBeginMicros : 0;
  }

  @Override
  public Duration clientTime() {
    return micros(clientMicros);
  }

  @Override
  public Duration benchmarkTime() {
    return micros(benchmarkMicros());
  }

  @Override
  public Optional<Duration> providerTime() {
    return providerMicros < 0 ? Optional.empty() : Optional.of(micros(providerMicros));
  }

  @Override
  public Optional<Duration> initTime() {
    return initMicros < 0 ? Optional.empty() : Optional.of(micros(initMicros));
  }

  @Override
  public boolean failed() {
    return failure != null;
  }

  @Override
  public Optional<String> failureReason() {
    return Optional.ofNullable(failure);
  }

  @Override
  public Instant clientBegin() {
    return Instant.EPOCH.plus(micros(clientBeginMicros));
  }

  private static Duration micros(long micros) {
    return Duration.ofNanos(micros * 1000);
  }

  @Override
  public String toString() {
    return "Invocation[" + requestId + ", client " + clientMicros + " us, benchmark " + benchmarkMicros()
        + " us, " + (isCold ? "cold" : "warm") + ", container " + containerId
        + (memoryUsedMb >= 0 ? ", memory used " + memoryUsedMb + " MB" : "")
        + (failed() ? ", FAILED: " + failure : "") + "]";
  }
}
