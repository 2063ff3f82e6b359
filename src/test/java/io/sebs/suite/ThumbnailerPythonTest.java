package io.sebs.suite;

import static io.sebs.junit.SebsAssertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.BenchmarkInput;
import io.sebs.junit.ColdStart;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.ObjectStorage;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * 210.thumbnailer in Python: reads an 800 x 600 PNG (size test) from object storage, shrinks it with Pillow
 * to fit 200 x 200 and writes the JPEG thumbnail back.
 */
@ServerlessBenchmark(value = "210.thumbnailer", language = "python")
class ThumbnailerPythonTest {

  @Test
  @Warm(repetitions = 10, warmup = 1)
  void warmThumbnailsStayFast(Measurements m) {
    assertThat(m).hasNoFailures().hasNoMisclassified();
    assertThat(m).clientTime().medianUpperBound().isLessThan(Duration.ofMillis(500));
  }

  @Test
  @ColdStart(repetitions = 3)
  void coldStartsImportPillowAndTheStorageClient(Measurements m) {
    assertThat(m).hasNoFailures().coldStartRate().isEqualTo(1.0);
    assertThat(m).clientTime().median().isLessThan(ColdBudget.of(m, Duration.ofSeconds(5)));
  }

  @Test
  void storesAJpegThatFitsTheBox(FunctionInvoker invoker, ObjectStorage storage, @BenchmarkInput JsonNode input)
      throws IOException {
    Invocation result = invoker.invoke();
    Assertions.assertThat(result.failed()).as("%s", result).isFalse();

    JsonNode output = result.output();
    String key = output.path("key").asText();
    Assertions.assertThat(key).startsWith(input.path("bucket").path("output").asText() + "/").endsWith(".jpg");
    Assertions.assertThat(storage.list(storage.benchmarksBucket(), input.path("bucket").path("output").asText()))
        .contains(key);

    byte[] jpeg = storage.download(storage.benchmarksBucket(), key);
    Assertions.assertThat(jpeg).startsWith((byte) 0xFF, (byte) 0xD8); // JPEG SOI marker
    BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(jpeg));
    Assertions.assertThat(thumbnail).isNotNull();
    Assertions.assertThat(thumbnail.getWidth()).isEqualTo(output.path("width").asInt());
    Assertions.assertThat(thumbnail.getHeight()).isEqualTo(output.path("height").asInt());
    // shrunk into the 200 x 200 box (the generated 800 x 600 image becomes 200 x 150), aspect ratio kept
    Assertions.assertThat(Math.max(thumbnail.getWidth(), thumbnail.getHeight())).isEqualTo(200);
    long sourceWidth = output.path("source_width").asLong();
    long sourceHeight = output.path("source_height").asLong();
    Assertions.assertThat(Math.abs(thumbnail.getWidth() * sourceHeight - thumbnail.getHeight() * sourceWidth))
        .as("width/height as source_width/source_height, up to rounding to whole pixels")
        .isLessThanOrEqualTo(Math.max(sourceWidth, sourceHeight));
    Assertions.assertThat(result.measurement().path("upload_size").asLong()).isEqualTo(jpeg.length);
  }
}
