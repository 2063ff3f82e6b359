package io.sebs.junit.experiment.clock;

import java.util.OptionalDouble;

/**
 * How far a function's clock is from the server's (the test JVM's), from one series of
 * {@link ClockExchange}s, with SeBS's estimator beside it. Offsets follow NTP: server clock minus function
 * clock, in microseconds, so {@code functionTime + offset} reads a function timestamp on the JVM's clock;
 * {@link #functionAheadMicros()} is the same number with the opposite sign, which is what the local
 * platform's {@code sebs.local.clockOffsetMs} injects.
 *
 * @param offsetMicros NTP's estimate: theta of the exchange with the least delay
 * @param uncertaintyMicros half of that exchange's delay: whatever the split of the delay between the two
 *     directions, the true offset lies within {@code offsetMicros} plus or minus this
 * @param minDelayMicros the least round-trip delay seen
 * @param sebsMeanOffsetMicros SeBS's estimate on the same exchanges: the mean theta of all of them
 * @param skewPpm the function clock's drift against the server's, in parts per million (microseconds of
 *     offset change per second), present when the series was long enough to fit it
 * @param referenceMicros the function-clock time (midpoint of the least-delay exchange) the offset is
 *     measured at
 * @param exchanges how many exchanges the estimate used
 */
public record ClockOffsetEstimate(
    double offsetMicros,
    double uncertaintyMicros,
    long minDelayMicros,
    double sebsMeanOffsetMicros,
    OptionalDouble skewPpm,
    double referenceMicros,
    int exchanges) {

  /** The function's clock minus the server's: positive when the function's clock is ahead. */
  public double functionAheadMicros() {
    return -offsetMicros;
  }

  /** SeBS's mean estimate as the function's clock minus the server's. */
  public double sebsMeanFunctionAheadMicros() {
    return -sebsMeanOffsetMicros;
  }

  /**
   * The offset at a function-clock time: {@link #offsetMicros()}, moved along the skew when one was
   * estimated.
   */
  public double offsetAt(long functionMicros) {
    return offsetMicros + skewPpm.orElse(0) * 1e-6 * (functionMicros - referenceMicros);
  }

  /** A function timestamp (epoch microseconds on its clock) read on the server's clock. */
  public double toServerClock(long functionMicros) {
    return functionMicros + offsetAt(functionMicros);
  }

  /**
   * This estimate's error against a known truth, e.g. the offset injected on the local platform:
   * {@code functionAheadMicros() - trueFunctionAheadMicros}.
   */
  public double errorAgainst(double trueFunctionAheadMicros) {
    return functionAheadMicros() - trueFunctionAheadMicros;
  }

  /** SeBS's mean estimate's error against a known truth (see {@link #errorAgainst(double)}). */
  public double sebsMeanErrorAgainst(double trueFunctionAheadMicros) {
    return sebsMeanFunctionAheadMicros() - trueFunctionAheadMicros;
  }
}
