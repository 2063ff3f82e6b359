package io.sebs.junit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sebs.junit.report.Charts;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Checks on the chart files experiments write next to their results. */
public final class ChartFiles {

  private ChartFiles() {}

  /** Asserts each file exists and decodes as an image of {@link Charts#DEFAULT}'s size. */
  public static void assertCharts(Path directory, String... fileNames) {
    for (String name : fileNames) {
      Path file = directory.resolve(name);
      assertThat(file).as("chart %s", name).exists();
      try {
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image).as("%s decodes as an image", name).isNotNull();
        assertThat(image.getWidth()).as("width of %s", name).isEqualTo(Charts.DEFAULT.width());
        assertThat(image.getHeight()).as("height of %s", name).isEqualTo(Charts.DEFAULT.height());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + file, e);
      }
    }
  }
}
