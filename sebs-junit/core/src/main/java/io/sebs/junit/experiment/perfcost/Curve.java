package io.sebs.junit.experiment.perfcost;

import java.util.Arrays;

/**
 * A series a chart draws: x against y, with optional lower and upper bounds per point (a confidence
 * interval; NaN where there is none). For perf-cost, x is the memory size in MB.
 *
 * @param name e.g. {@code "warm: median client time"}
 * @param xLabel e.g. {@code "memory [MB]"}
 * @param yLabel e.g. {@code "median client time [ms]"}
 */
public record Curve(String name, String xLabel, String yLabel, double[] x, double[] y, double[] lower,
    double[] upper) {

  public Curve {
    if (x.length != y.length || lower.length != x.length || upper.length != x.length) {
      throw new IllegalArgumentException("a curve needs as many x as y, lower and upper values");
    }
    x = x.clone();
    y = y.clone();
    lower = lower.clone();
    upper = upper.clone();
  }

  @Override
  public double[] x() {
    return x.clone();
  }

  @Override
  public double[] y() {
    return y.clone();
  }

  @Override
  public double[] lower() {
    return lower.clone();
  }

  @Override
  public double[] upper() {
    return upper.clone();
  }

  @Override
  public String toString() {
    return name + ": x=" + Arrays.toString(x) + " y=" + Arrays.toString(y);
  }
}
