package io.sebs.junit.assertions;

import static java.time.Duration.ofMillis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.Baseline;
import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.SebsAssertions;
import io.sebs.junit.TimeMetric;
import io.sebs.junit.baseline.BaselineRecord;
import io.sebs.junit.baseline.ComparisonFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * {@code isNotSlowerThanBaseline} fails on a slowdown shown to exceed the tolerance, passes on one shown to
 * be within it, and aborts as inconclusive in between or without a baseline. The baseline: 30 client times
 * of 50, 51, ..., 79 ms (median 64.5 ms, so a 10 % tolerance is 6.45 ms).
 */
class BaselineGateTest {

  @TempDir
  Path results;

  private static final Path SOURCE = Path.of("baseline-run", "EchoTest.warm.json");

  private static Baseline baseline() {
    double[] micros = new double[30];
    for (int i = 0; i < 30; i++) {
      micros[i] = (50 + i) * 1000.0;
    }
    return Baseline.of(new BaselineRecord("EchoTest.warm", "id", "local", "901.echo", "python", "test", 128, SOURCE,
        Map.of(TimeMetric.CLIENT_TIME, micros)));
  }

  /** The baseline's 30 times shifted by {@code shiftMs}. */
  private static Measurements shiftedBy(int shiftMs) {
    List<Invocation> invocations = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      invocations.add(SebsAssertionsTest.FakeInvocation.ok("req-" + i, ofMillis(50 + i + shiftMs)));
    }
    return SebsAssertionsTest.FakeMeasurements.warm(invocations);
  }

  @Test
  void anUnchangedFunctionPasses() {
    // Shift 0, 95% CI [-5, 5] ms: under 6.45 ms.
    assertThatCode(() -> SebsAssertions.assertThat(shiftedBy(0)).clientTime().isNotSlowerThanBaseline(baseline(), 0.10))
        .doesNotThrowAnyException();
  }

  @Test
  void aFasterFunctionPasses() {
    assertThatCode(() -> SebsAssertions.assertThat(shiftedBy(-20)).clientTime().isNotSlowerThanBaseline(baseline(), 0))
        .doesNotThrowAnyException();
  }

  @Test
  void aSlowdownBeyondTheToleranceFailsWithTheChangeItsIntervalAndTheTest() {
    // +20 ms: the shift's 95% CI is [15, 25] ms (ranks 318 and 583 of the 900 differences), all above 6.45 ms.
    // The samples share 70..79 ms, so the test uses the tie-corrected normal approximation; scipy agrees:
    // s.mannwhitneyu([70 + i for i in range(30)], [50 + i for i in range(30)], alternative='greater',
    // method='asymptotic').pvalue = 1.739869936231424e-09
    assertThatThrownBy(() -> SebsAssertions.assertThat(shiftedBy(20)).clientTime()
            .isNotSlowerThanBaseline(baseline(), 0.10))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("Expected client time not slower than the baseline by more than 10% with 95% "
            + "confidence but it got slower beyond the tolerance: the change is +20.000 ms (+31.0%), 95% CI "
            + "[+15.000, +25.000] ms (+23.3% to +38.8%, Hodges-Lehmann/Moses), against a tolerance of +6.450 ms; "
            + "one-sided Mann-Whitney p = 1.74e-09 (normal approximation); current median 84.500 ms, n=30 "
            + "successful of 30 invocations on ")
        .hasMessageEndingWith("baseline median 64.500 ms, n=30 from " + SOURCE);
  }

  @Test
  void aSlowdownStraddlingTheToleranceIsInconclusive() {
    // +6 ms: CI [1, 11] ms contains 6.45 ms.
    assertThatThrownBy(() -> SebsAssertions.assertThat(shiftedBy(6)).clientTime()
            .isNotSlowerThanBaseline(baseline(), 0.10))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageStartingWith("Inconclusive: client time against the baseline with a tolerance of 10%: the "
            + "tolerance lies inside the interval of the shift (the change is +6.000 ms (+9.3%), 95% CI [+1.000, "
            + "+11.000] ms")
        .hasMessageEndingWith("; measure more repetitions, here and in the baseline, to decide");
  }

  @Test
  void aHigherConfidenceWidensTheIntervalAndCanTurnAFailIntoInconclusive() {
    // +10 ms at 95%: [5, 15] straddles 6.45 -> inconclusive already; at 80% the CI [7, 13] fails.
    assertThatThrownBy(() -> SebsAssertions.assertThat(shiftedBy(10)).withConfidence(0.8).clientTime()
            .isNotSlowerThanBaseline(baseline(), 0.10))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("with 80% confidence");
    assertThatThrownBy(() -> SebsAssertions.assertThat(shiftedBy(10)).clientTime()
            .isNotSlowerThanBaseline(baseline(), 0.10))
        .isInstanceOf(TestAbortedException.class);
  }

  @Test
  void withoutWithConfidenceTheGateUsesTheRunsConfidenceCarriedByTheBaseline() {
    // The extension builds the Baseline with sebs.confidence; here 0.8, under which +10 ms fails.
    Baseline atEighty = Baseline.of(baseline().record().orElseThrow(), 0.8, io.sebs.junit.baseline.ComparisonLog.NONE);

    assertThatThrownBy(() -> SebsAssertions.assertThat(shiftedBy(10)).clientTime().isNotSlowerThanBaseline(atEighty, 0.10))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("with 80% confidence")
        .hasMessageContaining("80% CI [+7.000, +13.000] ms");
    assertThatThrownBy(() -> SebsAssertions.assertThat(shiftedBy(10)).withConfidence(0.95).clientTime()
            .isNotSlowerThanBaseline(atEighty, 0.10))
        .isInstanceOf(TestAbortedException.class); // an explicit withConfidence wins
  }

  @Test
  void withoutABaselineTheTestIsAbortedSayingHowToProvideOne() {
    Baseline none = Baseline.unavailable("no baseline is configured; set sebs.baseline to ...");

    assertThatThrownBy(() -> SebsAssertions.assertThat(shiftedBy(0)).clientTime().isNotSlowerThanBaseline(none, 0.1))
        .isInstanceOf(TestAbortedException.class)
        .hasMessage("No baseline to compare client time with: no baseline is configured; set sebs.baseline to ...");
  }

  @Test
  void aBaselineWithoutTheMetricIsAbortedToo() {
    assertThatThrownBy(() -> SebsAssertions.assertThat(shiftedBy(0)).initTime().isNotSlowerThanBaseline(baseline(), 0.1))
        .isInstanceOf(AssertionError.class) // this run has no init times: an empty sample fails first
        .hasMessageContaining("none of the 30 successful invocations");
    assertThatThrownBy(() -> SebsAssertions.assertThat(shiftedBy(0)).benchmarkTime()
            .isNotSlowerThanBaseline(baseline(), 0.1))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("has no successful invocation reporting benchmark time; record the baseline again");
  }

  @Test
  void tooFewSamplesFailSayingHowManyAreNeeded() {
    Measurements two = SebsAssertionsTest.FakeMeasurements.warm(List.of(
        SebsAssertionsTest.FakeInvocation.ok("a", ofMillis(60)), SebsAssertionsTest.FakeInvocation.ok("b", ofMillis(61))));
    Baseline three = Baseline.of(new BaselineRecord("T.m", "", "local", "", "", "", 0, SOURCE,
        Map.of(TimeMetric.CLIENT_TIME, new double[] {60_000, 61_000, 62_000})));

    // 2 against 3: the widest interval misses with 2/C(5,2) = 0.2; 4 against 3 gives 2/35 = 0.057, 5 gives 2/56.
    assertThatThrownBy(() -> SebsAssertions.assertThat(two).clientTime().isNotSlowerThanBaseline(three, 0.1))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the samples are too small for a 95% confidence interval of the shift: it needs at "
            + "least 5 current samples against the 3 of the baseline");
  }

  @Test
  void aNegativeToleranceIsRejected() {
    assertThatThrownBy(() -> SebsAssertions.assertThat(shiftedBy(0)).clientTime().isNotSlowerThanBaseline(baseline(), -0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tolerance must be a fraction >= 0 of the baseline median, e.g. 0.10 for 10% slower, but was -0.1");
  }

  @Test
  void everyVerdictIsWrittenNextToTheTestsResults() throws Exception {
    ComparisonFile file = new ComparisonFile(results, "EchoTest.warm", SOURCE.toString());
    Baseline baseline = Baseline.of(baseline().record().orElseThrow(), 0.95, file);

    assertThatThrownBy(() -> SebsAssertions.assertThat(shiftedBy(20)).clientTime().isNotSlowerThanBaseline(baseline, 0.1))
        .isInstanceOf(AssertionError.class);
    JsonNode json = new ObjectMapper().readTree(Files.readString(results.resolve("EchoTest.warm.baseline.json")));

    assertThat(file.file()).isEqualTo(results.resolve("EchoTest.warm.baseline.json"));
    assertThat(json.path("name").asText()).isEqualTo("EchoTest.warm");
    JsonNode comparison = json.path("comparisons").get(0);
    assertThat(comparison.path("metric").asText()).isEqualTo("client_time");
    assertThat(comparison.path("verdict").asText()).isEqualTo("fail");
    assertThat(comparison.path("shift").asDouble()).isEqualTo(20_000.0);
    assertThat(comparison.path("shift_ci").get(0).asDouble()).isEqualTo(15_000.0);
    assertThat(comparison.path("shift_ci").get(1).asDouble()).isEqualTo(25_000.0);
    assertThat(comparison.path("threshold").asDouble()).isEqualTo(6_450.0);
    assertThat(comparison.path("n_current").asInt()).isEqualTo(30);
    assertThat(comparison.path("n_baseline").asInt()).isEqualTo(30);
    assertThat(comparison.path("p_method").asText()).isEqualTo("normal approximation");
    assertThat(comparison.path("ties").asBoolean()).isTrue();
    assertThat(comparison.path("p_value").asDouble()).isCloseTo(1.739869936231424e-09, within(1e-15));
  }
}
