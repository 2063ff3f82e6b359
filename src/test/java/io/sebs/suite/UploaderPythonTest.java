package io.sebs.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sebs.junit.BenchmarkInput;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.ObjectStorage;
import io.sebs.junit.ServerlessBenchmark;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 120.uploader in Python: downloads a file over HTTP and stores it under the output prefix.
 *
 * <p>Nothing may be downloaded from outside this machine, so the test serves the file itself (a JDK
 * {@code HttpServer} on 127.0.0.1) and invokes the function with the generated input's bucket fields and
 * its own URL. The generated input's URL is {@code SEBS_UPLOADER_URL} or an unreachable placeholder (see
 * input.py), so this class measures with {@link FunctionInvoker} loops instead of {@code @Warm} /
 * {@code @ColdStart}, which would invoke with the generated URL.
 */
@ServerlessBenchmark(value = "120.uploader", language = "python")
class UploaderPythonTest {

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
  void coldUploadsStartAnInterpreterAndBoto3(FunctionInvoker invoker, @BenchmarkInput JsonNode input) {
    UploaderChecks.coldUploads(server, invoker, input, Duration.ofSeconds(15));
  }

  @Test
  void generatedInputTargetsTheRunsBucket(@BenchmarkInput JsonNode input, ObjectStorage storage) {
    UploaderChecks.generatedInputTargetsTheRunsBucket(input, storage);
  }

  @Test
  void aMissingFileFailsTheInvocation(FunctionInvoker invoker, @BenchmarkInput JsonNode input) {
    UploaderChecks.aMissingFileFailsTheInvocation(server, invoker, input);
  }

  /** Serves {@link #CONTENT} at {@code /files/<any name>}, 404 elsewhere, on an ephemeral loopback port. */
  static final class LocalFileServer implements AutoCloseable {

    /** 256 KiB of seeded random bytes (SeBS's "test" picture is about 230 kB). */
    static final byte[] CONTENT = content(256 * 1024, 120);

    private final HttpServer http;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final AtomicInteger served = new AtomicInteger();

    private LocalFileServer(HttpServer http) {
      this.http = http;
    }

    static LocalFileServer start() throws IOException {
      HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      LocalFileServer server = new LocalFileServer(http);
      http.createContext("/", server::handle);
      http.setExecutor(server.executor);
      http.start();
      return server;
    }

    private void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        String path = exchange.getRequestURI().getPath();
        boolean found = "GET".equals(exchange.getRequestMethod()) && path.startsWith("/files/")
            && path.length() > "/files/".length() && !path.startsWith("/files/missing");
        if (!found) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, CONTENT.length);
        try (OutputStream body = exchange.getResponseBody()) {
          body.write(CONTENT);
        }
        served.incrementAndGet();
      }
    }

    String url(String name) {
      return "http://127.0.0.1:" + http.getAddress().getPort() + "/files/" + name;
    }

    int served() {
      return served.get();
    }

    @Override
    public void close() {
      http.stop(0);
      executor.shutdownNow();
    }

    private static byte[] content(int size, long seed) {
      byte[] bytes = new byte[size];
      SplittableRandom random = new SplittableRandom(seed);
      for (int i = 0; i < size; i++) {
        bytes[i] = (byte) random.nextInt(256);
      }
      return bytes;
    }
  }

  /** The checks, shared with {@link UploaderNodejsTest}. */
  static final class UploaderChecks {

    static final int WARM_REPETITIONS = 10;
    static final int COLD_REPETITIONS = 3;

    private UploaderChecks() {}

    /** The generated input with the URL of a file of the test's server, and the expected size and digest. */
    static ObjectNode payload(JsonNode input, String url) {
      ObjectNode payload = input.deepCopy();
      ObjectNode object = payload.putObject("object");
      object.put("url", url);
      object.put("size", LocalFileServer.CONTENT.length);
      object.put("sha256", sha256(LocalFileServer.CONTENT));
      return payload;
    }

    static void warmUploadsLandUnderTheOutputPrefix(LocalFileServer server, FunctionInvoker invoker, JsonNode input,
        ObjectStorage storage, Duration medianBudget) {
      ObjectNode payload = payload(input, server.url("sample.bin"));
      String bucket = input.path("bucket").path("bucket").asText();
      String prefix = input.path("bucket").path("output").asText();
      int servedBefore = server.served();

      Invocation warmup = invoker.invoke(payload);
      assertThat(warmup.failed()).as("warm-up %s", warmup).isFalse();
      List<Invocation> measured = new ArrayList<>();
      for (int i = 0; i < WARM_REPETITIONS; i++) {
        measured.add(invoker.invoke(payload));
      }

      for (Invocation invocation : measured) {
        assertThat(invocation.failed()).as("%s", invocation).isFalse();
        assertThat(invocation.isCold()).as("warm invocation reported a cold start: %s", invocation).isFalse();
        assertUploaded(invocation, payload);
      }
      assertThat(server.served()).as("downloads from the test's server").isEqualTo(servedBefore + 1 + WARM_REPETITIONS);

      List<String> stored = storage.list(bucket, prefix + "/");
      List<String> keys = measured.stream().map(i -> i.output().path("key").asText()).toList();
      assertThat(keys).doesNotHaveDuplicates();
      assertThat(stored).containsAll(keys);
      assertThat(storage.download(bucket, keys.get(0))).isEqualTo(LocalFileServer.CONTENT);

      Duration median = median(measured, Invocation::clientTime);
      System.out.printf("%s warm: median client %d ms, median benchmark %d ms (n=%d)%n", invoker.functionName(),
          median.toMillis(), median(measured, Invocation::benchmarkTime).toMillis(), measured.size());
      assertThat(median).isLessThan(medianBudget);
    }

    static void coldUploads(LocalFileServer server, FunctionInvoker invoker, JsonNode input, Duration medianBudget) {
      ObjectNode payload = payload(input, server.url("cold.bin"));
      List<Invocation> measured = new ArrayList<>();
      for (int i = 0; i < COLD_REPETITIONS; i++) {
        invoker.enforceColdStart();
        measured.add(invoker.invoke(payload));
      }
      for (Invocation invocation : measured) {
        assertThat(invocation.failed()).as("%s", invocation).isFalse();
        assertThat(invocation.isCold()).as("after enforceColdStart: %s", invocation).isTrue();
        assertUploaded(invocation, payload);
      }
      assertThat(measured.stream().map(Invocation::containerId).distinct()).hasSize(COLD_REPETITIONS);

      Duration median = median(measured, Invocation::clientTime);
      System.out.printf("%s cold: median client %d ms, median benchmark %d ms (n=%d)%n", invoker.functionName(),
          median.toMillis(), median(measured, Invocation::benchmarkTime).toMillis(), measured.size());
      assertThat(median).isLessThan(medianBudget);
    }

    static void generatedInputTargetsTheRunsBucket(JsonNode input, ObjectStorage storage) {
      assertThat(input.path("bucket").path("bucket").asText()).isEqualTo(storage.benchmarksBucket());
      assertThat(input.path("bucket").path("output").asText()).isEqualTo("120.uploader-0-output");
      String configured = System.getenv("SEBS_UPLOADER_URL");
      String expected = configured == null || configured.isBlank()
          ? "http://127.0.0.1:9/sebs-uploader-set-SEBS_UPLOADER_URL/test.bin"
          : configured.strip().replace("{size}", "test");
      assertThat(input.path("object").path("url").asText()).isEqualTo(expected);
    }

    static void aMissingFileFailsTheInvocation(LocalFileServer server, FunctionInvoker invoker, JsonNode input) {
      String url = server.url("missing.bin");
      Invocation invocation = invoker.invoke(payload(input, url));
      assertThat(invocation.failed()).as("%s", invocation).isTrue();
      assertThat(invocation.failureReason()).hasValueSatisfying(reason -> assertThat(reason).contains(url, "404"));
    }

    /** What input.py's validate_output checks, on one invocation. */
    static void assertUploaded(Invocation invocation, JsonNode payload) {
      JsonNode output = invocation.output();
      String prefix = payload.path("bucket").path("output").asText();
      String url = payload.path("object").path("url").asText();
      String name = url.substring(url.lastIndexOf('/') + 1);
      String stem = name.substring(0, name.lastIndexOf('.'));
      assertThat(output.path("bucket").asText()).isEqualTo(payload.path("bucket").path("bucket").asText());
      assertThat(output.path("url").asText()).isEqualTo(url);
      assertThat(output.path("key").asText()).matches(java.util.regex.Pattern.quote(prefix + "/" + stem + ".")
          + "[0-9a-f]{8}" + java.util.regex.Pattern.quote(name.substring(stem.length())));
      assertThat(output.path("size").asLong()).isEqualTo(LocalFileServer.CONTENT.length);
      assertThat(output.path("sha256").asText()).isEqualTo(payload.path("object").path("sha256").asText());
      JsonNode m = invocation.measurement();
      assertThat(m.path("download_size").asLong()).isEqualTo(LocalFileServer.CONTENT.length);
      assertThat(m.path("download_time").asLong()).isPositive();
      assertThat(m.path("upload_time").asLong()).isPositive();
    }

    static Duration median(List<Invocation> invocations, java.util.function.Function<Invocation, Duration> metric) {
      List<Duration> sorted = invocations.stream().map(metric).sorted().toList();
      int n = sorted.size();
      return n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
    }

    static String sha256(byte[] bytes) {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
