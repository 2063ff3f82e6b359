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
 * 210.thumbnailer in Java: reads an 800 x 600 PNG (size test) from object storage, shrinks it with ImageIO
 * and Java2D to fit 200 x 200 and writes the JPEG thumbnail back, through the wrapper's S3 client (AWS SDK v2).
 */
@ServerlessBenchmark(value = "210.thumbnailer", language = "java")
class ThumbnailerJavaTest {

  @Test
  @Warm(repetitions = 10, warmup = 2)
  void warmThumbnailsStayFast(Measurements m) {
    assertThat(m).hasNoFailures().hasNoMisclassified();
    assertThat(m).clientTime().medianUpperBound().isLessThan(Duration.ofMillis(500));
  }

  @Test
  @ColdStart(repetitions = 3)
  void coldStartsLoadTheJvmImageIoAndJava2d(Measurements m) {
    assertThat(m).hasNoFailures().coldStartRate().isEqualTo(1.0);
    assertThat(m).clientTime().median().isLessThan(ColdBudget.of(m, Duration.ofSeconds(6)));
  }

  @Test
  void storesAJpegThatFitsTheBox(FunctionInvoker invoker, ObjectStorage storage, @BenchmarkInput JsonNode input)
      throws IOException {
    Invocation result = invoker.invoke();
    Assertions.assertThat(result.failed()).as("%s", result).isFalse();

    JsonNode output = result.output();
    String key = output.path("key").asText();
    String outputPrefix = input.path("bucket").path("output").asText();
    Assertions.assertThat(key).startsWith(outputPrefix + "/").endsWith(".jpg");
    Assertions.assertThat(storage.list(storage.benchmarksBucket(), outputPrefix)).contains(key);
    Assertions.assertThat(output.path("format").asText()).isEqualTo("JPEG");

    byte[] jpeg = storage.download(storage.benchmarksBucket(), key);
    Assertions.assertThat(jpeg).startsWith((byte) 0xFF, (byte) 0xD8); // JPEG SOI marker
    BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(jpeg));
    Assertions.assertThat(thumbnail).isNotNull();
    // 800 x 600 shrunk into 200 x 200 with its 4:3 aspect ratio kept
    Assertions.assertThat(thumbnail.getWidth()).isEqualTo(200).isEqualTo(output.path("width").asInt());
    Assertions.assertThat(thumbnail.getHeight()).isEqualTo(150).isEqualTo(output.path("height").asInt());
    Assertions.assertThat(output.path("source_width").asInt()).isEqualTo(800);
    Assertions.assertThat(output.path("source_height").asInt()).isEqualTo(600);
    Assertions.assertThat(result.measurement().path("upload_size").asLong()).isEqualTo(jpeg.length);
    Assertions.assertThat(result.measurement().path("download_size").asLong()).isPositive();
  }

  @Test
  void aMissingImageFailsTheInvocationWithTheStorageError(FunctionInvoker invoker, @BenchmarkInput JsonNode input) {
    var event = input.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) event.path("object")).put("key", "no-such-image.png");

    Invocation result = invoker.invoke(event);

    Assertions.assertThat(result.failed()).isTrue();
    Assertions.assertThat(result.failureReason()).hasValueSatisfying(r -> Assertions.assertThat(r)
        .contains("java.io.IOException").contains("404").contains("NoSuchKey"));
  }
}
