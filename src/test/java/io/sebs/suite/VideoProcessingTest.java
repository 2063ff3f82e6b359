package io.sebs.suite;

import static io.sebs.junit.SebsAssertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.BenchmarkInput;
import io.sebs.junit.ColdStart;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.ObjectStorage;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * 220.video-processing in Python: ffmpeg watermarks the first second of a 3 s, 320 x 240 test-pattern video
 * (size test) and the result goes back to object storage. Needs the ffmpeg binary on PATH
 * ({@code apt-get install ffmpeg}).
 */
@ServerlessBenchmark(value = "220.video-processing", language = "python")
class VideoProcessingTest {

  @Test
  @Warm(repetitions = 6, warmup = 1)
  void warmWatermarkingStaysFast(Measurements m) {
    assertThat(m).hasNoFailures().hasNoMisclassified();
    assertThat(m).clientTime().median().isLessThan(Calibrated.budget(Duration.ofSeconds(3)));
  }

  @Test
  @ColdStart(repetitions = 3)
  void coldStartsCreateTheStorageClientFirst(Measurements m) {
    assertThat(m).hasNoFailures().coldStartRate().isEqualTo(1.0);
    assertThat(m).clientTime().median().isLessThan(ColdBudget.of(m, Duration.ofSeconds(6)));
  }

  @ParameterizedTest
  @CsvSource({"watermark, mp4", "extract-gif, gif", "transcode, mp3"})
  void everyOperationStoresItsResult(String op, String extension, FunctionInvoker invoker,
      ObjectStorage storage, @BenchmarkInput JsonNode input) {
    ObjectNode event = input.deepCopy();
    ((ObjectNode) event.path("object")).put("op", op);

    Invocation result = invoker.invoke(event);
    Assertions.assertThat(result.failed()).as("%s", result).isFalse();

    JsonNode output = result.output();
    String outputPrefix = input.path("bucket").path("output").asText();
    String key = output.path("key").asText();
    Assertions.assertThat(key).startsWith(outputPrefix + "/").endsWith("." + extension);
    Assertions.assertThat(output.path("duration").asDouble()).isBetween(0.9, 1.35);
    Assertions.assertThat(storage.list(storage.benchmarksBucket(), outputPrefix)).contains(key);

    byte[] media = storage.download(storage.benchmarksBucket(), key);
    Assertions.assertThat((long) media.length).isEqualTo(result.measurement().path("upload_size").asLong());
    switch (extension) {
      case "gif" -> Assertions.assertThat(new String(media, 0, 6, StandardCharsets.US_ASCII)).isEqualTo("GIF89a");
      case "mp4" -> Assertions.assertThat(new String(media, 4, 4, StandardCharsets.US_ASCII)).isEqualTo("ftyp");
      default -> Assertions.assertThat(Arrays.copyOf(media, 3)).satisfiesAnyOf(
          head -> Assertions.assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("ID3"),
          head -> Assertions.assertThat(head[0] & 0xFF).isEqualTo(0xFF)); // an MPEG audio frame sync
    }
  }
}
