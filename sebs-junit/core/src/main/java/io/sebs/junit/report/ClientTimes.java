package io.sebs.junit.report;

import java.math.BigDecimal;
import java.time.Instant;

/** Instants as results files write them: epoch microseconds, or epoch seconds with six decimals (SeBS). */
final class ClientTimes {

  private ClientTimes() {}

  static long epochMicros(Instant instant) {
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }

  static BigDecimal epochSeconds(Instant instant) {
    return BigDecimal.valueOf(epochMicros(instant), 6);
  }
}
