package io.sebs.junit.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements.Kind;
import io.sebs.junit.series.MeasurementSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The console line and report entry of a measured series: the figures a passing test shows. */
class SeriesSummaryTest {

  @Test
  void aWarmSeriesShowsMediansItsIntervalAndCounts() {
    List<Invocation> invocations = new ArrayList<>();
    for (int ms = 10; ms <= 19; ms++) {
      invocations.add(ok(ms * 1000L, ms * 1000L - 500, false));
    }

    assertThat(SeriesSummary.of(series(Kind.WARM, invocations, List.of()), 0.95)).isEqualTo(
        "warm x10: client time median 14.5 ms [11, 18] (95% Le Boudec median), benchmark time median"
            + " 14 ms, cold 0/10, failed 0/10");
  }

  @Test
  void tooFewSamplesForAnIntervalIsSaidNotHidden() {
    var series = series(Kind.WARM, List.of(ok(3_000, 2_000, false), ok(4_000, 2_500, false)), List.of());

    assertThat(SeriesSummary.of(series, 0.95))
        .isEqualTo("warm x2: client time median 3.5 ms (too few samples for a 95% interval), benchmark time"
            + " median 2.25 ms, cold 0/2, failed 0/2");
  }

  @Test
  void aColdSeriesCountsColdAnswersFailuresAndSetAsideWarmOnesAndQuotesTheFirstFailure() {
    var series = series(Kind.COLD,
        List.of(ok(250_000, 1_000, true), ok(260_000, 1_100, true), failed("timeout after 3 s\n  at line 2")),
        List.of(ok(5_000, 1_000, false)));

    assertThat(SeriesSummary.of(series, 0.95))
        .isEqualTo("cold x3: client time median 255 ms (too few samples for a 95% interval), benchmark time"
            + " median 1.05 ms, cold 2/2, failed 1/3, set aside 1 warm answers; first failure: timeout after 3 s");
  }

  @Test
  void aSeriesWithoutSuccessSaysSo() {
    var series = series(Kind.BURST, List.of(failed("connection refused")), List.of());

    assertThat(SeriesSummary.of(series, 0.95))
        .isEqualTo("burst x1: no successful invocation, cold 0/0, failed 1/1; first failure: connection refused");
  }

  @Test
  void millisecondsKeepThreeSignificantDigitsAndOneDecimalFrom100() {
    assertThat(SeriesSummary.millis(1234.0)).isEqualTo("1.23");
    assertThat(SeriesSummary.millis(12.0)).isEqualTo("0.012");
    assertThat(SeriesSummary.millis(123_456.0)).isEqualTo("123.5");
    assertThat(SeriesSummary.millis(45_600.0)).isEqualTo("45.6");
  }

  private static MeasurementSeries series(Kind kind, List<Invocation> invocations, List<Invocation> misclassified) {
    return new MeasurementSeries(kind, "f", "local", invocations, misclassified, "fixed");
  }

  private static Invocation ok(long clientMicros, long benchmarkMicros, boolean cold) {
    return new Answer(Duration.ofNanos(clientMicros * 1000), Duration.ofNanos(benchmarkMicros * 1000), cold, null);
  }

  private static Invocation failed(String reason) {
    return new Answer(Duration.ofSeconds(3), Duration.ZERO, false, reason);
  }

  private record Answer(Duration clientTime, Duration benchmarkTime, boolean isCold, String reason)
      implements Invocation {
    public String requestId() { return "r"; }
    public Optional<Duration> providerTime() { return Optional.empty(); }
    public Optional<Duration> initTime() { return Optional.empty(); }
    public String containerId() { return "c"; }
    public boolean failed() { return reason != null; }
    public Optional<String> failureReason() { return Optional.ofNullable(reason); }
    public JsonNode output() { return MissingNode.getInstance(); }
    public JsonNode measurement() { return MissingNode.getInstance(); }
    public Instant clientBegin() { return Instant.EPOCH; }
  }
}
