package io.sebs.junit.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * An invocation's begin and its client time come from one clock reading: whatever happens between
 * starting the stopwatch and asking for the begin, begin + elapsed is the end on the same clock.
 */
class ClientClockTest {

  @Test
  void beginPlusElapsedIsTheEndOnTheSameClock() {
    ClientClock.Stopwatch watch = ClientClock.start();
    long end = System.nanoTime() + 123_456_789;

    assertThat(watch.beginEpochMicros() + watch.elapsedMicros(end))
        .isBetween(ClientClock.epochMicros(end) - 1, ClientClock.epochMicros(end) + 1);
  }

  @Test
  void aPauseAfterStartingDoesNotMoveTheBegin() throws InterruptedException {
    long before = ClientClock.nowEpochMicros();
    ClientClock.Stopwatch watch = ClientClock.start();
    Thread.sleep(50); // a GC pause or a descheduled thread between the request's start and its bookkeeping
    long begin = watch.beginEpochMicros();
    long elapsed = watch.elapsedMicros();

    assertThat(begin - before).as("begin is when the stopwatch started, not when it was asked").isLessThan(20_000);
    assertThat(elapsed).isGreaterThanOrEqualTo(50_000);
  }

  @Test
  void followsTheWallClock() {
    long wall = Instant.now().toEpochMilli() * 1000;

    assertThat(ClientClock.nowEpochMicros()).isBetween(wall - 5_000, wall + 5_000);
  }
}
