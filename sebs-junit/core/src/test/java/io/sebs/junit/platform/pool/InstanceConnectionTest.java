package io.sebs.junit.platform.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pool's HTTP/1.1 client against real loopback servers that answer the way the wrappers do
 * (Content-Length, chunked) and fail the ways instances fail (idle close, death mid-answer, too slow).
 */
class InstanceConnectionTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final byte[] BODY = "{\"sleep\":0}".getBytes(StandardCharsets.UTF_8);

  private ScriptedServer server;
  private InstanceConnection connection;

  @AfterEach
  void close() throws IOException {
    if (connection != null) {
      connection.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void sendsTheRequestWithItsHeadersAndReadsAContentLengthAnswer() throws Exception {
    server = new ScriptedServer((request, out, socket) -> out.write(contentLength("{\"ok\":true}")));
    connection = new InstanceConnection(server.endpoint());

    InstanceConnection.Answer answer = connection.post("req-1", BODY, TIMEOUT);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
    String request = server.requests.get(0);
    assertThat(request).startsWith("POST / HTTP/1.1\r\n")
        .contains("\r\nHost: 127.0.0.1:" + server.port() + "\r\n", "\r\nContent-Type: application/json\r\n",
            "\r\nContent-Length: 11\r\n", "\r\nX-Request-Id: req-1\r\n")
        .endsWith("\r\n\r\n{\"sleep\":0}");
  }

  @Test
  void reusesOneConnectionForConsecutiveRequests() throws Exception {
    server = new ScriptedServer((request, out, socket) -> out.write(contentLength("{}")));
    connection = new InstanceConnection(server.endpoint());

    for (int i = 0; i < 5; i++) {
      assertThat(connection.post("req-" + i, BODY, TIMEOUT).status()).isEqualTo(200);
    }

    assertThat(server.requests).hasSize(5);
    assertThat(server.connections.get()).isEqualTo(1);
  }

  @Test
  void readsAChunkedAnswerWithExtensionsAndTrailers() throws Exception {
    server = new ScriptedServer((request, out, socket) -> out.write(ascii(
        "HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\n{\"err\r\n" + "a\r\nor\":\"boom\"\r\n" + "1\r\n}\r\n" + "0\r\nX-Trailer: t\r\n\r\n")));
    connection = new InstanceConnection(server.endpoint());

    InstanceConnection.Answer first = connection.post("req-1", BODY, TIMEOUT);
    InstanceConnection.Answer second = connection.post("req-2", BODY, TIMEOUT);

    assertThat(first.status()).isEqualTo(500);
    assertThat(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo("{\"error\":\"boom\"}");
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(server.connections.get()).as("the chunked answer was read to its end, so the connection is reused")
        .isEqualTo(1);
  }

  @Test
  void readsAnAnswerWhosePartsArriveInSeparateSegments() throws Exception {
    // the head, then each chunk and its CRLF apart: every part is a read of its own
    String[] parts = {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "2\r\n", "{}", "\r\n", "0\r\n",
        "\r\n"};
    server = new ScriptedServer((request, out, socket) -> {
      for (String part : parts) {
        out.write(ascii(part));
        out.flush();
        sleep(20);
      }
    });
    connection = new InstanceConnection(server.endpoint());

    long start = System.nanoTime();
    InstanceConnection.Answer answer = connection.post("req-1", BODY, TIMEOUT);

    assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.dividedBy(2));
  }

  @Test
  void aNoContentAnswerHasNoBodyToWaitFor() throws Exception {
    server = new ScriptedServer((request, out, socket) -> out.write(ascii("HTTP/1.1 204 No Content\r\n\r\n")));
    connection = new InstanceConnection(server.endpoint());

    InstanceConnection.Answer answer = connection.post("req-1", BODY, Duration.ofSeconds(2));

    assertThat(answer.status()).isEqualTo(204);
    assertThat(answer.body()).isEmpty();
  }

  @Test
  void aNegativeChunkSizeIsAnInvalidAnswerNotACrash() throws Exception {
    server = new ScriptedServer((request, out, socket) -> out.write(ascii(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n")));
    connection = new InstanceConnection(server.endpoint());

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> connection.post("req-1", BODY, TIMEOUT))
        .isInstanceOf(IOException.class).hasMessageContaining("invalid chunk size");
  }

  @Test
  void reopensOnceWhenTheServerClosedTheIdleConnection() throws Exception {
    server = new ScriptedServer((request, out, socket) -> {
      out.write(contentLength("{}"));
      out.flush();
      socket.close(); // like an idle timeout, after the answer and before the next request
    });
    connection = new InstanceConnection(server.endpoint());
    connection.post("req-1", BODY, TIMEOUT);
    server.awaitClosedConnections(1);

    InstanceConnection.Answer answer = connection.post("req-2", BODY, TIMEOUT);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(server.connections.get()).isEqualTo(2);
    assertThat(server.requests).as("each request sent once").hasSize(2);
  }

  @Test
  void closesTheConnectionWhenTheAnswerSaysSo() throws Exception {
    server = new ScriptedServer((request, out, socket) -> out.write(ascii(
        "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}")));
    connection = new InstanceConnection(server.endpoint());

    connection.post("req-1", BODY, TIMEOUT);

    assertThat(connection.isOpen()).isFalse();
  }

  @Test
  void failsWithoutResendingWhenTheServerDiesMidAnswer() throws Exception {
    server = new ScriptedServer((request, out, socket) -> {
      out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"half\":"));
      out.flush();
      socket.close();
    });
    connection = new InstanceConnection(server.endpoint());

    assertThatThrownBy(() -> connection.post("req-1", BODY, TIMEOUT)).isInstanceOf(IOException.class)
        .hasMessageContaining("closed the connection");
    assertThat(server.requests).as("the request may have reached the function: never sent twice").hasSize(1);
    assertThat(connection.isOpen()).isFalse();
  }

  @Test
  void failsWithoutResendingWhenTheServerDiesBeforeAnswering() throws Exception {
    server = new ScriptedServer((request, out, socket) -> socket.close());
    connection = new InstanceConnection(server.endpoint());

    assertThatThrownBy(() -> connection.post("req-1", BODY, TIMEOUT)).isInstanceOf(IOException.class);
    assertThat(server.requests).hasSize(1);
  }

  @Test
  void timesOutWhenTheAnswerIsNotCompleteWithinTheTimeout() throws Exception {
    server = new ScriptedServer((request, out, socket) -> {
      out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{"));
      out.flush();
      sleep(3000);
    });
    connection = new InstanceConnection(server.endpoint());

    long start = System.nanoTime();
    assertThatThrownBy(() -> connection.post("req-1", BODY, Duration.ofMillis(300)))
        .isInstanceOf(SocketTimeoutException.class);
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(elapsedMs).isBetween(290L, 2500L);
    assertThat(connection.isOpen()).isFalse();
  }

  @Test
  void connectingToAPortNobodyListensOnFailsAtOnce() throws Exception {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    connection = new InstanceConnection(URI.create("http://127.0.0.1:" + port + "/"));

    assertThatThrownBy(() -> connection.post("req-1", BODY, TIMEOUT)).isInstanceOf(IOException.class)
        .isNotInstanceOf(SocketTimeoutException.class);
  }

  @Test
  void aPreparedRequestIsWrittenBySendAndAnsweredToTheThreadAlreadyWaiting() throws Exception {
    server = new ScriptedServer((request, out, socket) -> out.write(contentLength("{\"ok\":true}")));
    connection = new InstanceConnection(server.endpoint());
    connection.post("req-1", BODY, TIMEOUT);
    InstanceConnection.Exchange exchange = connection.prepare("req-2", BODY, TIMEOUT);
    java.util.concurrent.CompletableFuture<InstanceConnection.Answer> answer = awaitOnAThreadOfItsOwn(exchange);
    Thread.sleep(100);

    assertThat(server.requests).as("nothing is written before the send").hasSize(1);
    assertThat(exchange.send(System.nanoTime())).isTrue();

    assertThat(answer.get(5, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(server.requests).hasSize(2);
    assertThat(server.requests.get(1)).contains("\r\nX-Request-Id: req-2\r\n");
    assertThat(server.connections.get()).isEqualTo(1);
  }

  @Test
  void aPreparedRequestWhoseConnectionTheServerClosedBeforeTheSendIsWrittenOnceOnANewOne() throws Exception {
    server = new ScriptedServer((request, out, socket) -> {
      out.write(contentLength("{}"));
      out.flush();
      if (request.contains("req-1")) {
        sleep(200);
        socket.close(); // an idle timeout after the prepare, before the send
      }
    });
    connection = new InstanceConnection(server.endpoint());
    connection.post("req-1", BODY, TIMEOUT);
    InstanceConnection.Exchange exchange = connection.prepare("req-2", BODY, TIMEOUT);
    java.util.concurrent.CompletableFuture<InstanceConnection.Answer> answer = awaitOnAThreadOfItsOwn(exchange);
    server.awaitClosedConnections(1);

    exchange.send(System.nanoTime());

    assertThat(answer.get(5, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(server.connections.get()).isEqualTo(2);
    assertThat(server.requests).as("each request sent once").hasSize(2);
  }

  @Test
  void anExchangeInterruptedBeforeItsSendIsNeverSent() throws Exception {
    server = new ScriptedServer((request, out, socket) -> out.write(contentLength("{}")));
    connection = new InstanceConnection(server.endpoint());
    InstanceConnection.Exchange exchange = connection.prepare("req-1", BODY, TIMEOUT);
    java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
    Thread waiting = new Thread(() -> {
      try {
        exchange.await();
      } catch (IOException e) {
        thrown.set(e);
      }
    });
    waiting.start();
    Thread.sleep(100);

    waiting.interrupt();
    waiting.join(5000);

    assertThat(thrown.get()).isInstanceOf(java.io.InterruptedIOException.class);
    assertThat(exchange.send(System.nanoTime())).as("cancelled: the sender skips it").isFalse();
    Thread.sleep(100);
    assertThat(server.requests).isEmpty();
  }

  private static java.util.concurrent.CompletableFuture<InstanceConnection.Answer> awaitOnAThreadOfItsOwn(
      InstanceConnection.Exchange exchange) {
    java.util.concurrent.CompletableFuture<InstanceConnection.Answer> answer =
        new java.util.concurrent.CompletableFuture<>();
    Thread waiting = new Thread(() -> {
      try {
        answer.complete(exchange.await());
      } catch (IOException e) {
        answer.completeExceptionally(e);
      }
    });
    waiting.setDaemon(true);
    waiting.start();
    return answer;
  }

  private static byte[] contentLength(String json) {
    return ascii("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + json.length()
        + "\r\n\r\n" + json);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How the server answers one request. */
  @FunctionalInterface
  interface Script {
    void answer(String request, OutputStream out, Socket socket) throws IOException;
  }

  /** A loopback HTTP/1.1 server reading requests with Content-Length and answering with a script. */
  static final class ScriptedServer implements AutoCloseable {
    final List<String> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger closedConnections = new AtomicInteger();
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final ServerSocket socket;
    private final Script script;

    ScriptedServer(Script script) throws IOException {
      this.script = script;
      this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread acceptor = new Thread(this::accept, "scripted-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    URI endpoint() {
      return URI.create("http://127.0.0.1:" + port() + "/");
    }

    void awaitClosedConnections(int count) throws InterruptedException {
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (closedConnections.get() < count && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      Thread.sleep(50); // let the FIN reach the client
    }

    private void accept() {
      while (!socket.isClosed()) {
        try {
          Socket client = socket.accept();
          accepted.add(client);
          connections.incrementAndGet();
          Thread serving = new Thread(() -> serve(client), "scripted-connection");
          serving.setDaemon(true);
          serving.start();
        } catch (IOException closed) {
          return;
        }
      }
    }

    private void serve(Socket client) {
      try (client) {
        InputStream in = client.getInputStream();
        OutputStream out = client.getOutputStream();
        while (!client.isClosed()) {
          String request = readRequest(in);
          if (request == null) {
            return;
          }
          requests.add(request);
          script.answer(request, out, client);
          if (!client.isClosed()) {
            out.flush();
          }
        }
      } catch (IOException ignored) {
        // the client went away
      } finally {
        closedConnections.incrementAndGet();
      }
    }

    private static String readRequest(InputStream in) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      while (!bytes.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          return null;
        }
        bytes.write(b);
      }
      String head = bytes.toString(StandardCharsets.ISO_8859_1);
      int at = head.indexOf("Content-Length: ") + "Content-Length: ".length();
      int length = Integer.parseInt(head.substring(at, head.indexOf("\r\n", at)));
      bytes.write(in.readNBytes(length));
      return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    /** Stops listening and closes every connection, as a dying instance does. */
    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket client : accepted) {
        client.close();
      }
    }
  }
}
