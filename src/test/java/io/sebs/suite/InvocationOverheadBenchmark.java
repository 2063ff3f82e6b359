package io.sebs.suite;

import static org.assertj.core.api.Assertions.assertThat;

import io.sebs.junit.experiment.overhead.InvocationOverhead;
import io.sebs.junit.experiment.overhead.InvocationOverheadResult;
import io.sebs.junit.stats.SampleStatistics;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * SeBS's invocation overhead over payload sizes from 1 kB to 6 MB, with the function's clock corrected by
 * 030.clock-synchronization's exchanges. On the local platform the true offset is
 * {@code sebs.local.clockOffsetMs} (0 unless set, e.g. {@code -Dsebs.local.clockOffsetMs=250}). Every
 * estimate must hold the truth within its own stated uncertainty (half the least round trip, plus the
 * clocks' microsecond resolution): that bound holds however loaded the machine is. The typical (median)
 * estimate must also be within 1 ms; a single one may not be when a busy machine delays every exchange.
 */
abstract class InvocationOverheadBenchmark {

  /** Both ends read their clocks in whole microseconds: one unit each way. */
  private static final double CLOCK_RESOLUTION_MICROS = 2;

  @Test
  void payloadSizeOverheadCurve(InvocationOverhead experiment) {
    InvocationOverheadResult result = experiment
        .payloadSizes(1_024, 65_536, 1_048_576, 6_000_000)
        .invocationsPerSize(3)
        .exchanges(10)
        .run();

    assertThat(result.failures()).isEmpty();
    assertThat(result.curve()).hasSize(4);
    assertThat(Arrays.stream(result.medianInvocationMicros()).boxed()).allSatisfy(m -> assertThat(m).isFinite().isPositive());
    System.out.printf("%s invocation overhead (us, median by payload size %s): %s%n", result.language(),
        Arrays.toString(result.payloadSizes()), Arrays.toString(result.medianInvocationMicros()));
    if (result.injectedFunctionAheadMicros().isPresent()) {
      SampleStatistics errors = result.absoluteOffsetErrorMicros();
      System.out.printf("%s offset error against the injected %.1f us: median %.1f us, max %.1f us%n",
          result.language(), result.injectedFunctionAheadMicros().getAsDouble(), errors.median(), errors.max());
      assertThat(result.samples()).allSatisfy(s -> assertThat(Math.abs(s.offsetErrorMicros()))
          .as("offset error of %s (payload %d B), us", s.requestId(), s.payloadSize())
          .isLessThanOrEqualTo(s.offset().uncertaintyMicros() + CLOCK_RESOLUTION_MICROS));
      assertThat(errors.median()).as("median offset error, us").isLessThan(1000);
    }
  }
}
