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
 * 210.thumbnailer in Node.js: reads an 800 x 600 PNG (size test) from object storage, resizes it with sharp
 * to exactly 200 x 200 (cropping to cover) and writes the PNG thumbnail back.
 */
@ServerlessBenchmark(value = "210.thumbnailer", language = "nodejs")
class ThumbnailerNodejsTest {

  @Test
  @Warm(repetitions = 10, warmup = 1)
  void warmThumbnailsStayFast(Measurements m) {
    assertThat(m).hasNoFailures().hasNoMisclassified();
    assertThat(m).clientTime().medianUpperBound().isLessThan(Duration.ofMillis(500));
  }

  @Test
  @ColdStart(repetitions = 3)
  void coldStartsLoadSharpAndTheStorageClient(Measurements m) {
    assertThat(m).hasNoFailures().coldStartRate().isEqualTo(1.0);
    assertThat(m).clientTime().median().isLessThan(ColdBudget.of(m, Duration.ofSeconds(5)));
  }

  @Test
  void storesAPngOfTheRequestedSize(FunctionInvoker invoker, ObjectStorage storage, @BenchmarkInput JsonNode input)
      throws IOException {
    Invocation result = invoker.invoke();
    Assertions.assertThat(result.failed()).as("%s", result).isFalse();

    JsonNode output = result.output();
    String key = output.path("key").asText();
    Assertions.assertThat(key).startsWith(input.path("bucket").path("output").asText() + "/").endsWith(".png");
    Assertions.assertThat(storage.list(storage.benchmarksBucket(), input.path("bucket").path("output").asText()))
        .contains(key);

    byte[] png = storage.download(storage.benchmarksBucket(), key);
    BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(png));
    Assertions.assertThat(thumbnail).isNotNull();
    Assertions.assertThat(thumbnail.getWidth()).isEqualTo(200).isEqualTo(output.path("width").asInt());
    Assertions.assertThat(thumbnail.getHeight()).isEqualTo(200).isEqualTo(output.path("height").asInt());
    Assertions.assertThat(result.measurement().path("upload_size").asLong()).isEqualTo(png.length);
  }
}
