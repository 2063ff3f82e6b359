package io.sebs.junit.experiment.clock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * Estimates a function's clock offset from NTP-style exchanges, as NTP's clock filter does: queueing and
 * scheduling only ever add delay, and asymmetrically, so the exchange with the least round-trip delay has
 * the least room for error, and its offset is the estimate, within half its delay. SeBS averages the
 * offsets of all exchanges instead, which lets one slow direction bias the result; that mean is kept
 * beside the estimate for comparison.
 *
 * <p>Clock skew: when the low-delay exchanges (the fastest {@code lowDelayFraction} of them) span at least
 * {@code minimumSkewSpan} on the function's clock and number at least {@value #MINIMUM_SKEW_POINTS}, a
 * least-squares line (Commons Math {@link SimpleRegression}) through their offsets against time gives the
 * drift in ppm. Over shorter runs the drift of real clocks (tens of ppm) is far below the offset noise and
 * is not estimated.
 */
public final class ClockOffsetEstimator {

  /** Default share of exchanges, by least delay, used for the skew fit. */
  public static final double DEFAULT_LOW_DELAY_FRACTION = 0.25;
  /** Default time span the low-delay exchanges must cover before a skew is fitted. */
  public static final Duration DEFAULT_MINIMUM_SKEW_SPAN = Duration.ofSeconds(10);
  /** The fewest low-delay exchanges a skew is fitted to. */
  public static final int MINIMUM_SKEW_POINTS = 5;

  private final double lowDelayFraction;
  private final long minimumSkewSpanMicros;

  /** An estimator with the default low-delay fraction (0.25) and skew span (10 s). */
  public ClockOffsetEstimator() {
    this(DEFAULT_LOW_DELAY_FRACTION, DEFAULT_MINIMUM_SKEW_SPAN);
  }

  /**
   * @param lowDelayFraction the share of exchanges, by least delay, used for the skew fit, in (0, 1]
   * @param minimumSkewSpan how long those exchanges must span before a skew is fitted
   */
  public ClockOffsetEstimator(double lowDelayFraction, Duration minimumSkewSpan) {
    if (!(lowDelayFraction > 0 && lowDelayFraction <= 1)) {
      throw new IllegalArgumentException("lowDelayFraction must be in (0, 1], was " + lowDelayFraction);
    }
    if (minimumSkewSpan.isNegative()) {
      throw new IllegalArgumentException("minimumSkewSpan must not be negative, was " + minimumSkewSpan);
    }
    this.lowDelayFraction = lowDelayFraction;
    this.minimumSkewSpanMicros = minimumSkewSpan.toNanos() / 1000;
  }

  /**
   * The estimate from a series of exchanges.
   *
   * @throws IllegalArgumentException when there are no exchanges
   */
  public ClockOffsetEstimate estimate(List<ClockExchange> exchanges) {
    if (exchanges.isEmpty()) {
      throw new IllegalArgumentException("No clock exchanges to estimate an offset from: the function reported none "
          + "(were all datagrams lost, or was 'repetitions' 0?)");
    }
    ClockExchange best = exchanges.get(0);
    double thetaSum = 0;
    for (ClockExchange e : exchanges) {
      thetaSum += e.theta();
      if (e.delay() < best.delay()) {
        best = e;
      }
    }
    return new ClockOffsetEstimate(best.theta(), best.delay() / 2.0, best.delay(), thetaSum / exchanges.size(),
        skewPpm(exchanges), best.functionMidpoint(), exchanges.size());
  }

  private OptionalDouble skewPpm(List<ClockExchange> exchanges) {
    List<ClockExchange> byDelay = new ArrayList<>(exchanges);
    byDelay.sort(Comparator.comparingLong(ClockExchange::delay));
    int count = (int) Math.ceil(lowDelayFraction * byDelay.size());
    if (count < MINIMUM_SKEW_POINTS) {
      return OptionalDouble.empty();
    }
    List<ClockExchange> fastest = byDelay.subList(0, count);
    double first = fastest.stream().mapToDouble(ClockExchange::functionMidpoint).min().orElseThrow();
    double last = fastest.stream().mapToDouble(ClockExchange::functionMidpoint).max().orElseThrow();
    if (last - first < minimumSkewSpanMicros || last == first) {
      return OptionalDouble.empty();
    }
    SimpleRegression regression = new SimpleRegression();
    for (ClockExchange e : fastest) {
      regression.addData(e.functionMidpoint() - first, e.theta());
    }
    return OptionalDouble.of(regression.getSlope() * 1e6);
  }
}
