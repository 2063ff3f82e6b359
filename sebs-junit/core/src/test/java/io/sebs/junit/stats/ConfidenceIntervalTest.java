package io.sebs.junit.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ConfidenceIntervalTest {

  @Test
  void widthIsUpperMinusLower() {
    assertThat(new ConfidenceInterval(12.0, 15.5, 0.95, "Student-t").width()).isEqualTo(3.5);
  }

  @Test
  void containsIsClosedAtBothEnds() {
    ConfidenceInterval interval = new ConfidenceInterval(10.0, 20.0, 0.95, "Student-t");

    assertThat(interval.contains(10.0)).isTrue();
    assertThat(interval.contains(15.0)).isTrue();
    assertThat(interval.contains(20.0)).isTrue();
    assertThat(interval.contains(9.999)).isFalse();
    assertThat(interval.contains(20.001)).isFalse();
  }

  @Test
  void relativeHalfWidthIsHalfTheWidthOverTheAbsoluteReference() {
    ConfidenceInterval interval = new ConfidenceInterval(95.0, 105.0, 0.95, "Student-t");

    assertThat(interval.relativeHalfWidth(100.0)).isCloseTo(0.05, within(1e-15));
    assertThat(interval.relativeHalfWidth(-100.0)).isCloseTo(0.05, within(1e-15));
    assertThat(interval.relativeHalfWidth(0.0)).isInfinite();
  }

  @Test
  void toStringShowsBoundsConfidenceAndMethod() {
    assertThat(new ConfidenceInterval(12.1, 15.3, 0.95, "Student-t"))
        .hasToString("[12.1, 15.3] (95% Student-t)");
  }

  @Test
  void toStringKeepsNarrowIntervalsAroundLargeValuesDistinguishable() {
    assertThat(new ConfidenceInterval(1000.1, 1000.3, 0.999, "Le Boudec median"))
        .hasToString("[1000.1, 1000.3] (99.9% Le Boudec median)");
    assertThat(new ConfidenceInterval(123456.7, 234567.8, 0.9, "Student-t"))
        .hasToString("[123457, 234568] (90% Student-t)");
  }

  @Test
  void toStringOfADegenerateIntervalShowsTheValue() {
    assertThat(new ConfidenceInterval(5.0, 5.0, 0.95, "Student-t"))
        .hasToString("[5, 5] (95% Student-t)");
  }

  @Test
  void boundsMustBeOrdered() {
    assertThatThrownBy(() -> new ConfidenceInterval(2.0, 1.0, 0.95, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("interval bounds must satisfy lower <= upper, but were [2.0, 1.0]");
    assertThatThrownBy(() -> new ConfidenceInterval(Double.NaN, 1.0, 0.95, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[NaN, 1.0]");
  }

  @Test
  void confidenceMustBeAProbabilityStrictlyBetweenZeroAndOne() {
    assertThatThrownBy(() -> new ConfidenceInterval(1.0, 2.0, 95, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("confidence must be in (0, 1), e.g. 0.95, but was 95.0");
  }
}
