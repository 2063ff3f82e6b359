package io.sebs.junit.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A chart file is written when it renders, and a chart that cannot be drawn or written is reported, not thrown. */
class ChartFileTest {

  @TempDir
  Path results;

  @Test
  void aRenderedChartIsWrittenCreatingItsFolder() throws IOException {
    Path file = results.resolve("run-1").resolve("T.m.curve.png");
    ChartFile chart = ChartFile.write("curve", file, () -> new Charts(200, 150).histogram("t", "s", new double[] {1, 2}));
    assertThat(chart.written()).isTrue();
    assertThat(chart.failure()).isEmpty();
    assertThat(Files.readAllBytes(file)).isEqualTo(chart.png().orElseThrow());
  }

  @Test
  void aChartThatCannotBeDrawnIsAFailureWithItsReasonAndNoFile() {
    Path file = results.resolve("T.m.empty.png");
    ChartFile chart = ChartFile.write("empty", file, () -> Charts.DEFAULT.histogram("t", "nothing", new double[0]));
    assertThat(chart.written()).isFalse();
    assertThat(chart.failure()).hasValueSatisfying(f -> assertThat(f).contains("Sample 'nothing' is empty"));
    assertThat(file).doesNotExist();
  }

  @Test
  void aChartThatCannotBeWrittenIsAFailureToo() throws IOException {
    Path occupied = Files.writeString(results.resolve("occupied"), "a file where the folder should be");
    ChartFile chart = ChartFile.write("curve", occupied.resolve("T.m.png"), () -> new byte[] {1});
    assertThat(chart.failure()).isPresent();
  }
}
