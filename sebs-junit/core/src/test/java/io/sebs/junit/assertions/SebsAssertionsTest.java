package io.sebs.junit.assertions;

import static io.sebs.junit.SebsAssertions.assertThat;
import static java.time.Duration.ofMillis;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.TimeMetric;
import io.sebs.junit.stats.SampleStatistics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The performance budgets, by example. Most examples use 50 warm invocations on
 * {@code local/sebs-110-dynamic-html-python} whose client times are 31, 32, ..., 80 ms (in random order),
 * so every number in a message can be checked by hand:
 *
 * <ul>
 *   <li>median = mean = 55.5 ms, min 31 ms, max 80 ms, p95 = 77.55 ms (numpy's default interpolation);
 *   <li>95% Le Boudec interval of the median = [x(18), x(33)] = [48, 63] ms (99%: [x(16), x(35)] = [46, 65]);
 *   <li>95% Student-t interval of the mean = 55.5 ± 2.0096 · 14.577 / √50 = [51.357, 59.643] ms;
 *   <li>coefficient of variation = 14.577 / 55.5 = 0.263.
 * </ul>
 */
class SebsAssertionsTest {

  private static final String FUNCTION = "sebs-110-dynamic-html-python";
  private static final String ON = "on local/" + FUNCTION;

  /** 50 successful warm invocations with client times 31..80 ms, shuffled; benchmark time = client - 1 ms. */
  private static Measurements fiftyFrom31To80Ms() {
    List<Invocation> invocations = new ArrayList<>();
    for (int ms = 31; ms <= 80; ms++) {
      invocations.add(FakeInvocation.ok("req-" + ms, ofMillis(ms)).withBenchmarkTime(ofMillis(ms - 1)));
    }
    Collections.shuffle(invocations, new Random(42));
    return FakeMeasurements.warm(invocations);
  }

  @Nested
  @DisplayName("budgets that hold pass silently and chain")
  class PassingBudgets {

    @Test
    void pointEstimatesAndBoundsUnderBudget() {
      assertThat(fiftyFrom31To80Ms())
          .hasNoFailures()
          .hasAtLeast(50)
          .clientTime()
          .median().isLessThan(ofMillis(56))
          .and().medianUpperBound().isLessThanOrEqualTo(ofMillis(63))
          .and().medianLowerBound().isGreaterThan(ofMillis(47))
          .and().mean().isBetween(ofMillis(55), ofMillis(56))
          .and().meanUpperBound().isLessThan(ofMillis(60))
          .and().percentile(95).isLessThan(ofMillis(78))
          .and().max().isLessThanOrEqualTo(ofMillis(80))
          .and().min().isGreaterThanOrEqualTo(ofMillis(31))
          .and().hasCoefficientOfVariationBelow(0.3)
          .and().benchmarkTime().median().isLessThan(ofMillis(55));
    }

    @Test
    void theEstimateIsADurationForAnyOtherAssertJCheck() {
      org.assertj.core.api.Assertions.assertThat(
              assertThat(fiftyFrom31To80Ms()).clientTime().median().actual())
          .isEqualTo(Duration.ofMillis(55).plusNanos(500_000));
    }

    @Test
    void statisticsIgnoreFailedInvocations() {
      List<Invocation> invocations = new ArrayList<>(fiftyFrom31To80Ms().invocations());
      invocations.add(FakeInvocation.failed("req-timeout", "Timeout after 30 s"));

      assertThat(FakeMeasurements.warm(invocations))
          .hasAtLeast(50)
          .failureRate().isLessThan(0.02)
          .and().clientTime().max().isLessThanOrEqualTo(ofMillis(80));
    }
  }

  @Nested
  @DisplayName("a failing budget names metric, statistic, value, interval, n and budget")
  class FailingBudgets {

    @Test
    void medianOverBudgetQuotesLeBoudecInterval() {
      assertThatThrownBy(() -> assertThat(fiftyFrom31To80Ms()).clientTime().median().isLessThan(ofMillis(50)))
          .isInstanceOf(AssertionError.class)
          .hasMessage(
              "Expected client time median < 50.000 ms but was 55.500 ms "
                  + "(95% CI [48.000, 63.000] ms, Le Boudec; n=50 successful of 50 invocations " + ON + ")");
    }

    @Test
    void meanOverBudgetQuotesStudentTInterval() {
      assertThatThrownBy(() -> assertThat(fiftyFrom31To80Ms()).clientTime().mean().isLessThanOrEqualTo(ofMillis(50)))
          .hasMessage(
              "Expected client time mean <= 50.000 ms but was 55.500 ms "
                  + "(95% CI [51.357, 59.643] ms, Student-t; n=50 successful of 50 invocations " + ON + ")");
    }

    @Test
    void aMedianUnderBudgetByChanceDoesNotPassAGateOnItsUpperBound() {
      Measurements m = fiftyFrom31To80Ms();

      assertThat(m).clientTime().median().isLessThan(ofMillis(60)); // passes: 55.5 < 60 ...
      assertThatThrownBy(() -> assertThat(m).clientTime().medianUpperBound().isLessThan(ofMillis(60)))
          .hasMessage( // ... but the data do not show the true median is under 60 ms
              "Expected client time median 95% upper bound < 60.000 ms but was 63.000 ms "
                  + "(median 55.500 ms, 95% CI [48.000, 63.000] ms, Le Boudec; n=50 successful of 50 invocations "
                  + ON + ")");
    }

    @Test
    void higherConfidenceWidensTheInterval() {
      assertThatThrownBy(
              () -> assertThat(fiftyFrom31To80Ms()).withConfidence(0.99).clientTime().medianUpperBound()
                  .isLessThan(ofMillis(64)))
          .hasMessageStartingWith("Expected client time median 99% upper bound < 64.000 ms but was 65.000 ms")
          .hasMessageContaining("99% CI [46.000, 65.000] ms, Le Boudec");
    }

    @Test
    void lowerBoundAndFloors() {
      assertThatThrownBy(() -> assertThat(fiftyFrom31To80Ms()).clientTime().meanLowerBound().isGreaterThan(ofMillis(52)))
          .hasMessageStartingWith("Expected client time mean 95% lower bound > 52.000 ms but was 51.357 ms (mean 55.500 ms");
      assertThatThrownBy(() -> assertThat(fiftyFrom31To80Ms()).clientTime().min().isBetween(ofMillis(40), ofMillis(90)))
          .hasMessage(
              "Expected client time min between 40.000 and 90.000 ms but was 31.000 ms "
                  + "(n=50 successful of 50 invocations " + ON + ")");
    }

    @Test
    void percentilesAndExtremesHaveNoInterval() {
      assertThatThrownBy(() -> assertThat(fiftyFrom31To80Ms()).clientTime().percentile(95).isLessThan(ofMillis(70)))
          .hasMessage(
              "Expected client time p95 < 70.000 ms but was 77.550 ms (n=50 successful of 50 invocations " + ON + ")");
      assertThatThrownBy(() -> assertThat(fiftyFrom31To80Ms()).clientTime().percentile(99.9).isLessThan(ofMillis(70)))
          .hasMessageStartingWith("Expected client time p99.9 < 70.000 ms but was 79.951 ms");
      assertThatThrownBy(() -> assertThat(fiftyFrom31To80Ms()).benchmarkTime().max().isLessThan(ofMillis(79)))
          .hasMessageStartingWith("Expected benchmark time max < 79.000 ms but was 79.000 ms");
    }

    @Test
    void chainedBudgetsStopAtTheFirstBreach() {
      assertThatThrownBy(
              () -> assertThat(fiftyFrom31To80Ms()).clientTime()
                  .median().isLessThan(ofMillis(60))
                  .and().percentile(95).isLessThan(ofMillis(70))
                  .and().max().isLessThan(ofMillis(1)))
          .hasMessageStartingWith("Expected client time p95 < 70.000 ms");
    }

    @Test
    void unstableTimesFailTheCoefficientOfVariation() {
      assertThatThrownBy(() -> assertThat(fiftyFrom31To80Ms()).clientTime().hasCoefficientOfVariationBelow(0.1))
          .hasMessage(
              "Expected client time coefficient of variation < 0.100 but was 0.263 "
                  + "(standard deviation 14.577 ms, mean 55.500 ms; n=50 successful of 50 invocations " + ON + ")");
    }

    @Test
    void aDescriptionCarriesThrough() {
      assertThatThrownBy(() -> assertThat(fiftyFrom31To80Ms()).as("checkout page").clientTime().median().isLessThan(ofMillis(50)))
          .hasMessageStartingWith("[checkout page] Expected client time median < 50.000 ms");
    }

    @Test
    void sampleSizeCountsOnlyInvocationsThatHaveTheMetric() {
      // Init time is only reported on the 2 cold invocations.
      List<Invocation> invocations = new ArrayList<>();
      invocations.add(FakeInvocation.ok("cold-1", ofMillis(900)).cold(ofMillis(700)));
      invocations.add(FakeInvocation.ok("cold-2", ofMillis(950)).cold(ofMillis(750)));
      IntStream.range(0, 8).forEach(i -> invocations.add(FakeInvocation.ok("warm-" + i, ofMillis(40))));

      assertThatThrownBy(() -> assertThat(FakeMeasurements.warm(invocations)).initTime().max().isLessThan(ofMillis(500)))
          .hasMessage(
              "Expected init time max < 500.000 ms but was 750.000 ms "
                  + "(n=2 with init time, 10 successful of 10 invocations " + ON + ")");
    }
  }

  @Nested
  @DisplayName("an interval needs enough samples")
  class TooSmallForAnInterval {

    private final Measurements three =
        FakeMeasurements.warm(
            List.of(
                FakeInvocation.ok("a", ofMillis(10)),
                FakeInvocation.ok("b", ofMillis(20)),
                FakeInvocation.ok("c", ofMillis(30))));

    @Test
    void aBoundFailsSayingHowManySamplesAreNeeded() {
      assertThatThrownBy(() -> assertThat(three).clientTime().medianUpperBound().isLessThan(ofMillis(500)))
          .hasMessage(
              "Expected client time median 95% upper bound < 500.000 ms but the sample is too small for a 95% "
                  + "confidence interval of the median (Le Boudec): it needs at least 6 samples and there are "
                  + "n=3 successful of 3 invocations " + ON + "; measure more repetitions, lower "
                  + "withConfidence(...) or budget the point estimate median() instead");
    }

    @Test
    void moreConfidenceNeedsMoreSamples() {
      assertThatThrownBy(() -> assertThat(three).withConfidence(0.99).clientTime().medianLowerBound().isGreaterThan(ofMillis(1)))
          .hasMessageContaining("99% confidence interval of the median (Le Boudec): it needs at least 8 samples");
    }

    @Test
    void theMeansIntervalNeedsTwo() {
      Measurements one = FakeMeasurements.warm(List.of(FakeInvocation.ok("a", ofMillis(10))));

      assertThatThrownBy(() -> assertThat(one).clientTime().meanUpperBound().isLessThan(ofMillis(500)))
          .hasMessageContaining("confidence interval of the mean (Student-t): it needs at least 2 samples")
          .hasMessageContaining("n=1 successful of 1 invocations");
      assertThatThrownBy(() -> assertThat(one).clientTime().hasCoefficientOfVariationBelow(0.5))
          .hasMessage(
              "Expected client time coefficient of variation < 0.500 but it needs at least 2 samples and there is "
                  + "n=1 successful of 1 invocations " + ON);
    }

    @Test
    void pointEstimatesStillWorkAndShowTheIntervalWhenThereIsOne() {
      assertThat(three).clientTime().median().isLessThan(ofMillis(500));
      assertThatThrownBy(() -> assertThat(three).clientTime().median().isLessThan(ofMillis(5)))
          .hasMessage("Expected client time median < 5.000 ms but was 20.000 ms (n=3 successful of 3 invocations " + ON + ")");
      assertThatThrownBy(() -> assertThat(three).clientTime().mean().isLessThan(ofMillis(5)))
          .hasMessage(
              "Expected client time mean < 5.000 ms but was 20.000 ms "
                  + "(95% CI [-4.841, 44.841] ms, Student-t; n=3 successful of 3 invocations " + ON + ")");
    }
  }

  @Nested
  @DisplayName("a budget on an empty sample fails and says why")
  class EmptySamples {

    @Test
    void everyInvocationFailed() {
      Measurements allFailed =
          FakeMeasurements.warm(
              List.of(
                  FakeInvocation.failed("req-1", "Timeout after 30 s"),
                  FakeInvocation.failed("req-2", "HTTP 502 from function"),
                  FakeInvocation.failed("req-3", "ModuleNotFoundError: jinja2\n  at handler.py:3"),
                  FakeInvocation.failed("req-4", "Timeout after 30 s"),
                  FakeInvocation.failed("req-5", "Timeout after 30 s")));

      assertThatThrownBy(() -> assertThat(allFailed).clientTime().median().isLessThan(ofMillis(50)))
          .hasMessage(
              "Expected client time median < 50.000 ms but the sample is empty: no invocation succeeded "
                  + "(0 successful of 5 invocations " + ON + "); first failures: [req-1] Timeout after 30 s; "
                  + "[req-2] HTTP 502 from function; [req-3] ModuleNotFoundError: jinja2 | at handler.py:3; "
                  + "... and 2 more");
      // Bounds and the coefficient of variation say the same, rather than "too small for an interval".
      assertThatThrownBy(() -> assertThat(allFailed).clientTime().medianUpperBound().isLessThan(ofMillis(50)))
          .hasMessageStartingWith("Expected client time median 95% upper bound < 50.000 ms but the sample is empty");
      assertThatThrownBy(() -> assertThat(allFailed).clientTime().hasCoefficientOfVariationBelow(0.1))
          .hasMessageContaining("but the sample is empty: no invocation succeeded");
    }

    @Test
    void thePlatformDoesNotReportTheMetric() {
      // The local platform has no billing: no provider time.
      Measurements m =
          FakeMeasurements.warm(List.of(FakeInvocation.ok("a", ofMillis(10)), FakeInvocation.ok("b", ofMillis(12))));

      assertThatThrownBy(() -> assertThat(m).providerTime().mean().isLessThan(ofMillis(50)))
          .hasMessage(
              "Expected provider time mean < 50.000 ms but the sample is empty: none of the 2 successful "
                  + "invocations (of 2 " + ON + ") reports provider time");
    }

    @Test
    void nothingWasMeasured() {
      assertThatThrownBy(() -> assertThat(FakeMeasurements.warm(List.of())).clientTime().max().isLessThan(ofMillis(50)))
          .hasMessage("Expected client time max < 50.000 ms but the sample is empty: no invocation was measured " + ON);
    }
  }

  @Nested
  @DisplayName("rates are fractions in [0, 1]")
  class Rates {

    private final Measurements oneFailureInTen;

    Rates() {
      List<Invocation> invocations = new ArrayList<>();
      IntStream.range(0, 9).forEach(i -> invocations.add(FakeInvocation.ok("req-" + i, ofMillis(20))));
      invocations.add(FakeInvocation.failed("req-9", "Function crashed: out of memory"));
      oneFailureInTen = FakeMeasurements.warm(invocations);
    }

    @Test
    void failureRateWithinBudget() {
      assertThat(oneFailureInTen)
          .failureRate().isLessThan(0.2).isLessThanOrEqualTo(0.1).isEqualTo(0.1).isGreaterThanOrEqualTo(0.1)
          .and().coldStartRate().isZero();
    }

    @Test
    void failureRateOverBudgetQuotesTheFailures() {
      assertThatThrownBy(() -> assertThat(oneFailureInTen).failureRate().isLessThanOrEqualTo(0.05))
          .hasMessage(
              "Expected failure rate <= 0.050 (5.0%) but was 0.100 (10.0%): 1 failed of 10 invocations " + ON
                  + "; failure: [req-9] Function crashed: out of memory");
      assertThatThrownBy(() -> assertThat(oneFailureInTen).failureRate().isZero())
          .hasMessageStartingWith("Expected failure rate = 0.000 (0.0%) but was 0.100 (10.0%)");
    }

    @Test
    void coldStartRate() {
      List<Invocation> burst = new ArrayList<>();
      IntStream.range(0, 3).forEach(i -> burst.add(FakeInvocation.ok("cold-" + i, ofMillis(300)).cold(ofMillis(200))));
      IntStream.range(0, 7).forEach(i -> burst.add(FakeInvocation.ok("warm-" + i, ofMillis(30))));
      Measurements m = new FakeMeasurements(Measurements.Kind.BURST, burst, List.of());

      assertThat(m).coldStartRate().isGreaterThanOrEqualTo(0.3).isLessThan(0.5);
      assertThatThrownBy(() -> assertThat(m).coldStartRate().isLessThanOrEqualTo(0.1))
          .hasMessage("Expected cold-start rate <= 0.100 (10.0%) but was 0.300 (30.0%): 3 cold of 10 successful answers " + ON);
    }

    @Test
    void percentagesAreRejected() {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> assertThat(oneFailureInTen).failureRate().isLessThan(5))
          .withMessageContaining("must be a fraction in [0, 1] (0.05 for 5%)");
    }
  }

  @Nested
  @DisplayName("the health of the run is checked before any time budget")
  class HealthOfTheRun {

    private final Measurements twoFailures =
        FakeMeasurements.warm(
            List.of(
                FakeInvocation.ok("a", ofMillis(10)),
                FakeInvocation.failed("b", "Timeout after 30 s"),
                FakeInvocation.ok("c", ofMillis(12)),
                FakeInvocation.failed("d", "HTTP 500")));

    @Test
    void hasNoFailures() {
      assertThatThrownBy(() -> assertThat(twoFailures).hasNoFailures())
          .hasMessage(
              "Expected no failed invocations but 2 of 4 invocations " + ON
                  + " failed; first failures: [b] Timeout after 30 s; [d] HTTP 500");
    }

    @Test
    void hasAtLeast() {
      assertThat(twoFailures).hasAtLeast(2);
      assertThatThrownBy(() -> assertThat(twoFailures).hasAtLeast(4))
          .hasMessage(
              "Expected at least 4 successful invocations but there were 2 of 4 " + ON
                  + "; first failures: [b] Timeout after 30 s; [d] HTTP 500");
    }

    @Test
    void hasNoMisclassified() {
      Measurements coldRun =
          new FakeMeasurements(
              Measurements.Kind.COLD,
              List.of(FakeInvocation.ok("a", ofMillis(900)).cold(ofMillis(600))),
              List.of(FakeInvocation.ok("b", ofMillis(40))));

      assertThat(fiftyFrom31To80Ms()).hasNoMisclassified();
      assertThatThrownBy(() -> assertThat(coldRun).hasNoMisclassified())
          .hasMessage(
              "Expected no misclassified invocations in this cold measurement but 1 was set aside (besides 1 "
                  + "measured " + ON + "): [b] reported a warm start on instance container-b");
    }

    @Test
    void confidenceMustBeAFraction() {
      assertThatIllegalArgumentException().isThrownBy(() -> assertThat(twoFailures).withConfidence(95));
      assertThatIllegalArgumentException().isThrownBy(() -> assertThat(twoFailures).clientTime().percentile(0));
    }
  }

  /** A test-only invocation: just the values, with a few builders. */
  record FakeInvocation(
      String requestId,
      Duration clientTime,
      Duration benchmarkTime,
      Optional<Duration> providerTime,
      Optional<Duration> initTime,
      boolean isCold,
      String containerId,
      boolean failed,
      Optional<String> failureReason,
      JsonNode output,
      JsonNode measurement,
      Instant clientBegin)
      implements Invocation {

    static FakeInvocation ok(String requestId, Duration clientTime) {
      return new FakeInvocation(
          requestId, clientTime, clientTime, Optional.empty(), Optional.empty(), false, "container-" + requestId,
          false, Optional.empty(), MissingNode.getInstance(), MissingNode.getInstance(), Instant.EPOCH);
    }

    static FakeInvocation failed(String requestId, String reason) {
      return new FakeInvocation(
          requestId, ofMillis(30_000), Duration.ZERO, Optional.empty(), Optional.empty(), false, "",
          true, Optional.of(reason), MissingNode.getInstance(), MissingNode.getInstance(), Instant.EPOCH);
    }

    FakeInvocation withBenchmarkTime(Duration time) {
      return new FakeInvocation(
          requestId, clientTime, time, providerTime, initTime, isCold, containerId, failed, failureReason, output,
          measurement, clientBegin);
    }

    FakeInvocation cold(Duration init) {
      return new FakeInvocation(
          requestId, clientTime, benchmarkTime, providerTime, Optional.of(init), true, containerId, failed,
          failureReason, output, measurement, clientBegin);
    }
  }

  /** Test-only measurements: statistics in microseconds over the successful invocations having the metric. */
  record FakeMeasurements(Kind kind, List<Invocation> invocations, List<Invocation> misclassified)
      implements Measurements {

    static FakeMeasurements warm(List<Invocation> invocations) {
      return new FakeMeasurements(Kind.WARM, invocations, List.of());
    }

    @Override
    public String stopReason() {
      return "fixed";
    }

    @Override
    public List<Invocation> successful() {
      return invocations.stream().filter(i -> !i.failed()).toList();
    }

    @Override
    public List<Invocation> failures() {
      return invocations.stream().filter(Invocation::failed).toList();
    }

    @Override
    public SampleStatistics statistics(TimeMetric metric) {
      return SampleStatistics.of(
          successful().stream()
              .map(metric::of)
              .flatMap(Optional::stream)
              .mapToDouble(d -> d.toNanos() / 1000.0)
              .toArray());
    }

    @Override
    public double failureRate() {
      return invocations.isEmpty() ? 0 : (double) failures().size() / invocations.size();
    }

    @Override
    public double coldStartRate() {
      List<Invocation> answers = java.util.stream.Stream.concat(invocations.stream(), misclassified.stream())
          .filter(i -> !i.failed()).toList();
      return answers.isEmpty() ? 0 : (double) answers.stream().filter(Invocation::isCold).count() / answers.size();
    }

    @Override
    public String functionName() {
      return FUNCTION;
    }

    @Override
    public String platform() {
      return "local";
    }
  }
}
