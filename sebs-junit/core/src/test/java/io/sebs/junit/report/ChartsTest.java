package io.sebs.junit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sebs.junit.report.Charts.Series;
import io.sebs.junit.report.Charts.XScale;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Charts render real PNGs headless, reject samples they cannot draw, and choose bins by a known rule. */
class ChartsTest {

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final int BLUE = 0x1f77b4;
  private static final int RED = 0xd62728;

  private static final double[] WARM = lognormal(200, 4.0, 0.3, 1);
  private static final double[] COLD = lognormal(20, 180.0, 0.2, 2);

  private static double[] lognormal(int n, double medianMs, double sigma, long seed) {
    Random random = new Random(seed);
    return java.util.stream.IntStream.range(0, n)
        .mapToDouble(i -> medianMs * Math.exp(sigma * random.nextGaussian())).toArray();
  }

  private static BufferedImage image(byte[] png) throws IOException {
    assertThat(Arrays.copyOf(png, 8)).as("PNG signature").isEqualTo(PNG_SIGNATURE);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image).as("decodable PNG").isNotNull();
    return image;
  }

  private static long pixelsOf(BufferedImage image, int rgb) {
    long count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xffffff) == rgb) {
          count++;
        }
      }
    }
    return count;
  }

  @Test
  void loadingChartsMakesAwtHeadlessUnlessTheJvmWasToldOtherwise() {
    assertThat(Charts.DEFAULT.width()).isEqualTo(800);
    assertThat(GraphicsEnvironment.isHeadless()).isTrue();
  }

  @Nested
  class LatencyCdf {

    @Test
    void drawsEachNamedSampleInItsOwnColourAtTheRequestedSize() throws IOException {
      Map<String, double[]> samples = new LinkedHashMap<>();
      samples.put("warm", WARM);
      samples.put("cold", COLD);
      long start = System.nanoTime();
      byte[] png = new Charts(640, 400).latencyCdf("110.dynamic-html", samples, XScale.LOG);
      System.out.printf("latency CDF, 2 samples, log x: %.1f ms, %d bytes%n", (System.nanoTime() - start) / 1e6,
          png.length);
      BufferedImage image = image(png);
      assertThat(image.getWidth()).isEqualTo(640);
      assertThat(image.getHeight()).isEqualTo(400);
      assertThat(pixelsOf(image, BLUE)).as("first sample's line").isGreaterThan(200);
      assertThat(pixelsOf(image, RED)).as("second sample's line").isGreaterThan(200);
    }

    @Test
    void aSingleValueIsAStepFromZeroToOne() throws IOException {
      BufferedImage image = image(Charts.DEFAULT.latencyCdf("one", Map.of("client time", new double[] {3.5})));
      assertThat(image.getWidth()).isEqualTo(800);
      assertThat(image.getHeight()).isEqualTo(500);
      assertThat(pixelsOf(image, BLUE)).isGreaterThan(50);
    }

    @Test
    void negativeLatenciesAreDrawnNotDropped() throws IOException {
      // A negative time is a clock-drift artefact worth seeing: the linear axis extends below zero.
      BufferedImage image = image(Charts.DEFAULT.latencyCdf("drift", Map.of("benchmark time",
          new double[] {-0.4, 0.2, 1.1, 1.3})));
      assertThat(pixelsOf(image, BLUE)).isGreaterThan(50);
    }

    @Test
    void aLogAxisRejectsNonPositiveValuesAndSaysWhatToUse() {
      assertThatThrownBy(() -> Charts.DEFAULT.latencyCdf("t", Map.of("client", new double[] {1, 0, 2}), XScale.LOG))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'client'").hasMessageContaining("index 1").hasMessageContaining("XScale.LINEAR");
    }

    @Test
    void anEmptySampleOrNoSampleIsRejectedByName() {
      assertThatThrownBy(() -> Charts.DEFAULT.latencyCdf("t", Map.of("client time", new double[0])))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'client time' is empty");
      assertThatThrownBy(() -> Charts.DEFAULT.latencyCdf("t", Map.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at least 1 named sample");
    }

    @Test
    void nanAndInfinityAreRejectedWithTheirPosition() {
      assertThatThrownBy(() -> Charts.DEFAULT.latencyCdf("t", Map.of("client", new double[] {1, Double.NaN})))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'client' has NaN at index 1").hasMessageContaining("finite");
      assertThatThrownBy(() -> Charts.DEFAULT.latencyCdf("t",
          Map.of("client", new double[] {Double.POSITIVE_INFINITY})))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Infinity at index 0");
    }
  }

  @Nested
  class Histogram {

    @Test
    void rendersTheSampleAsBars() throws IOException {
      long start = System.nanoTime();
      byte[] png = Charts.DEFAULT.histogram("warm client time", "client time", WARM);
      System.out.printf("histogram, n=%d: %.1f ms, %d bytes%n", WARM.length, (System.nanoTime() - start) / 1e6,
          png.length);
      BufferedImage image = image(png);
      assertThat(image.getWidth()).isEqualTo(800);
      assertThat(pixelsOf(image, BLUE)).as("bar area").isGreaterThan(5_000);
    }

    @Test
    void identicalValuesGiveOneBar() throws IOException {
      assertThat(Charts.histogramBins(new double[] {7, 7, 7})).isEqualTo(1);
      assertThat(pixelsOf(image(Charts.DEFAULT.histogram("t", "x", new double[] {7, 7, 7})), BLUE))
          .isGreaterThan(1_000);
    }

    @Test
    void invalidSamplesAreRejected() {
      assertThatThrownBy(() -> Charts.DEFAULT.histogram("t", "client time", new double[0]))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'client time' is empty");
      assertThatThrownBy(() -> Charts.DEFAULT.histogram("t", "client time", new double[] {Double.NaN}))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN at index 0");
      assertThatThrownBy(() -> Charts.DEFAULT.histogram("t", " ", new double[] {1}))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-blank name");
    }

    @Test
    void binsFollowFreedmanDiaconisLikeNumpy() {
      // Reference counts: len(numpy.histogram_bin_edges(x, bins="fd")) - 1 with numpy 2.4 on float arrays.
      double[] oneToHundred = java.util.stream.IntStream.rangeClosed(1, 100).asDoubleStream().toArray();
      assertThat(Charts.histogramBins(oneToHundred)).isEqualTo(5);
      assertThat(Charts.histogramBins(new double[] {12.1, 13.4, 11.8, 12.9, 14.2, 12.5, 13.1, 15.0, 12.2, 13.8,
          12.7, 12.0, 13.3, 12.6, 18.5, 12.4, 13.0, 12.8, 11.9, 14.0})).isEqualTo(8);
      assertThat(Charts.histogramBins(new double[] {5, 5, 5, 5, 5, 5, 7, 9})).isEqualTo(8);
    }

    @Test
    void aZeroIqrFallsBackToSturgesAndLongTailsAreCapped() {
      // More than half the values equal: IQR 0, so ceil(log2(10)) + 1 = 5 bins.
      assertThat(Charts.histogramBins(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 2, 30})).isEqualTo(5);
      // numpy's fd gives 103 bins for this sample (two far outliers); the cap keeps bars readable.
      assertThat(Charts.histogramBins(new double[] {12.1, 13.4, 11.8, 12.9, 14.2, 12.5, 13.1, 55.0, 12.2, 13.8,
          12.7, 12.0, 13.3, 12.6, 98.5, 12.4, 13.0, 12.8, 11.9, 14.0})).isEqualTo(Charts.MAX_BINS);
    }
  }

  @Nested
  class Comparison {

    @Test
    void overlaysColdAndWarmCdfsWithTheirMediansMarked() throws IOException {
      Map<String, double[]> samples = new LinkedHashMap<>();
      samples.put("cold", COLD);
      samples.put("warm", WARM);
      long start = System.nanoTime();
      byte[] png = Charts.DEFAULT.comparison("cold vs warm", samples);
      System.out.printf("comparison, 2 samples: %.1f ms, %d bytes%n", (System.nanoTime() - start) / 1e6,
          png.length);
      BufferedImage image = image(png);
      assertThat(image.getHeight()).isEqualTo(500);
      assertThat(pixelsOf(image, RED)).as("first sample (cold)").isGreaterThan(200);
      assertThat(pixelsOf(image, BLUE)).as("second sample (warm)").isGreaterThan(200);
    }

    @Test
    void needsTwoSamplesAndAcceptsNegativeValuesOnALinearAxis() throws IOException {
      assertThatThrownBy(() -> Charts.DEFAULT.comparison("t", Map.of("cold", COLD)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 named samples, got 1");
      Map<String, double[]> samples = new LinkedHashMap<>();
      samples.put("a", new double[] {-1, 0, 1, 2});
      samples.put("b", new double[] {3, 4, 5});
      assertThat(image(Charts.DEFAULT.comparison("t", samples)).getWidth()).isEqualTo(800);
    }
  }

  @Nested
  class XyLine {

    @Test
    void drawsNamedCurvesOnALogXAxis() throws IOException {
      Series time = new Series("median time (ms)", new double[] {128, 256, 512, 1024, 2048},
          new double[] {410, 220, 120, 80, 78});
      Series cost = new Series("p95 time (ms)", new double[] {128, 256, 512, 1024, 2048},
          new double[] {600, 310, Double.NaN, 95, 90});
      long start = System.nanoTime();
      byte[] png = Charts.DEFAULT.xyLine("memory sweep", "memory (MB)", "time (ms)", List.of(time, cost),
          XScale.LOG);
      System.out.printf("xy line, 2 series: %.1f ms, %d bytes%n", (System.nanoTime() - start) / 1e6, png.length);
      BufferedImage image = image(png);
      assertThat(pixelsOf(image, BLUE)).isGreaterThan(200);
      assertThat(pixelsOf(image, RED)).as("the series with a gap is still drawn").isGreaterThan(100);
    }

    @Test
    void rejectsWhatCannotBeACurve() {
      assertThatThrownBy(() -> new Series("s", new double[] {1, 2}, new double[] {1}))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 x values but 1 y values");
      assertThatThrownBy(() -> new Series("s", new double[0], new double[0]))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'s' has no points");
      assertThatThrownBy(() -> new Series("s", new double[] {Double.NaN}, new double[] {1}))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x = NaN at index 0");
      assertThatThrownBy(() -> Charts.DEFAULT.xyLine("t", "x", "y", List.of(), XScale.LINEAR))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one series");
      Series s = new Series("s", new double[] {0, 1}, new double[] {1, 2});
      assertThatThrownBy(() -> Charts.DEFAULT.xyLine("t", "x", "y", List.of(s, s), XScale.LINEAR))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Two series are named 's'");
      assertThatThrownBy(() -> Charts.DEFAULT.xyLine("t", "x", "y", List.of(s), XScale.LOG))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x = 0.0 at index 0")
          .hasMessageContaining("XScale.LINEAR");
    }
  }

  @Nested
  class LogYAndIntervals {

    @Test
    void aLogYAxisDrawsCurvesSpanningOrdersOfMagnitudeAndRejectsNonPositiveY() throws IOException {
      Series throughput = new Series("redis", new double[] {1, 1024, 409_600},
          new double[] {0.0004, 0.4, Double.NaN});
      BufferedImage image = image(Charts.DEFAULT.xyLine("throughput", "size (bytes)", "MB/s",
          List.of(throughput), XScale.LOG, XScale.LOG));
      assertThat(pixelsOf(image, BLUE)).isGreaterThan(100);
      Series zero = new Series("s3", new double[] {1, 2}, new double[] {0, 1});
      assertThatThrownBy(() -> Charts.DEFAULT.xyLine("t", "x", "y", List.of(zero), XScale.LINEAR, XScale.LOG))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("y = 0.0 at index 0")
          .hasMessageContaining("log y axis");
    }

    @Test
    void drawsAnErrorBarPerPointAndToleratesPointsWithoutAnInterval() throws IOException {
      var warm = new Charts.IntervalSeries("warm", new double[] {128, 256, 512}, new double[] {3.1, 3.0, 2.9},
          new double[] {2.8, Double.NaN, 2.7}, new double[] {3.5, Double.NaN, 3.2});
      var cold = new Charts.IntervalSeries("cold", new double[] {128, 256, 512}, new double[] {180, Double.NaN, 150},
          new double[] {150, Double.NaN, 120}, new double[] {210, Double.NaN, 170});
      byte[] png = new Charts(600, 400).xyIntervals("sweep", "memory (MB)", "median (ms)",
          "95% CI of the median", List.of(warm, cold), XScale.LINEAR);
      BufferedImage image = image(png);
      assertThat(image.getWidth()).isEqualTo(600);
      assertThat(pixelsOf(image, BLUE)).isGreaterThan(300);
      // cold has a gap at 256 MB, so no line: two markers with their bars
      assertThat(pixelsOf(image, RED)).isGreaterThan(50);
    }

    @Test
    void aLogYAxisKeepsWarmMediansReadableNextToColdOnesAndNeedsPositiveBounds() throws IOException {
      var warm = new Charts.IntervalSeries("warm", new double[] {128, 256}, new double[] {3.1, 3.0},
          new double[] {2.8, 2.7}, new double[] {3.5, 3.2});
      var cold = new Charts.IntervalSeries("cold", new double[] {128, 256}, new double[] {280, 250},
          new double[] {250, 220}, new double[] {310, 270});
      BufferedImage image = image(Charts.DEFAULT.xyIntervals("sweep", "memory (MB)", "median (ms)", "95% CI",
          List.of(warm, cold), XScale.LINEAR, XScale.LOG));
      assertThat(pixelsOf(image, BLUE)).isGreaterThan(300);
      assertThat(pixelsOf(image, RED)).isGreaterThan(300);
      var atZero = new Charts.IntervalSeries("z", new double[] {1}, new double[] {1}, new double[] {0},
          new double[] {2});
      assertThatThrownBy(() -> Charts.DEFAULT.xyIntervals("t", "x", "y", "CI", List.of(atZero), XScale.LINEAR,
          XScale.LOG)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("log y axis");
    }

    @Test
    void anIntervalMustHaveOneBoundPairPerPointInOrder() {
      assertThatThrownBy(() -> new Charts.IntervalSeries("w", new double[] {1, 2}, new double[] {1, 2},
          new double[] {0}, new double[] {2, 3}))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one lower and one upper bound per x");
      assertThatThrownBy(() -> new Charts.IntervalSeries("w", new double[] {1}, new double[] {1},
          new double[] {2}, new double[] {1}))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2.0, 1.0] at index 0");
    }
  }

  @Test
  void chartSizesOutsideTheSaneRangeAreRejected() {
    assertThatThrownBy(() -> new Charts(10, 500)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("10 x 500");
  }
}
