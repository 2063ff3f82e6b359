package io.sebs.junit.series;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Releases the invocations of a burst together. A {@code CountDownLatch} wakes its waiters in a chain
 * (each woken thread wakes the next once it runs), so the last of 100 threads waited for 99 scheduling
 * delays in turn: seconds while the instances of a cold burst were starting on a busy 2-core machine
 * (issue 16). A single opener waking all 100 is no better there: it is descheduled among the threads it
 * woke. Here the opener wakes two waiters and every woken thread wakes two more before it goes on, so 100
 * threads are awake after 7 rounds.
 */
public final class StartingGate {

  private final Queue<Thread> waiting = new ConcurrentLinkedQueue<>();
  private volatile boolean open;

  /** Waits until the gate opens (returns at once when it is open). */
  public void await() throws InterruptedException {
    waiting.add(Thread.currentThread());
    while (!open) {
      LockSupport.park(this);
      if (Thread.interrupted()) {
        if (open) {
          wakeTwo(); // pass on the wake-ups this thread may have been given, or two waiters would stay parked
        }
        throw new InterruptedException();
      }
    }
    wakeTwo();
  }

  /** Opens the gate: every thread waiting in {@link #await} returns, and every later call at once. */
  public void open() {
    open = true;
    wakeTwo();
  }

  private void wakeTwo() {
    for (int k = 0; k < 2; k++) {
      Thread next = waiting.poll();
      if (next == null) {
        return;
      }
      LockSupport.unpark(next);
    }
  }
}
