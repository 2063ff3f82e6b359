package io.sebs.junit.report;

import io.sebs.junit.config.SebsConfig.Progress;
import io.sebs.junit.series.SeriesRunner.ProgressListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress line on stderr for long measured series, so a 20-minute cold-start run does not look hung:
 * {@code [DynamicHtmlTest.cold] 37/50 invocations (74%), 1 min 02 s elapsed, about 21.8 s left}.
 *
 * <p>On a terminal ({@code System.console() != null}) the line is redrawn in place with a carriage
 * return at most once per second; otherwise (CI logs, Surefire's forked JVM) it is a plain line at most
 * every 10 seconds, so a log stays readable. The final line ({@code done in ...}) is always printed, also
 * when a series stops early ({@code @AdaptiveRepetitions}) and {@link #close()} ends it.
 *
 * <p>{@link Progress#AUTO} prints only for series expected to take longer than {@link #AUTO_THRESHOLD}:
 * after each invocation the total is projected as {@code elapsed / done × total}, and the line turns on
 * (for good) once that projection reaches the threshold and the series has run for at least
 * {@link #AUTO_MIN_ELAPSED} (so one slow first invocation, or the cap of an adaptive series that stops
 * early, does not turn it on). So 200 warm invocations of a few milliseconds stay silent, while 10 cold
 * starts of a second each print from the first. The remaining-time estimate is the same projection, so for
 * an adaptive series it is an upper bound (the cap).
 */
public final class ConsoleProgress implements ProgressListener, AutoCloseable {

  /** In {@link Progress#AUTO}, the projected duration of a series from which its progress is shown. */
  public static final Duration AUTO_THRESHOLD = Duration.ofSeconds(5);

  /** In {@link Progress#AUTO}, how long a series runs before its projection is trusted. */
  public static final Duration AUTO_MIN_ELAPSED = Duration.ofSeconds(1);

  private static final long TERMINAL_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();
  private static final long PLAIN_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

  private final String label;
  private final PrintStream out;
  private final boolean terminal;
  private final Progress mode;
  private final LongSupplier nanoClock;
  private final long startNanos;
  private long lastPrintNanos;
  private boolean active;
  private boolean finished;
  private int done;
  private int total;
  private int lastLength;

  /**
   * @param label what is measured, e.g. the test's {@code Class.method}
   * @param terminal whether {@code out} is a terminal (redraw in place) or a log (plain lines)
   * @param nanoClock a monotonic clock in nanoseconds, {@link System#nanoTime} outside tests
   */
  public ConsoleProgress(String label, PrintStream out, boolean terminal, Progress mode, LongSupplier nanoClock) {
    this.label = label;
    this.out = out;
    this.terminal = terminal;
    this.mode = mode;
    this.nanoClock = nanoClock;
    this.startNanos = nanoClock.getAsLong();
    this.lastPrintNanos = startNanos;
  }

  /** Progress of a test on stderr, redrawn in place only when the JVM has a console. */
  public static ConsoleProgress onStderr(String label, Progress mode) {
    return new ConsoleProgress(label, System.err, System.console() != null, mode, System::nanoTime);
  }

  @Override
  public synchronized void invoked(int done, int total) {
    if (finished || mode == Progress.NEVER) {
      return;
    }
    this.done = done;
    this.total = total;
    long now = nanoClock.getAsLong();
    long elapsed = now - startNanos;
    if (!active) {
      active = mode == Progress.ALWAYS || elapsed >= AUTO_MIN_ELAPSED.toNanos() && done > 0
          && (double) elapsed / done * total >= AUTO_THRESHOLD.toNanos();
      if (!active) {
        return;
      }
    }
    if (done >= total) {
      finish(elapsed, false);
    } else if (now - lastPrintNanos >= (terminal ? TERMINAL_INTERVAL_NANOS : PLAIN_INTERVAL_NANOS)) {
      lastPrintNanos = now;
      print(String.format(Locale.ROOT, "[%s] %d/%d invocations (%d%%), %s elapsed, about %s left", label, done,
          total, (int) (100L * done / total), duration(elapsed),
          duration(Math.round((double) elapsed / done * (total - done)))), false);
    }
  }

  /** Ends the line: prints the final one if the series stopped before its total (or was never shown). */
  @Override
  public synchronized void close() {
    if (active && !finished && done > 0) {
      finish(nanoClock.getAsLong() - startNanos, true);
    }
  }

  private void finish(long elapsed, boolean early) {
    finished = true;
    print(String.format(Locale.ROOT, "[%s] %d/%d invocations, done in %s%s", label, done, total,
        duration(elapsed), early ? " (stopped early)" : ""), true);
  }

  private void print(String line, boolean last) {
    if (terminal) {
      String padded = line.length() < lastLength ? line + " ".repeat(lastLength - line.length()) : line;
      out.print("\r" + padded + (last ? System.lineSeparator() : ""));
      lastLength = line.length();
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** 850 ms, 12.3 s, 2 min 05 s, 1 h 02 min. */
  static String duration(long nanos) {
    double seconds = nanos / 1e9;
    if (seconds < 1) {
      return Math.round(seconds * 1000) + " ms";
    }
    if (seconds < 59.95) {
      return String.format(Locale.ROOT, "%.1f s", seconds);
    }
    long s = Math.round(seconds);
    if (s < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }
}
