package io.sebs.junit.platform.pool;

import java.net.URI;

/**
 * One function instance as {@link InstancePool}'s pool sees it: something serving the function contract
 * over HTTP at an endpoint, one request at a time, that can be checked and killed. The local platform's
 * instances are OS processes (ProcessInstance); the docker platform's are containers. The pool's
 * bookkeeping (generation, idle time, start-up time reported once) lives here, so every kind of instance
 * follows the same rules.
 */
public abstract class FunctionInstance {

  private final long startupMicros;
  private final long generation;
  private volatile long idleSinceNanos;
  private boolean startupReported;
  private InstanceConnection connection;
  private String containerId;

  /**
   * @param startupMicros how long the instance took from the start request until it listened
   * @param generation the pool's generation when the instance was started (see {@link InstancePool})
   */
  protected FunctionInstance(long startupMicros, long generation) {
    this.startupMicros = startupMicros;
    this.generation = generation;
    this.idleSinceNanos = System.nanoTime();
  }

  /** Where the instance takes requests. */
  public abstract URI endpoint();

  /** A short identification for messages and diagnostics (a process id, a container id). */
  public abstract String id();

  /** Whether the instance can still take a request. */
  public abstract boolean isAlive();

  /** Describes how the instance ended (or that it still runs), with its last output lines. */
  public abstract String describeDeath();

  /**
   * The CPU time the instance used since the previous call (the first call: since it listened), read right after
   * an invocation's answer arrived: the invocation's billed time where a platform bills CPU time (Workers), so the
   * pool reports it as the provider time; empty where the instance does not know it or the platform bills duration.
   */
  public java.util.OptionalLong cpuNanosSinceLastCall() {
    return java.util.OptionalLong.empty();
  }

  /**
   * The instance's last output lines (its runtime's log), for an answer that is not the function contract (a
   * runtime's own error page); empty where the instance keeps none.
   */
  public String recentOutput() {
    return "";
  }

  /** Stops the instance and removes whatever it left behind; idempotent. */
  public abstract void kill();

  /**
   * The instance's peak memory in MB since it started, read right after an invocation's answer arrived
   * (so the read is not in the measured client time); negative when this kind of instance cannot tell.
   * Must be cheap: it runs once per invocation.
   */
  public double peakMemoryMb() {
    return -1;
  }

  /** The instance's one HTTP connection, opened on the first request (see {@link InstanceConnection}). */
  final synchronized InstanceConnection connection() {
    if (connection == null) {
      connection = new InstanceConnection(endpoint());
    }
    return connection;
  }

  /**
   * Closes the instance's connection, then {@link #kill()}s it: how the pool stops an instance that no
   * thread is invoking (the connection is not thread-safe; a busy instance is only killed).
   */
  final void stop() {
    InstanceConnection open;
    synchronized (this) {
      open = connection;
    }
    if (open != null) {
      open.close();
    }
    kill();
  }

  /**
   * The container id the instance reported, as the same String on every invocation of this instance: a
   * series keeps every invocation, and a copy per invocation was a third of what a warm invocation kept
   * on the heap (issue 16). Called by the thread invoking the instance.
   */
  final String sharedContainerId(String reported) {
    if (!reported.equals(containerId)) {
      containerId = reported;
    }
    return containerId;
  }

  final long generation() {
    return generation;
  }

  /** Start-up time, reported once: on the invocation that started this instance. */
  final synchronized long takeStartupMicros() {
    if (startupReported) {
      return -1;
    }
    startupReported = true;
    return startupMicros;
  }

  final void markIdle() {
    idleSinceNanos = System.nanoTime();
  }

  final long idleSinceNanos() {
    return idleSinceNanos;
  }

  /** Starts instances of one function for the pool. */
  @FunctionalInterface
  public interface Launcher {

    /**
     * Starts an instance and waits until it listens.
     *
     * @param generation to hand to the instance's constructor
     * @throws StartException when it cannot start, exits, or does not listen in time
     */
    FunctionInstance start(long generation) throws StartException;
  }

  /** An instance could not be started; the message says why, with the instance's output. */
  public static final class StartException extends Exception {
    public StartException(String message) {
      super(message);
    }
  }
}
