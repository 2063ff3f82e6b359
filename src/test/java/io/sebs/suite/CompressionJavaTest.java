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
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * 311.compression in Java: downloads the generated tree (size test: 8 files of 4 KiB in 2 folders) from
 * object storage, zips it with java.util.zip and stores the archive, through the wrapper's S3 client
 * (AWS SDK v2).
 */
@ServerlessBenchmark(value = "311.compression", language = "java")
class CompressionJavaTest {

  @Test
  @Warm(repetitions = 10, warmup = 2)
  void warmArchivesStayFast(Measurements m) {
    assertThat(m).hasNoFailures().hasNoMisclassified();
    assertThat(m).clientTime().medianUpperBound().isLessThan(Duration.ofMillis(500));
  }

  @Test
  @ColdStart(repetitions = 3)
  void coldStartsLoadTheJvmAndTheStorageClient(Measurements m) {
    assertThat(m).hasNoFailures().coldStartRate().isEqualTo(1.0);
    assertThat(m).clientTime().median().isLessThan(ColdBudget.of(m, Duration.ofSeconds(5)));
  }

  @Test
  void storesAZipOfTheDatasetTree(FunctionInvoker invoker, ObjectStorage storage, @BenchmarkInput JsonNode input)
      throws IOException {
    Invocation result = invoker.invoke();
    Assertions.assertThat(result.failed()).as("%s", result).isFalse();

    JsonNode output = result.output();
    String dataset = input.path("object").path("key").asText();
    String key = output.path("key").asText();
    Assertions.assertThat(key).matches(input.path("bucket").path("output").asText() + "/" + dataset
        + "\\.[0-9a-f]{8}\\.zip");
    byte[] archive = storage.download(storage.benchmarksBucket(), key);
    Assertions.assertThat(output.path("size").asLong()).isEqualTo(archive.length);

    List<String> files = new ArrayList<>();
    long bytes = 0;
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        Assertions.assertThat(entry.getName()).startsWith(dataset + "/");
        if (!entry.isDirectory()) {
          files.add(entry.getName());
          bytes += zip.readAllBytes().length;
        }
      }
    }
    Assertions.assertThat(files).hasSize(8).allMatch(f -> f.matches(dataset + "/part-0[01]/doc-000[0-7]\\.txt"));
    Assertions.assertThat(bytes).isEqualTo(8 * 4096).isEqualTo(output.path("uncompressed_size").asLong());
    Assertions.assertThat(output.path("files").asInt()).isEqualTo(8);
    Assertions.assertThat(result.measurement().path("upload_size").asLong()).isEqualTo(archive.length);
  }
}
