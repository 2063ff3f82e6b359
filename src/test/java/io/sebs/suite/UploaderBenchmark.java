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
import io.sebs.junit.Warm;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 120.uploader: the function downloads a file over HTTP and stores it under the output prefix of the
 * benchmarks bucket. One subclass per language says which with {@code @ServerlessBenchmark}.
 *
 * <p>Nothing may be downloaded from outside this machine, so each test class serves the file itself (a
 * {@link LocalFileServer} on 127.0.0.1, started once per class). The generated input's URL is
 * {@code SEBS_UPLOADER_URL} or an unreachable placeholder (see input.py), so the measured tests name a
 * payload method ({@link #warmEvent}, {@link #coldEvent}) that keeps the generated bucket fields and points
 * the event at a file of that server; the framework invokes with it, validates the outputs against it with
 * input.py and records it in the results.
 */
abstract class UploaderBenchmark {

  private static LocalFileServer server;

  /** Upper bound of the median cold client time: the runtime and its storage client start first. */
  abstract Duration coldBudget();

  @BeforeAll
  static void startServer() throws IOException {
    server = LocalFileServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  /** The event of the warm measurements: the generated input, downloading {@code warm.bin} from the server. */
  static ObjectNode warmEvent(JsonNode input) {
    return event(input, server.url("warm.bin"));
  }

  /** The event of the cold measurements: the generated input, downloading {@code cold.bin} from the server. */
  static ObjectNode coldEvent(JsonNode input) {
    return event(input, server.url("cold.bin"));
  }

  @Test
  @Warm(repetitions = 10, warmup = 1, payload = "warmEvent")
  void warmUploadsLandUnderTheOutputPrefix(Measurements m, @BenchmarkInput JsonNode input, ObjectStorage storage) {
    assertThat(m).hasNoFailures().hasNoMisclassified();
    assertThat(m).clientTime().median().isLessThan(Calibrated.budget(Duration.ofSeconds(2)));
    uploadsAreStored(m, warmEvent(input), storage);
    eachInvocationDownloadedOnce("warm.bin", 1 + 10); // the warm-up downloads too
  }

  @Test
  @ColdStart(repetitions = 3, payload = "coldEvent")
  void coldUploadsStartTheRuntimeAndItsStorageClient(Measurements m, @BenchmarkInput JsonNode input,
      ObjectStorage storage) {
    assertThat(m).hasNoFailures().hasNoMisclassified().coldStartRate().isEqualTo(1.0);
    assertThat(m).clientTime().median().isLessThan(ColdBudget.of(m, coldBudget()));
    Assertions.assertThat(m.invocations()).as("one instance per cold invocation")
        .extracting(Invocation::containerId).doesNotHaveDuplicates();
    uploadsAreStored(m, coldEvent(input), storage);
    eachInvocationDownloadedOnce("cold.bin", 3);
  }

  @Test
  void generatedInputTargetsTheRunsBucket(@BenchmarkInput JsonNode input, ObjectStorage storage) {
    Assertions.assertThat(input.path("bucket").path("bucket").asText()).isEqualTo(storage.benchmarksBucket());
    Assertions.assertThat(input.path("bucket").path("output").asText()).isEqualTo("120.uploader-0-output");
    String configured = System.getenv("SEBS_UPLOADER_URL");
    String expected = configured == null || configured.isBlank()
        ? "http://127.0.0.1:9/sebs-uploader-set-SEBS_UPLOADER_URL/test.bin"
        : configured.strip().replace("{size}", "test");
    Assertions.assertThat(input.path("object").path("url").asText()).isEqualTo(expected);
  }

  @Test
  void aMissingFileFailsTheInvocation(FunctionInvoker invoker, @BenchmarkInput JsonNode input) {
    String url = server.url("missing.bin");
    Invocation invocation = invoker.invoke(event(input, url));
    Assertions.assertThat(invocation.failed()).as("%s", invocation).isTrue();
    Assertions.assertThat(invocation.failureReason())
        .hasValueSatisfying(reason -> Assertions.assertThat(reason).contains(url, "404"));
  }

  /**
   * The generated input (its bucket and output prefix) with the URL of a file of the test's server, and
   * the expected size and digest, which input.py's validate_output then checks as well.
   */
  private static ObjectNode event(JsonNode input, String url) {
    ObjectNode event = input.deepCopy();
    ObjectNode object = event.putObject("object");
    object.put("url", url);
    object.put("size", LocalFileServer.CONTENT.length);
    object.put("sha256", sha256(LocalFileServer.CONTENT));
    return event;
  }

  /**
   * Every measured invocation reported an upload of the served file, under its own key; the keys are
   * listed under the output prefix and hold exactly the served bytes.
   */
  private static void uploadsAreStored(Measurements m, JsonNode event, ObjectStorage storage) {
    for (Invocation invocation : m.invocations()) {
      assertUploaded(invocation, event);
    }
    String bucket = event.path("bucket").path("bucket").asText();
    String prefix = event.path("bucket").path("output").asText();
    List<String> keys = m.invocations().stream().map(i -> i.output().path("key").asText()).toList();
    Assertions.assertThat(keys).hasSize(m.invocations().size()).doesNotHaveDuplicates();
    Assertions.assertThat(storage.list(bucket, prefix + "/")).containsAll(keys);
    for (String key : keys) {
      byte[] stored = storage.download(bucket, key);
      Assertions.assertThat(stored).as("stored object %s", key).isEqualTo(LocalFileServer.CONTENT);
      Assertions.assertThat(sha256(stored)).as("sha256 of %s", key)
          .isEqualTo(event.path("object").path("sha256").asText());
    }
  }

  /** The function fetched the file from the test's server once per invocation, nothing else did. */
  private static void eachInvocationDownloadedOnce(String name, int invocations) {
    Assertions.assertThat(server.served(name)).as("downloads of %s from the test's server", name)
        .isEqualTo(invocations);
  }

  /** What input.py's validate_output checks, on one invocation, plus the function's own measurements. */
  private static void assertUploaded(Invocation invocation, JsonNode event) {
    JsonNode output = invocation.output();
    String prefix = event.path("bucket").path("output").asText();
    String url = event.path("object").path("url").asText();
    String name = url.substring(url.lastIndexOf('/') + 1);
    String stem = name.substring(0, name.lastIndexOf('.'));
    Assertions.assertThat(output.path("bucket").asText()).isEqualTo(event.path("bucket").path("bucket").asText());
    Assertions.assertThat(output.path("url").asText()).isEqualTo(url);
    Assertions.assertThat(output.path("key").asText()).matches(Pattern.quote(prefix + "/" + stem + ".")
        + "[0-9a-f]{8}" + Pattern.quote(name.substring(stem.length())));
    Assertions.assertThat(output.path("size").asLong()).isEqualTo(LocalFileServer.CONTENT.length);
    Assertions.assertThat(output.path("sha256").asText()).isEqualTo(event.path("object").path("sha256").asText());
    JsonNode measurement = invocation.measurement();
    Assertions.assertThat(measurement.path("download_size").asLong()).isEqualTo(LocalFileServer.CONTENT.length);
    Assertions.assertThat(measurement.path("download_time").asLong()).isPositive();
    Assertions.assertThat(measurement.path("upload_time").asLong()).isPositive();
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
