package io.sebs.junit.stats;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * A closed interval {@code [lower, upper]} that, by the named {@code method}, contains the true
 * statistic (mean, median, ...) with probability at least {@code confidence}. Reports and budget
 * assertions rely on it to say how far a measured value can be trusted: a budget is only met
 * convincingly when the whole interval is within it, and {@link #relativeHalfWidth(double)} tells
 * whether enough samples were taken.
 *
 * @param lower the lower bound, in the sample's unit
 * @param upper the upper bound, never below {@code lower}
 * @param confidence the confidence level in (0, 1), e.g. 0.95
 * @param method a short name of how the interval was computed, e.g. "Student-t"
 */
public record ConfidenceInterval(double lower, double upper, double confidence, String method) {

  /** Checks the bounds are ordered numbers, the confidence is in (0, 1) and a method is named. */
  public ConfidenceInterval {
    if (Double.isNaN(lower) || Double.isNaN(upper) || lower > upper) {
      throw new IllegalArgumentException(
          "interval bounds must satisfy lower <= upper, but were [" + lower + ", " + upper + "]");
    }
    Arguments.requireConfidence(confidence);
    Objects.requireNonNull(method, "method");
  }

  /** {@code upper - lower}. */
  public double width() {
    return upper - lower;
  }

  /** Whether {@code value} lies in the closed interval. */
  public boolean contains(double value) {
    return lower <= value && value <= upper;
  }

  /**
   * Half the width relative to {@code |reference|} (usually the point estimate), e.g. 0.05 for
   * "within ±5 %": the usual stopping rule for "have we measured enough?". Infinite when the
   * reference is 0 and the width is not.
   */
  public double relativeHalfWidth(double reference) {
    return width() / 2.0 / Math.abs(reference);
  }

  /**
   * E.g. {@code "[12.1, 15.3] (95% Student-t)"}: bounds rounded to about three significant digits
   * of the width, so narrow intervals around large values stay distinguishable.
   */
  @Override
  public String toString() {
    int decimals = decimalsFor(width());
    return "["
        + format(lower, decimals)
        + ", "
        + format(upper, decimals)
        + "] ("
        + plain(new BigDecimal(confidence * 100.0).round(new MathContext(6)))
        + "% "
        + method
        + ")";
  }

  private static int decimalsFor(double width) {
    if (!(width > 0.0) || !Double.isFinite(width)) {
      return -1; // no width to go by: use significant digits instead
    }
    return Math.max(0, 2 - (int) Math.floor(Math.log10(width)));
  }

  private static String format(double value, int decimals) {
    if (!Double.isFinite(value)) {
      return Double.toString(value);
    }
    BigDecimal exact = new BigDecimal(value);
    BigDecimal rounded =
        decimals < 0
            ? exact.round(new MathContext(6))
            : exact.setScale(decimals, RoundingMode.HALF_EVEN);
    return plain(rounded);
  }

  private static String plain(BigDecimal value) {
    if (value.signum() == 0) {
      return "0";
    }
    return value.stripTrailingZeros().toPlainString();
  }
}
