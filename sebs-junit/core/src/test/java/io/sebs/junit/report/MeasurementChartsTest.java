package io.sebs.junit.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements.Kind;
import io.sebs.junit.series.MeasurementSeries;
import io.sebs.junit.platform.InvocationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every measured test gets its charts as files next to its results, and a chart never fails the test. */
class MeasurementChartsTest {

  private static final MeasurementCharts CHARTS = new MeasurementCharts(new Charts(400, 300));

  @TempDir
  Path results;

  /** Client time 3-4 ms; function-side begin/end 2 ms apart when {@code withBenchmarkTime}. */
  private static MeasurementSeries warm(int n, boolean withBenchmarkTime) {
    List<Invocation> invocations = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long begin = 1_700_000_000_000_000L + i * 10_000L;
      long functionBegin = withBenchmarkTime ? begin + 500 : 0;
      long functionEnd = withBenchmarkTime ? functionBegin + 2_000 + 10L * i : 0;
      invocations.add(new InvocationResult("req-" + i, begin, 3_000 + 20L * i, functionBegin, functionEnd, 0, -1, -1,
          false, "c-1", null, null, null));
    }
    invocations.add(InvocationResult.failedBeforeAnswer("req-failed", 1_700_000_100_000_000L, 99_000, "boom"));
    return new MeasurementSeries(Kind.WARM, "fn", "local", invocations, List.of(), "fixed");
  }

  private static void assertPng(Path file) throws IOException {
    byte[] head = Files.readAllBytes(file);
    assertThat(head).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
  }

  @Test
  void aCdfAndAHistogramOfClientAndBenchmarkTimeAreWrittenNextToTheResults() throws IOException {
    MeasurementCharts.Rendered rendered = CHARTS.render("EchoTest.warm", warm(50, true), results, "EchoTest.warm");
    System.out.printf("3 charts of 50 invocations rendered in %d ms%n", rendered.renderTime().toMillis());
    assertThat(rendered.failures()).isEmpty();
    assertThat(rendered.charts()).extracting(MeasurementCharts.Chart::name)
        .containsExactly("latency CDF", "client time histogram", "benchmark time histogram");
    assertThat(rendered.charts()).extracting(c -> c.file().getFileName().toString())
        .containsExactly("EchoTest.warm.latency-cdf.png", "EchoTest.warm.client-time-histogram.png",
            "EchoTest.warm.benchmark-time-histogram.png");
    for (MeasurementCharts.Chart chart : rendered.charts()) {
      assertPng(chart.file());
      assertThat(Files.readAllBytes(chart.file())).isEqualTo(chart.png());
    }
  }

  @Test
  void withoutFunctionSideTimesOnlyClientTimeIsCharted() {
    MeasurementCharts.Rendered rendered = CHARTS.render("T.m", warm(5, false), results, "T.m");
    assertThat(rendered.charts()).extracting(MeasurementCharts.Chart::name)
        .containsExactly("latency CDF", "client time histogram");
  }

  @Test
  void whenNoInvocationSucceededThereIsNothingToDrawAndNoError() {
    var allFailed = new MeasurementSeries(Kind.COLD, "fn", "local",
        List.of(InvocationResult.failedBeforeAnswer("r", 1, 5_000, "timeout")), List.of(), "fixed");
    MeasurementCharts.Rendered rendered = CHARTS.render("T.m", allFailed, results, "T.m");
    assertThat(rendered.charts()).isEmpty();
    assertThat(rendered.failures()).isEmpty();
  }

  @Test
  void aChartThatCannotBeWrittenIsReportedNotThrown() throws IOException {
    Path notADirectory = Files.writeString(results.resolve("occupied"), "a file where the folder should be");
    MeasurementCharts.Rendered rendered = CHARTS.render("T.m", warm(5, true), notADirectory, "T.m");
    assertThat(rendered.charts()).isEmpty();
    assertThat(rendered.failures()).hasSize(3)
        .allSatisfy(failure -> assertThat(failure).contains("FileAlreadyExistsException"));
  }
}
