package io.sebs.junit.experiment.overhead;

import io.sebs.junit.experiment.clock.ClockExchange;
import java.util.List;

import io.sebs.junit.experiment.clock.ClockOffsetEstimate;

/**
 * One invocation of the invocation-overhead experiment.
 *
 * @param payloadSize bytes of the event's {@code data} field
 * @param repetition 0-based index within its payload size
 * @param clientSendMicros epoch microseconds on the JVM's clock when the request was sent
 * @param functionBeginMicros the wrapper's {@code begin}, epoch microseconds on the function's clock
 * @param invocationMicros the function's begin on the JVM's clock minus the client's send
 * @param clientMicros the client-side latency of the whole invocation
 * @param offset the clock-offset estimate from this invocation's exchanges
 * @param offsetErrorMicros the estimate's error against the injected offset, NaN when the truth is unknown
 * @param sebsMeanErrorMicros the same for SeBS's mean estimate
 * @param exchanges the raw clock exchanges the offset was estimated from (t1, t4 on the function's clock,
 *     t2, t3 on the JVM's), kept so anyone can recompute the estimate
 */
public record OverheadSample(
    int payloadSize,
    int repetition,
    String requestId,
    boolean isCold,
    long clientSendMicros,
    long functionBeginMicros,
    double invocationMicros,
    long clientMicros,
    ClockOffsetEstimate offset,
    double offsetErrorMicros,
    double sebsMeanErrorMicros,
    List<ClockExchange> exchanges) {

  public OverheadSample {
    exchanges = List.copyOf(exchanges);
  }
}
