package io.sebs.junit.experiment.perfcost;

import static org.assertj.core.api.Assertions.assertThat;

import io.sebs.junit.report.Charts.IntervalSeries;
import io.sebs.junit.report.Charts.XScale;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The time charts switch to a log y axis only when cold and warm medians are an order of magnitude apart. */
class PerfCostChartsTest {

  private static IntervalSeries medians(String name, double y128, double y256) {
    return new IntervalSeries(name, new double[] {128, 256}, new double[] {y128, y256},
        new double[] {Double.NaN, y256 * 0.9}, new double[] {Double.NaN, y256 * 1.1});
  }

  @Test
  void coldAndWarmTenTimesApartGoOnALogAxis() {
    assertThat(PerfCostCharts.yScale(List.of(medians("cold", 270, 300), medians("warm", 3.1, 3.0))))
        .isEqualTo(XScale.LOG);
  }

  @Test
  void closeMediansOrANonPositiveValueStayLinear() {
    assertThat(PerfCostCharts.yScale(List.of(medians("warm", 3.1, 3.0), medians("sequential", 3.4, 2.9))))
        .isEqualTo(XScale.LINEAR);
    assertThat(PerfCostCharts.yScale(List.of(medians("cold", 270, 300), medians("warm", 0, 3.0))))
        .isEqualTo(XScale.LINEAR);
    assertThat(PerfCostCharts.yScale(List.of(medians("cold", 270, Double.NaN), medians("warm", 3, Double.NaN))))
        .as("a gap is ignored").isEqualTo(XScale.LOG);
  }
}
