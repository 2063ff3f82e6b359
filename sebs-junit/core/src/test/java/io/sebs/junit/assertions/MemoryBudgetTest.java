package io.sebs.junit.assertions;

import static io.sebs.junit.SebsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.series.MeasurementSeries;
import io.sebs.junit.platform.InvocationResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Memory budgets, by example: ten warm invocations whose instance peaks are 60, 61, ..., 69 MB, so the
 * median is 64.5 MB and the max 69 MB.
 */
class MemoryBudgetTest {

  private static Measurements measured(boolean withMemory) {
    List<Invocation> invocations = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      InvocationResult r = new InvocationResult("r" + i, 0, 2_000, 1, 1_001, 0, -1, -1, false, "c", null, null, null);
      invocations.add(withMemory ? r.withMemoryUsedMb(60 + i) : r);
    }
    return new MeasurementSeries(Measurements.Kind.WARM, "sebs-901-echo-python-128", "local", invocations,
        List.of(), "fixed");
  }

  @Test
  void budgetsOnTheMedianAndTheMaxInMegabytes() {
    assertThat(measured(true)).memoryUsed().median().isLessThan(65).isGreaterThan(64)
        .and().memoryUsed().max().isLessThan(70).and().memoryUsed().percentile(50).isLessThan(65);
  }

  @Test
  void aBreachQuotesTheFigureAndTheSample() {
    assertThatThrownBy(() -> assertThat(measured(true)).memoryUsed().max().isLessThan(64))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected max memory used < 64.0 MB but was 69.0 MB")
        .hasMessageContaining("n = 10 invocations on local/sebs-901-echo-python-128")
        .hasMessageContaining("median 64.5 MB");
  }

  @Test
  void aPlatformThatMeasuredNoMemorySaysSo() {
    assertThatThrownBy(() -> assertThat(measured(false)).memoryUsed().median().isLessThan(100))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected memory used but none of the 10 successful invocations");
  }
}
