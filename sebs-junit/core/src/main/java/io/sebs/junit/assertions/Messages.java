package io.sebs.junit.assertions;

import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.stats.ConfidenceInterval;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.assertj.core.api.AbstractAssert;

/** Formatting shared by the budget assertions: milliseconds, intervals, sample descriptions, failures. */
final class Messages {

  /** How many failed invocations a message quotes. */
  static final int QUOTED_FAILURES = 3;

  /** Longest failure reason quoted, in characters (stack traces get cut). */
  private static final int MAX_REASON_LENGTH = 200;

  private Messages() {}

  /** Microseconds as milliseconds with three decimals, e.g. {@code 53214.0 -> "53.214"}. */
  static String ms(double micros) {
    return String.format(Locale.ROOT, "%.3f", micros / 1000.0);
  }

  /** A duration as milliseconds with three decimals. */
  static String ms(Duration duration) {
    return ms(micros(duration));
  }

  /** A duration in (fractional) microseconds, the unit of {@link Measurements#statistics}. */
  static double micros(Duration duration) {
    return duration.toNanos() / 1000.0;
  }

  /** Fractional microseconds as a duration, rounded to the nanosecond. */
  static Duration duration(double micros) {
    return Duration.ofNanos(Math.round(micros * 1000.0));
  }

  /** A confidence level as a percentage without useless decimals: 0.95 -> "95%", 0.999 -> "99.9%". */
  static String percent(double level) {
    return new BigDecimal(Double.toString(level * 100.0))
            .round(new java.math.MathContext(10))
            .stripTrailingZeros()
            .toPlainString()
        + "%";
  }

  /** A percentile rank as a name: 95 -> "p95", 99.9 -> "p99.9". */
  static String percentileName(double p) {
    return "p" + new BigDecimal(Double.toString(p)).stripTrailingZeros().toPlainString();
  }

  /**
   * A confidence interval in microseconds, as {@code "95% CI [50.102, 56.003] ms, Le Boudec"}; {@code method}
   * is the short name to show (the statistic is already named in the message).
   */
  static String interval(ConfidenceInterval ci, String method) {
    return percent(ci.confidence()) + " CI [" + ms(ci.lower()) + ", " + ms(ci.upper()) + "] ms, " + method;
  }

  /** A rate with three decimals and as a percentage: {@code "0.120 (12.0%)"}. */
  static String rate(double rate) {
    return String.format(Locale.ROOT, "%.3f (%.1f%%)", rate, rate * 100.0);
  }

  /** Where the measurements come from: {@code "local/sebs-110-dynamic-html-python"}. */
  static String where(Measurements m) {
    return m.platform() + "/" + m.functionName();
  }

  /**
   * The failure reasons of the first failed invocations, as {@code "first failures: [req-1] Timeout; ..."},
   * or an empty string when none failed.
   */
  static String firstFailures(Measurements m) {
    List<Invocation> failures = m.failures();
    if (failures.isEmpty()) {
      return "";
    }
    StringBuilder text = new StringBuilder(failures.size() == 1 ? "failure: " : "first failures: ");
    int quoted = Math.min(QUOTED_FAILURES, failures.size());
    for (int i = 0; i < quoted; i++) {
      Invocation failure = failures.get(i);
      if (i > 0) {
        text.append("; ");
      }
      text.append('[').append(failure.requestId()).append("] ").append(reason(failure));
    }
    if (failures.size() > quoted) {
      text.append("; ... and ").append(failures.size() - quoted).append(" more");
    }
    return text.toString();
  }

  private static String reason(Invocation failure) {
    String reason = failure.failureReason().orElse("no reason given").strip().replaceAll("\\s*\\R\\s*", " | ");
    return reason.length() <= MAX_REASON_LENGTH ? reason : reason.substring(0, MAX_REASON_LENGTH) + "...";
  }

  /** " ({@code text})" or nothing when text is empty. */
  static String suffix(String separator, String text) {
    return text.isEmpty() ? "" : separator + text;
  }

  /**
   * Gives a navigated-to assert the description ({@code as(...)}) and overriding message
   * ({@code withFailMessage(...)}) its parent was given, so {@code assertThat(m).as("checkout").clientTime()}
   * still says "[checkout]" when it fails.
   */
  static <A extends AbstractAssert<?, ?>> A inherit(A child, AbstractAssert<?, ?> parent) {
    if (parent.info.hasDescription()) {
      child.info.description(parent.info.description());
    }
    if (parent.info.overridingErrorMessage() != null) {
      child.info.overridingErrorMessage(parent.info.overridingErrorMessage());
    }
    return child;
  }
}
