package io.sebs.junit.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.sebs.junit.TimeMetric;
import io.sebs.junit.baseline.GateVerdict.Outcome;
import java.util.EnumMap;
import java.util.Map;
import org.apache.commons.math3.distribution.LogNormalDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

/**
 * The gate's error rates, simulated (seeded, so deterministic) on skewed latency-like samples: log-normal
 * with a median of 50 ms and a long right tail (sigma 0.3), 30 invocations per run.
 */
class RegressionGateTest {

  private static final double MEDIAN_US = 50_000;

  private static Map<Outcome, Integer> simulate(double slowdown, double tolerance, int trials, long seed) {
    LogNormalDistribution latency = new LogNormalDistribution(new Well19937c(seed), Math.log(MEDIAN_US), 0.3);
    Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    for (int i = 0; i < trials; i++) {
      double[] baseline = latency.sample(30);
      double[] current = latency.sample(30);
      for (int j = 0; j < current.length; j++) {
        current[j] *= 1 + slowdown;
      }
      Outcome outcome = RegressionGate.judge(TimeMetric.CLIENT_TIME, current, baseline, tolerance, 0.95, "sim")
          .outcome();
      outcomes.merge(outcome, 1, Integer::sum);
    }
    System.out.printf("slowdown %.2f, tolerance %.2f: %s%n", slowdown, tolerance, outcomes);
    return outcomes;
  }

  @Test
  void noiseAloneAlmostNeverFailsEvenWithoutTolerance() {
    // Same distribution, tolerance 0: a failure needs the lower bound above 0, at most (1 - 0.95) / 2.
    Map<Outcome, Integer> outcomes = simulate(0.0, 0.0, 2000, 1);

    assertThat(outcomes.getOrDefault(Outcome.FAIL, 0)).isLessThanOrEqualTo((int) (2000 * (0.025 + 0.01)));
  }

  @Test
  void noiseNeverFailsAGateWithATolerance() {
    Map<Outcome, Integer> outcomes = simulate(0.0, 0.20, 2000, 2);

    assertThat(outcomes.getOrDefault(Outcome.FAIL, 0)).isZero();
    assertThat(outcomes.getOrDefault(Outcome.PASS, 0)).isGreaterThan(1000); // and mostly passes
  }

  @Test
  void aLargeRegressionIsCaughtAlmostAlways() {
    // 60 % slower against a 10 % tolerance.
    Map<Outcome, Integer> outcomes = simulate(0.60, 0.10, 500, 3);

    assertThat(outcomes.getOrDefault(Outcome.FAIL, 0)).isGreaterThan(475);
    assertThat(outcomes.getOrDefault(Outcome.PASS, 0)).isZero();
  }

  @Test
  void aSlowdownAtTheToleranceIsMostlyInconclusiveNeverPassedOften() {
    // Exactly at the tolerance: the interval should straddle it; a pass or a fail needs a bound beyond it,
    // each with probability about 2.5 %.
    Map<Outcome, Integer> outcomes = simulate(0.10, 0.10, 1000, 4);

    assertThat(outcomes.getOrDefault(Outcome.INCONCLUSIVE, 0)).isGreaterThan(900);
    assertThat(outcomes.getOrDefault(Outcome.PASS, 0)).isLessThan(50);
    assertThat(outcomes.getOrDefault(Outcome.FAIL, 0)).isLessThan(50);
  }
}
