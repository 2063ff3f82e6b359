package io.sebs.junit.platform;

import java.time.Instant;

/**
 * The client's clock for invocations: when a request was sent (epoch microseconds) and how long it took,
 * both from one reading of the monotonic clock, so a pause between two clock reads (a GC, a descheduled
 * thread) cannot make an invocation's begin and its duration disagree. Epoch time is the monotonic reading
 * placed on the wall clock by an anchor (a wall-clock and a monotonic reading taken back to back), renewed
 * every second so the mapping follows the wall clock's corrections; the timestamp server of the clock
 * experiments stamps with the same clock.
 */
public final class ClientClock {

  private static final long RE_ANCHOR_NANOS = 1_000_000_000L;
  private static volatile Anchor anchor = Anchor.take();

  private ClientClock() {}

  /** A started request: its begin on the wall clock and a stopwatch, from one monotonic reading. */
  public static Stopwatch start() {
    return new Stopwatch(System.nanoTime());
  }

  /** Now, in epoch microseconds on the client's clock. */
  public static long nowEpochMicros() {
    return epochMicros(System.nanoTime());
  }

  /** A monotonic reading ({@link System#nanoTime()}) on the wall clock, in epoch microseconds. */
  public static long epochMicros(long nanoTime) {
    Anchor current = anchor;
    if (nanoTime - current.nanoTime() > RE_ANCHOR_NANOS) {
      current = Anchor.take();
      anchor = current;
    }
    return current.epochMicros() + Math.floorDiv(nanoTime - current.nanoTime(), 1000);
  }

  /**
   * One request's timing.
   *
   * @param startNanos the one monotonic reading the begin and the elapsed time both come from
   */
  public record Stopwatch(long startNanos) {

    /** When the request was sent, epoch microseconds on the client's clock. */
    public long beginEpochMicros() {
      return epochMicros(startNanos);
    }

    /** Microseconds since the start, from one more monotonic reading. */
    public long elapsedMicros() {
      return elapsedMicros(System.nanoTime());
    }

    /** Microseconds from the start to the monotonic reading {@code nanoTime}. */
    public long elapsedMicros(long nanoTime) {
      return (nanoTime - startNanos) / 1000;
    }
  }

  /** A wall-clock reading and a monotonic one, taken as close together as the best of three tries. */
  private record Anchor(long epochMicros, long nanoTime) {
    static Anchor take() {
      Anchor best = null;
      long bestGap = Long.MAX_VALUE;
      for (int i = 0; i < 3; i++) {
        long before = System.nanoTime();
        Instant now = Instant.now();
        long after = System.nanoTime();
        if (after - before < bestGap) {
          bestGap = after - before;
          best = new Anchor(now.getEpochSecond() * 1_000_000L + now.getNano() / 1000, before + (after - before) / 2);
        }
      }
      return best;
    }
  }
}
