package io.sebs.junit.calibration;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;

/**
 * A fixed amount of work whose wall time measures the machine as the benchmark sees it now (its CPU speed
 * and how many other jobs share it): the reference of a {@link Calibration}.
 *
 * <p>{@link #cpu()} hashes a buffer on one thread per available processor, because the starts it
 * calibrates are parallel too (a JVM compiles and collects on other threads while it loads classes; a
 * function instance starts beside the test JVM), so a competing busy process slows both alike, where a
 * single-threaded reference would find an idle core and understate the load.
 */
public final class ReferenceWorkload {

  private final String name;
  private final Runnable work;
  private final LongSupplier nanoTime;

  private ReferenceWorkload(String name, Runnable work, LongSupplier nanoTime) {
    this.name = Objects.requireNonNull(name, "name");
    this.work = Objects.requireNonNull(work, "work");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /** What is timed, e.g. {@code "cpu: SHA-256 of 16 MiB on 2 thread(s)"}. */
  public String name() {
    return name;
  }

  /** Any work, timed with {@link System#nanoTime()}; {@code name} says what it is in messages. */
  public static ReferenceWorkload of(String name, Runnable work) {
    return new ReferenceWorkload(name, work, System::nanoTime);
  }

  /** As {@link #of(String, Runnable)} with another clock (for tests). */
  static ReferenceWorkload of(String name, Runnable work, LongSupplier nanoTime) {
    return new ReferenceWorkload(name, work, nanoTime);
  }

  /**
   * SHA-256 of {@code mebibytes} MiB per thread on {@code threads} threads at once (about 1.5-4 ms per MiB on a
   * current x86 core).
   */
  public static ReferenceWorkload cpu(int threads, int mebibytes) {
    if (threads < 1 || mebibytes < 1) {
      throw new IllegalArgumentException("threads and mebibytes must be >= 1, were " + threads + " and " + mebibytes);
    }
    byte[] block = new byte[64 * 1024];
    Arrays.fill(block, (byte) 7);
    int blocks = mebibytes * 16;
    Runnable hashing = () -> {
      try {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < blocks; i++) {
          sha.update(block);
        }
        if (sha.digest()[0] == 42 && blocks < 0) {
          throw new IllegalStateException(); // keeps the digest live
        }
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is missing from this JVM", e);
      }
    };
    Runnable parallel = threads == 1 ? hashing : () -> {
      ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "sebs-calibration");
        t.setDaemon(true);
        return t;
      });
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          done.add(pool.submit(hashing));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while calibrating", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("the reference workload failed: " + e.getCause(), e.getCause());
      } finally {
        pool.shutdownNow();
      }
    };
    return of("cpu: SHA-256 of " + mebibytes + " MiB on " + threads + " thread(s)", parallel);
  }

  /** {@link #cpu(int, int)} on every available processor, 16 MiB each (tens of milliseconds per round). */
  public static ReferenceWorkload cpu() {
    return cpu(Runtime.getRuntime().availableProcessors(), 16);
  }

  /**
   * Runs the work once to warm it up (class loading, JIT), then {@code rounds} times, and returns the
   * median wall time with the range. Odd round counts give a median that is one round's time.
   */
  public Calibration measure(int rounds) {
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds must be >= 1, was " + rounds);
    }
    work.run();
    long[] nanos = new long[rounds];
    for (int i = 0; i < rounds; i++) {
      long start = nanoTime.getAsLong();
      work.run();
      nanos[i] = nanoTime.getAsLong() - start;
    }
    Arrays.sort(nanos);
    long median = rounds % 2 == 1 ? nanos[rounds / 2] : (nanos[rounds / 2 - 1] + nanos[rounds / 2]) / 2;
    return new Calibration(name, Duration.ofNanos(median), Duration.ofNanos(nanos[0]),
        Duration.ofNanos(nanos[rounds - 1]), rounds);
  }
}
