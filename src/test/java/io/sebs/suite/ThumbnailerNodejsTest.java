package io.sebs.suite;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.ServerlessBenchmark;
import java.awt.image.BufferedImage;
import java.time.Duration;
import org.assertj.core.api.Assertions;

/**
 * 210.thumbnailer in Node.js: sharp resizes the image to exactly the box, cropping what overflows (its
 * default "cover" fit, as in SeBS's Node.js version), and writes a PNG. On cloudflare-local sharp is the Workers
 * polyfill of it (pure JavaScript), which gives the same size and format.
 */
@ServerlessBenchmark(value = "210.thumbnailer", language = "nodejs")
class ThumbnailerNodejsTest extends ThumbnailerBenchmark {

  /** Node's start-up and loading sharp and the storage client come first. */
  @Override
  Duration coldBudget() {
    return Duration.ofSeconds(5);
  }

  @Override
  void assertThumbnail(String key, JsonNode output, byte[] encoded, BufferedImage thumbnail) {
    Assertions.assertThat(key).endsWith(".png");
    Assertions.assertThat(output.path("format").asText()).isEqualTo("png");
    Assertions.assertThat(encoded).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G'); // PNG signature
    Assertions.assertThat(thumbnail.getWidth()).as("width, cropped to cover the box").isEqualTo(200);
    Assertions.assertThat(thumbnail.getHeight()).as("height, cropped to cover the box").isEqualTo(200);
  }
}
