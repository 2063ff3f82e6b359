package io.sebs.suite;

import static io.sebs.junit.SebsAssertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.BenchmarkInput;
import io.sebs.junit.ColdStart;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Measurements;
import io.sebs.junit.ObjectStorage;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import io.sebs.suite.UploaderPythonTest.LocalFileServer;
import io.sebs.suite.UploaderPythonTest.UploaderChecks;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 120.uploader in Node.js: fetches a file over HTTP and stores it under the output prefix. Like
 * {@link UploaderPythonTest}, it serves the file itself and measures with events built by payload methods
 * from the generated input and its server's URL.
 */
@ServerlessBenchmark(value = "120.uploader", language = "nodejs")
class UploaderNodejsTest {

  private static LocalFileServer server;

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
    return UploaderChecks.event(input, server.url("warm.bin"));
  }

  /** The event of the cold measurements: the generated input, downloading {@code cold.bin} from the server. */
  static ObjectNode coldEvent(JsonNode input) {
    return UploaderChecks.event(input, server.url("cold.bin"));
  }

  @Test
  @Warm(repetitions = 10, warmup = 1, payload = "warmEvent")
  void warmUploadsLandUnderTheOutputPrefix(Measurements m, @BenchmarkInput JsonNode input, ObjectStorage storage) {
    assertThat(m).hasNoFailures().hasNoMisclassified();
    assertThat(m).clientTime().median().isLessThan(Duration.ofSeconds(2));
    UploaderChecks.uploadsAreStored(m, warmEvent(input), storage);
    UploaderChecks.eachInvocationDownloadedOnce(server, "warm.bin", 1 + 10); // the warm-up downloads too
  }

  @Test
  @ColdStart(repetitions = 3, payload = "coldEvent")
  void coldUploadsStartNodeAndTheS3Client(Measurements m, @BenchmarkInput JsonNode input, ObjectStorage storage) {
    assertThat(m).hasNoFailures().hasNoMisclassified().coldStartRate().isEqualTo(1.0);
    assertThat(m).clientTime().median().isLessThan(ColdBudget.of(m, Duration.ofSeconds(15)));
    UploaderChecks.eachOnANewInstance(m);
    UploaderChecks.uploadsAreStored(m, coldEvent(input), storage);
    UploaderChecks.eachInvocationDownloadedOnce(server, "cold.bin", 3);
  }

  @Test
  void aMissingFileFailsTheInvocation(FunctionInvoker invoker, @BenchmarkInput JsonNode input) {
    UploaderChecks.aMissingFileFailsTheInvocation(server, invoker, input);
  }
}
