package io.sebs.suite;

import static io.sebs.junit.SebsAssertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.AdaptiveRepetitions;
import io.sebs.junit.Baseline;
import io.sebs.junit.BenchmarkInput;
import io.sebs.junit.ColdStart;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.ObjectStorage;
import io.sebs.junit.Warm;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * 210.thumbnailer: the function reads an 800 x 600 PNG (size test) from object storage, shrinks it into a
 * 200 x 200 box and writes the thumbnail back under the output prefix. Each subclass says which language
 * with {@code @ServerlessBenchmark}. How the box is filled and which format is written differ by language
 * (as in SeBS): Python's Pillow and Java's ImageIO shrink the image to fit the box and write a JPEG, which
 * {@link #assertThumbnail} checks; Node.js's sharp crops to cover the box and writes a PNG, and its
 * subclass overrides the check.
 */
abstract class ThumbnailerBenchmark {

  /** Upper bound of the median cold client time: the runtime, its image library and storage client load. */
  abstract Duration coldBudget();

  @Test
  @Warm(repetitions = 30, warmup = 2)
  @AdaptiveRepetitions(relativeError = 0.10, minimum = 10)
  void warmThumbnailsStayFast(Measurements m, Baseline baseline) {
    assertThat(m).hasNoFailures().hasNoMisclassified();
    assertThat(m).clientTime().medianIsWithinBudget(Calibrated.budget(Duration.ofMillis(500)));
    RegressionCheck.clientTimeNotSlower(m, baseline);
  }

  @Test
  @ColdStart(repetitions = 3)
  void coldStartsLoadTheImageLibraryAndTheStorageClient(Measurements m) {
    assertThat(m).hasNoFailures().coldStartRate().isEqualTo(1.0);
    assertThat(m).clientTime().median().isLessThan(ColdBudget.of(m, coldBudget()));
  }

  @Test
  void storesTheThumbnailUnderTheOutputPrefix(FunctionInvoker invoker, ObjectStorage storage,
      @BenchmarkInput JsonNode input) throws IOException {
    Invocation result = invoker.invoke();
    Assertions.assertThat(result.failed()).as("%s", result).isFalse();

    JsonNode output = result.output();
    String key = output.path("key").asText();
    String outputPrefix = input.path("bucket").path("output").asText();
    Assertions.assertThat(key).startsWith(outputPrefix + "/");
    Assertions.assertThat(storage.list(storage.benchmarksBucket(), outputPrefix)).contains(key);
    Assertions.assertThat(output.path("source_width").asInt()).isEqualTo(800);
    Assertions.assertThat(output.path("source_height").asInt()).isEqualTo(600);

    byte[] encoded = storage.download(storage.benchmarksBucket(), key);
    BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(encoded));
    Assertions.assertThat(thumbnail).as("the stored thumbnail, decoded").isNotNull();
    Assertions.assertThat(thumbnail.getWidth()).isEqualTo(output.path("width").asInt());
    Assertions.assertThat(thumbnail.getHeight()).isEqualTo(output.path("height").asInt());
    assertThumbnail(key, output, encoded, thumbnail);
    Assertions.assertThat(result.measurement().path("upload_size").asLong()).isEqualTo(encoded.length);
    Assertions.assertThat(result.measurement().path("download_size").asLong()).isPositive();
  }

  @Test
  void aMissingImageFailsTheInvocationWithTheStorageError(FunctionInvoker invoker, @BenchmarkInput JsonNode input) {
    ObjectNode event = input.deepCopy();
    ((ObjectNode) event.path("object")).put("key", "no-such-image.png");

    Invocation result = invoker.invoke(event);

    Assertions.assertThat(result.failed()).as("%s", result).isTrue();
    Assertions.assertThat(result.failureReason()).hasValueSatisfying(this::assertStorageError);
  }

  /**
   * The failure reason of a missing source image: the storage's not-found error, as S3 words it (local, docker,
   * aws), Cloud Storage does (gcp) or the Workers storage module over an R2 binding does (cloudflare-local).
   */
  void assertStorageError(String reason) {
    Assertions.assertThat(reason).satisfiesAnyOf(
        r -> Assertions.assertThat(r).contains("NoSuchKey").contains("The specified key does not exist"),
        r -> Assertions.assertThat(r).contains("404").contains("No such object"),
        r -> Assertions.assertThat(r).contains("no object \"").contains("no-such-image.png\" in bucket"));
  }

  /**
   * The language's own checks of the stored thumbnail: its key's extension, the format the function
   * reports, the encoded bytes and the decoded image's size against the 200 x 200 box. Here: a JPEG shrunk
   * to fit inside the box with the source's aspect ratio kept, so the generated 800 x 600 image becomes
   * 200 x 150 (Pillow's {@code thumbnail()}, ImageIO with Java2D).
   */
  void assertThumbnail(String key, JsonNode output, byte[] encoded, BufferedImage thumbnail) {
    Assertions.assertThat(key).endsWith(".jpg");
    Assertions.assertThat(output.path("format").asText()).isEqualTo("JPEG");
    Assertions.assertThat(encoded).startsWith((byte) 0xFF, (byte) 0xD8); // JPEG SOI marker
    Assertions.assertThat(Math.max(thumbnail.getWidth(), thumbnail.getHeight())).isEqualTo(200);
    long sourceWidth = output.path("source_width").asLong();
    long sourceHeight = output.path("source_height").asLong();
    Assertions.assertThat(Math.abs(thumbnail.getWidth() * sourceHeight - thumbnail.getHeight() * sourceWidth))
        .as("width/height as source_width/source_height, up to rounding to whole pixels")
        .isLessThanOrEqualTo(Math.max(sourceWidth, sourceHeight));
    Assertions.assertThat(thumbnail.getWidth()).isEqualTo(200);
    Assertions.assertThat(thumbnail.getHeight()).isEqualTo(150);
  }
}
