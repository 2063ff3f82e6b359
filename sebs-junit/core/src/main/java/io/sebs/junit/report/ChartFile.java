package io.sebs.junit.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A chart rendered and written as a PNG file next to the results it shows. Charts are a view of results
 * already on disk, so a chart that cannot be drawn or written never fails a test: the failure is logged and
 * returned as {@link #failure()}, and the caller goes on.
 *
 * @param name what the chart shows, e.g. "latency CDF" (the Allure attachment's name)
 * @param file the PNG file, written only when {@link #png()} is present
 * @param png the encoded chart, empty when rendering or writing failed
 * @param failure why it failed, empty on success
 */
public record ChartFile(String name, Path file, Optional<byte[]> png, Optional<String> failure) {

  private static final Logger LOG = Logger.getLogger(ChartFile.class.getName());

  /** Draws one chart; may throw anything a chart library throws on bad data or a broken AWT. */
  @FunctionalInterface
  public interface Render {
    byte[] png() throws Exception;
  }

  /** Renders the chart and writes it to {@code file} (creating its folder); never throws. */
  public static ChartFile write(String name, Path file, Render render) {
    try {
      byte[] png = render.png();
      Files.createDirectories(file.getParent());
      Files.write(file, png);
      return new ChartFile(name, file, Optional.of(png), Optional.empty());
    } catch (Exception | LinkageError | java.awt.AWTError | InternalError e) {
      // InternalError and AWTError come from AWT or font setup on a machine without fonts.
      LOG.warning("Could not render the " + name + " chart to " + file + " (the test goes on): " + e);
      LOG.log(Level.FINE, "Chart failure", e);
      return new ChartFile(name, file, Optional.empty(), Optional.of(e.toString()));
    }
  }

  /** Whether the PNG was rendered and written. */
  public boolean written() {
    return png.isPresent();
  }
}
