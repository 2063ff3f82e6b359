package io.sebs.junit.platform;

/**
 * A warm invocation made ready before a burst's release, so that one thread can send all of a burst's
 * requests back to back: waking one thread per invocation to send its own request spread the sends of a
 * burst of 100 over ~15 ms on 2 cores (issue 16). {@link #send} runs on the releasing thread, {@link #await}
 * on the thread that prepared the invocation, which may already wait in it before the send. Neither throws
 * for a failed invocation.
 */
public interface PreparedInvocation {

  /** Takes the client begin instant and writes the request; never blocks on the function. */
  void send();

  /** Waits for the answer of the sent request (or for the send) and returns the invocation, failed or not. */
  InvocationResult await();
}
