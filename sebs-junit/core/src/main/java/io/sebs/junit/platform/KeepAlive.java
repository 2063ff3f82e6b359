package io.sebs.junit.platform;

import java.time.Duration;

/**
 * A platform's documented rule for evicting idle function instances, where it has one: an instance idle
 * longer than {@code keepAlive} is evicted at the next eviction check, and checks run every
 * {@code checkPeriod}. So an instance idle for {@code t} is certainly kept when {@code t < keepAlive} and
 * certainly gone when {@code t > keepAlive + checkPeriod}; in between, the answer depends on where the
 * check falls. Cloud platforms do not publish such a rule (measuring it is the point of SeBS's eviction
 * model), so only platforms that enforce it themselves return one.
 *
 * @param keepAlive idle time after which an instance becomes eligible for eviction
 * @param checkPeriod time between eviction checks (the rule's imprecision)
 */
public record KeepAlive(Duration keepAlive, Duration checkPeriod) {

  public KeepAlive {
    if (keepAlive.isNegative() || checkPeriod.isNegative()) {
      throw new IllegalArgumentException("keep-alive and check period must not be negative: " + keepAlive + ", "
          + checkPeriod);
    }
  }

  /** What the rule says about an instance idle for {@code idle}, allowing {@code margin} of timing noise. */
  public Outcome predict(Duration idle, Duration margin) {
    if (idle.plus(margin).compareTo(keepAlive) < 0) {
      return Outcome.WARM;
    }
    if (idle.minus(margin).compareTo(keepAlive.plus(checkPeriod)) > 0) {
      return Outcome.COLD;
    }
    return Outcome.UNCERTAIN;
  }

  /** The predicted state of an instance after an idle period. */
  public enum Outcome {
    /** Still alive: the next request is warm. */
    WARM,
    /** Evicted: the next request starts a new instance. */
    COLD,
    /** Within the rule's imprecision: either may happen. */
    UNCERTAIN
  }
}
