package io.sebs.junit.assertions;

import static java.time.Duration.ofMillis;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.SebsAssertions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * {@code medianIsWithinBudget} decides on the median's confidence interval: under budget passes, over
 * budget fails, and a budget inside the interval is inconclusive (the test is aborted, not passed).
 * The sample: 50 client times of 31..80 ms, whose median is 55.5 ms with the 95% interval [48, 63] ms.
 */
class MedianBudgetGateTest {

  private static Measurements fiftyFrom31To80Ms() {
    List<Invocation> invocations = new ArrayList<>();
    for (int ms = 31; ms <= 80; ms++) {
      invocations.add(SebsAssertionsTest.FakeInvocation.ok("req-" + ms, ofMillis(ms)));
    }
    return SebsAssertionsTest.FakeMeasurements.warm(invocations);
  }

  @Test
  void aBudgetAboveTheWholeIntervalPasses() {
    assertThatCode(() -> SebsAssertions.assertThat(fiftyFrom31To80Ms()).clientTime().medianIsWithinBudget(ofMillis(70)))
        .doesNotThrowAnyException();
  }

  @Test
  void aBudgetBelowTheWholeIntervalFails() {
    assertThatThrownBy(() -> SebsAssertions.assertThat(fiftyFrom31To80Ms()).clientTime().medianIsWithinBudget(ofMillis(45)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected client time median < 45.000 ms with 95% confidence but the whole interval "
            + "is at or above it (median 55.500 ms, 95% CI [48.000, 63.000] ms, Le Boudec; n=50");
  }

  @Test
  void aBudgetInsideTheIntervalIsInconclusive() {
    assertThatThrownBy(() -> SebsAssertions.assertThat(fiftyFrom31To80Ms()).clientTime().medianIsWithinBudget(ofMillis(60)))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageStartingWith("Inconclusive: client time median budget 60.000 ms lies inside the 95% confidence "
            + "interval (median 55.500 ms, 95% CI [48.000, 63.000] ms")
        .hasMessageEndingWith("measure more repetitions (or see @AdaptiveRepetitions) to decide");
  }

  @Test
  void tooFewSamplesFailWithHowManyAreNeeded() {
    Measurements three = SebsAssertionsTest.FakeMeasurements.warm(List.of(
        SebsAssertionsTest.FakeInvocation.ok("a", ofMillis(1)), SebsAssertionsTest.FakeInvocation.ok("b", ofMillis(2)),
        SebsAssertionsTest.FakeInvocation.ok("c", ofMillis(3))));

    assertThatThrownBy(() -> SebsAssertions.assertThat(three).clientTime().medianIsWithinBudget(ofMillis(10)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("it needs at least 6 samples");
  }
}
