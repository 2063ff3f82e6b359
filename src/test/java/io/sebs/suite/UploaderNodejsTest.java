package io.sebs.suite;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.BenchmarkInput;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.ObjectStorage;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.suite.UploaderPythonTest.LocalFileServer;
import io.sebs.suite.UploaderPythonTest.UploaderChecks;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 120.uploader in Node.js: fetches a file over HTTP and stores it under the output prefix. Like
 * {@link UploaderPythonTest}, it serves the file itself and measures with {@link FunctionInvoker} loops.
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

  @Test
  void warmUploadsLandUnderTheOutputPrefix(FunctionInvoker invoker, @BenchmarkInput JsonNode input,
      ObjectStorage storage) {
    UploaderChecks.warmUploadsLandUnderTheOutputPrefix(server, invoker, input, storage, Duration.ofSeconds(2));
  }

  @Test
  void coldUploadsStartNodeAndTheS3Client(FunctionInvoker invoker, @BenchmarkInput JsonNode input) {
    UploaderChecks.coldUploads(server, invoker, input, Duration.ofSeconds(15));
  }

  @Test
  void aMissingFileFailsTheInvocation(FunctionInvoker invoker, @BenchmarkInput JsonNode input) {
    UploaderChecks.aMissingFileFailsTheInvocation(server, invoker, input);
  }
}
