package io.sebs.junit.assertions;

import static io.sebs.junit.SebsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements.Kind;
import io.sebs.junit.cost.CostModel;
import io.sebs.junit.series.MeasurementSeries;
import io.sebs.junit.platform.InvocationResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cost budgets: {@code assertThat(m).cost().perMillionInvocations().isLessThan(usd)}, with value and n on failure. */
class CostBudgetTest {

  /**
   * Ten invocations of 12.3 ms at 128 MB under AWS x86_64 prices: each billed 13 ms,
   * 0.125 GB * 0.013 s * 0.0000166667 + 0.0000002 = 0.00000022708338750 USD, so 0.2270833875 USD per 1M.
   */
  private static MeasurementSeries tenPricedInvocations() {
    List<Invocation> invocations = new ArrayList<>();
    long begin = 1_700_000_000_000_000L;
    for (int i = 0; i < 10; i++) {
      invocations.add(new InvocationResult("r" + i, begin, 13_000, begin, begin + 12_300, 0, -1, -1, false, "c",
          null, null, null));
    }
    return new MeasurementSeries(Kind.WARM, "fn-128", "local", invocations, List.of(), "fixed")
        .priced(CostModel.of("aws", "x86_64").forMemory(128));
  }

  @Test
  void aBudgetAboveTheCostPasses() {
    assertThat(tenPricedInvocations()).cost().perMillionInvocations().isLessThan(0.25)
        .and().cost().perInvocation().isLessThanOrEqualTo(2.2708338750e-7)
        .and().cost().total().isGreaterThan(2.27e-6);
  }

  @Test
  void aBudgetBelowTheCostFailsWithValueCountAndPriceBasis() {
    assertThatThrownBy(() -> assertThat(tenPricedInvocations()).cost().perMillionInvocations().isLessThan(0.20))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected cost per 1M invocations < $0.200000 but was $0.227083")
        .hasMessageContaining("n = 10 successful invocations on local/fn-128")
        .hasMessageContaining("aws/x86_64 prices of")
        .hasMessageContaining("estimated from benchmark time for 10 of 10");
  }

  @Test
  void unpricedMeasurementsSayWhyThereIsNoCost() {
    MeasurementSeries unpriced = new MeasurementSeries(Kind.WARM, "fn", "local", List.of(), List.of(), "fixed");
    assertThatThrownBy(() -> assertThat(unpriced).cost().perInvocation().isLessThan(1))
        .hasMessageContaining("not priced");
  }

  @Test
  void aNegativeBudgetIsAMistakeNotAFailure() {
    assertThatThrownBy(() -> assertThat(tenPricedInvocations()).cost().total().isLessThan(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("USD >= 0");
  }
}
