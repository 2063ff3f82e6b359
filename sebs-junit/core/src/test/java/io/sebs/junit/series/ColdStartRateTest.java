package io.sebs.junit.series;

import static io.sebs.junit.SebsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements.Kind;
import io.sebs.junit.platform.InvocationResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cold-start rate is SeBS's: cold answers over every successful answer, including the warm answers a
 * cold series set aside as misclassified, so a platform that keeps instances alive cannot pass
 * {@code coldStartRate().isEqualTo(1.0)}.
 */
class ColdStartRateTest {

  private static Invocation answer(int n, boolean cold) {
    return new InvocationResult("r" + n, 0, 1_000, 1, 2, 0, -1, -1, cold, "c" + n, null, null, null);
  }

  private static Invocation failure(int n) {
    return InvocationResult.failedBeforeAnswer("f" + n, 0, 1_000, "connection refused");
  }

  /** 36 cold answers, 1 failure and 5 warm answers set aside: 36 of 41 answers were cold. */
  private static MeasurementSeries coldSeriesWithWarmAnswers() {
    List<Invocation> measured = new ArrayList<>();
    for (int i = 0; i < 36; i++) {
      measured.add(answer(i, true));
    }
    measured.add(failure(0));
    List<Invocation> misclassified = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      misclassified.add(answer(100 + i, false));
    }
    return new MeasurementSeries(Kind.COLD, "fn", "local", measured, misclassified, "fixed");
  }

  @Test
  void countsMisclassifiedWarmAnswersAndLeavesFailuresOut() {
    // Before: 36 cold of 37 measured = 0.973, hiding that 5 answers came warm.
    org.assertj.core.api.Assertions.assertThat(coldSeriesWithWarmAnswers().coldStartRate())
        .isCloseTo(36.0 / 41, within(1e-12));
  }

  @Test
  void aColdSeriesWithWarmAnswersFailsTheUsualAssertion() {
    assertThatThrownBy(() -> assertThat(coldSeriesWithWarmAnswers()).coldStartRate().isEqualTo(1.0))
        .hasMessageContaining("but was 0.878")
        .hasMessageContaining("36 cold of 41 successful answers")
        .hasMessageContaining("5 set aside as misclassified, counted here");
  }

  @Test
  void aWarmSeriesWithAColdAnswerIsNotZero() {
    MeasurementSeries warm = new MeasurementSeries(Kind.WARM, "fn", "local",
        List.of(answer(1, false), answer(2, false), answer(3, false)), List.of(answer(4, true)), "fixed");

    org.assertj.core.api.Assertions.assertThat(warm.coldStartRate()).isEqualTo(0.25);
    assertThatThrownBy(() -> assertThat(warm).coldStartRate().isZero()).hasMessageContaining("1 cold of 4");
  }

  @Test
  void aSeriesWithoutAnswersHasRateZero() {
    MeasurementSeries none = new MeasurementSeries(Kind.COLD, "fn", "local", List.of(failure(1)), List.of(), "fixed");

    org.assertj.core.api.Assertions.assertThat(none.coldStartRate()).isZero();
  }
}
