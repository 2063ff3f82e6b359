package io.sebs.suite;

import static io.sebs.junit.SebsAssertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.AdaptiveRepetitions;
import io.sebs.junit.Baseline;
import io.sebs.junit.BenchmarkInput;
import io.sebs.junit.ColdStart;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.ObjectStorage;
import io.sebs.junit.Warm;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * 311.compression: the function downloads a generated text tree (size test: 8 files of 4 KiB in 2 folders)
 * from the input prefix of object storage, zips it and stores the archive under the output prefix. One
 * subclass per language says which with {@code @ServerlessBenchmark} (Python and Node.js as in SeBS, Java in
 * addition).
 */
abstract class CompressionBenchmark {

  /**
   * The language's budgets: {@code warm} is the warm client time median's budget, judged on its confidence
   * interval (three-way: see the package), {@code cold} the median cold client time on the local platform
   * (the runtime and its storage client start first).
   */
  record Budgets(Duration warm, Duration cold) {}

  /** The budgets of the subclass's language. */
  abstract Budgets budgets();

  @Test
  @Warm(repetitions = 30, warmup = 2)
  @AdaptiveRepetitions(relativeError = 0.10, minimum = 10)
  void warmArchivesStayFast(Measurements m, Baseline baseline) {
    assertThat(m).hasNoFailures().hasNoMisclassified();
    assertThat(m).clientTime().medianIsWithinBudget(Calibrated.budget(budgets().warm()));
    RegressionCheck.clientTimeNotSlower(m, baseline);
  }

  @Test
  @ColdStart(repetitions = 3)
  void coldStartsLoadTheRuntimeAndTheStorageClient(Measurements m) {
    assertThat(m).hasNoFailures().coldStartRate().isEqualTo(1.0);
    assertThat(m).clientTime().median().isLessThan(ColdBudget.of(m, budgets().cold()));
  }

  @Test
  void theStoredArchiveHoldsTheInputFiles(FunctionInvoker invoker, @BenchmarkInput JsonNode input,
      ObjectStorage storage) throws IOException {
    String bucket = input.path("bucket").path("bucket").asText();
    String inputPrefix = input.path("bucket").path("input").asText();
    String outputPrefix = input.path("bucket").path("output").asText();
    String dataset = input.path("object").path("key").asText();
    Assertions.assertThat(bucket).isEqualTo(storage.benchmarksBucket());
    Assertions.assertThat(dataset).isEqualTo("generated-test");
    List<String> inputs = storage.list(bucket, inputPrefix + "/" + dataset + "/");
    Assertions.assertThat(inputs).as("generated input objects").hasSize(8);

    Invocation invocation = invoker.invoke();
    Assertions.assertThat(invocation.failed()).as("%s", invocation).isFalse();
    JsonNode output = invocation.output();
    String key = output.path("key").asText();
    Assertions.assertThat(key).matches(Pattern.quote(outputPrefix + "/" + dataset + ".") + "[0-9a-f]{8}\\.zip");
    Assertions.assertThat(storage.list(bucket, outputPrefix + "/")).contains(key);

    byte[] archive = storage.download(bucket, key);
    Assertions.assertThat(archive.length).isEqualTo(output.path("size").asInt());
    Assertions.assertThat(invocation.measurement().path("upload_size").asInt()).isEqualTo(archive.length);

    List<String> files = new ArrayList<>();
    long total = 0;
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
      for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        Assertions.assertThat(entry.getName()).startsWith(dataset + "/");
        if (entry.isDirectory()) {
          continue;
        }
        byte[] content = zip.readAllBytes();
        Assertions.assertThat(content).as(entry.getName())
            .isEqualTo(storage.download(bucket, inputPrefix + "/" + entry.getName()));
        files.add(entry.getName());
        total += content.length;
      }
    }
    Assertions.assertThat(files).hasSize(8).allMatch(f -> f.matches(Pattern.quote(dataset)
        + "/part-0[01]/doc-000[0-7]\\.txt"));
    Assertions.assertThat(files).map(f -> inputPrefix + "/" + f).containsExactlyInAnyOrderElementsOf(inputs);
    Assertions.assertThat(total).isEqualTo(8 * 4096);
    Assertions.assertThat(output.path("files").asInt()).isEqualTo(files.size());
    Assertions.assertThat(output.path("uncompressed_size").asLong()).isEqualTo(total);
    Assertions.assertThat(invocation.measurement().path("download_size").asLong()).isEqualTo(total);
  }
}
