package io.sebs.junit.experiment.eviction;

/**
 * The eviction curve a chart draws: x = idle time in seconds (ascending), y = fraction of second-round
 * invocations that found a warm instance (0..1; NaN where every invocation failed). On a platform with a
 * keep-alive rule the curve steps from 1 to 0 around the keep-alive.
 *
 * @param label what the curve is of, e.g. "all instance counts" or "3 instances"
 */
public record WarmCurve(String label, double[] idleSeconds, double[] warmFraction) {

  public WarmCurve {
    if (idleSeconds.length != warmFraction.length) {
      throw new IllegalArgumentException("x and y differ in length: " + idleSeconds.length + " vs "
          + warmFraction.length);
    }
    idleSeconds = idleSeconds.clone();
    warmFraction = warmFraction.clone();
  }

  @Override
  public double[] idleSeconds() {
    return idleSeconds.clone();
  }

  @Override
  public double[] warmFraction() {
    return warmFraction.clone();
  }
}
