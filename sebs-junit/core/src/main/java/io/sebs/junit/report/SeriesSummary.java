package io.sebs.junit.report;

import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.TimeMetric;
import io.sebs.junit.cost.CostSummary;
import io.sebs.junit.series.MeasurementSeries;
import io.sebs.junit.stats.ConfidenceInterval;
import io.sebs.junit.stats.SampleStatistics;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * The one line a measured series is summed up in, so a passing test shows its figures on the console and
 * as a JUnit report entry without opening a results file: {@code warm x50: client time median 3.41 ms
 * [3.30, 3.55] (95% Le Boudec median), benchmark time median 2.97 ms, cold 0/50, failed 0/50, $0.208 per
 * million at aws prices}. Times are the successful invocations'; a median interval needs a minimum sample
 * size (6 at 95%), below it the line says so instead of printing one.
 */
public final class SeriesSummary {

  private SeriesSummary() {}

  /** The summary of {@code series}, its median intervals at {@code confidence}. */
  public static String of(MeasurementSeries series, double confidence) {
    int n = series.invocations().size();
    StringBuilder line = new StringBuilder()
        .append(series.kind().name().toLowerCase(Locale.ROOT)).append(" x").append(n).append(": ");
    SampleStatistics client = series.statistics(TimeMetric.CLIENT_TIME);
    if (client.isEmpty()) {
      line.append("no successful invocation");
    } else {
      line.append("client time median ").append(millis(client.median())).append(" ms ")
          .append(client.medianInterval(confidence).map(SeriesSummary::inMillis).map(ConfidenceInterval::toString)
              .orElse("(too few samples for a " + percent(confidence) + " interval)"));
      SampleStatistics benchmark = series.statistics(TimeMetric.BENCHMARK_TIME);
      line.append(", benchmark time median ").append(millis(benchmark.median())).append(" ms");
    }
    long cold = series.invocations().stream().filter(i -> !i.failed() && i.isCold()).count();
    line.append(", cold ").append(cold).append('/').append(n - series.failures().size())
        .append(", failed ").append(series.failures().size()).append('/').append(n);
    if (!series.misclassified().isEmpty()) {
      line.append(", set aside ").append(series.misclassified().size())
          .append(series.kind() == Measurements.Kind.COLD ? " warm" : " cold").append(" answers");
    }
    series.cost().filter(cost -> cost.n() > 0).ifPresent(cost -> line.append(", ")
        .append(CostSummary.usd(cost.perMillionUsd())).append(" per million at ").append(cost.prices().provider())
        .append(" prices"));
    series.failures().stream().findFirst().flatMap(Invocation::failureReason)
        .ifPresent(reason -> line.append("; first failure: ").append(firstLine(reason)));
    return line.toString();
  }

  private static ConfidenceInterval inMillis(ConfidenceInterval micros) {
    return new ConfidenceInterval(micros.lower() / 1000, micros.upper() / 1000, micros.confidence(), micros.method());
  }

  /** Milliseconds from microseconds, to three significant digits (at least to the microsecond). */
  static String millis(double micros) {
    BigDecimal ms = new BigDecimal(micros / 1000);
    BigDecimal rounded = ms.abs().compareTo(BigDecimal.valueOf(100)) >= 0
        ? ms.setScale(1, java.math.RoundingMode.HALF_EVEN)
        : ms.round(new MathContext(3));
    return rounded.stripTrailingZeros().toPlainString();
  }

  private static String percent(double confidence) {
    return new BigDecimal(confidence * 100).round(new MathContext(6)).stripTrailingZeros().toPlainString() + "%";
  }

  private static String firstLine(String text) {
    String line = text.strip().lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
