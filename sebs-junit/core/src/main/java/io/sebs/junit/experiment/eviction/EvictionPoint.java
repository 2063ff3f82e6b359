package io.sebs.junit.experiment.eviction;

import io.sebs.junit.platform.KeepAlive;
import java.time.Duration;
import java.util.List;

/**
 * One cell of the eviction table: {@code instances} instances were started together, left idle for
 * {@code idleTime}, and invoked together again.
 *
 * @param idleTime the idle time asked for
 * @param measuredIdle from the last answer of the first round to the release of the second (always at
 *     least {@code idleTime})
 * @param firstRoundContainers the instance ids the first round reported
 * @param firstRoundCold how many first-round invocations were cold (all of them, unless an instance
 *     survived the retirement before the point)
 * @param predicted what the platform's keep-alive rule says, {@code null} where it has none
 */
public record EvictionPoint(Duration idleTime, int instances, Duration measuredIdle,
    List<String> firstRoundContainers, int firstRoundCold, List<SecondRoundInvocation> secondRound,
    KeepAlive.Outcome predicted) {

  public EvictionPoint {
    firstRoundContainers = List.copyOf(firstRoundContainers);
    secondRound = List.copyOf(secondRound);
  }

  public long coldCount() {
    return secondRound.stream().filter(i -> !i.failed() && i.cold()).count();
  }

  public long warmCount() {
    return secondRound.stream().filter(i -> !i.failed() && !i.cold()).count();
  }

  public long failedCount() {
    return secondRound.stream().filter(SecondRoundInvocation::failed).count();
  }

  /** Warm second-round invocations over the successful ones; NaN when all failed. */
  public double warmFraction() {
    long ok = coldCount() + warmCount();
    return ok == 0 ? Double.NaN : (double) warmCount() / ok;
  }

  /** The observed outcome: WARM when all were warm, COLD when all were cold, UNCERTAIN for a mix or failures. */
  public KeepAlive.Outcome observed() {
    if (failedCount() > 0 || secondRound.isEmpty()) {
      return KeepAlive.Outcome.UNCERTAIN;
    }
    return coldCount() == 0 ? KeepAlive.Outcome.WARM
        : warmCount() == 0 ? KeepAlive.Outcome.COLD : KeepAlive.Outcome.UNCERTAIN;
  }

  /** Whether the observation contradicts a definite prediction (an uncertain one is never contradicted). */
  public boolean contradictsPrediction() {
    return predicted != null && predicted != KeepAlive.Outcome.UNCERTAIN && observed() != predicted;
  }
}
