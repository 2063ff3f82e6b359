package io.sebs.junit.platform.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.PreparedFunction;
import io.sebs.junit.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP side of the Python, Node.js and Java wrappers, spoken by hand on their sockets: what the harness's own
 * client never sends (errors, chunked and split bodies, pipelining, Expect: 100-continue, several connections), so
 * that a leaner server loop (the Python wrapper parses HTTP itself, on the main thread; the Java one with
 * sebs.wrapper.Http11Server) keeps every behaviour.
 */
class WrapperHttpTest {

  private static final String ECHO = "{\"message\": \"hi\"}";

  @TempDir
  java.nio.file.Path results;

  private BenchmarkRun run;

  @AfterEach
  void closeRun() {
    if (run != null) {
      run.close();
    }
  }

  /** An instance of the echo fixture that has answered once (so the next answers are warm), and its endpoint. */
  private URI endpoint(String language) {
    run = new BenchmarkRun(Fixtures.config(results, "sebs.local.keepAlive", "60s"));
    PreparedFunction prepared = run.prepare(run.spec("901.echo", language, "", "test", 0, 30));
    assertThat(prepared.invoker().invoke().failed()).isFalse();
    return ((LocalPlatform) run.platform()).idleEndpoints(prepared.deployed()).get(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "nodejs", "java"})
  void healthNotFoundWrongMethodBadJsonAndBadRequestLineAreJsonAnswers(String language) throws IOException {
    URI endpoint = endpoint(language);
    try (Conn c = new Conn(endpoint)) {
      c.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.answer()).startsWith("HTTP/1.1 200 ").containsPattern("\\{\"status\": ?\"ok\"\\}$");
      c.send("GET /nothing?x=1 HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.answer()).startsWith("HTTP/1.1 404 ").contains("use GET /health or POST an event");
      c.send("DELETE / HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.answer()).startsWith("HTTP/1.1 405 ").contains("method DELETE not supported");
      c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n{bad");
      assertThat(c.answer()).startsWith("HTTP/1.1 400 ").contains("the request body is not valid JSON");
      // all of the above kept the connection open
      c.send(post("k-1", ECHO));
      assertThat(compact(c.answer())).startsWith("HTTP/1.1 200 ").contains("\"request_id\":\"k-1\"");
    }
    try (Conn c = new Conn(endpoint)) {
      c.send("nonsense\r\n\r\n");
      String answer = c.answer();
      assertThat(answer).startsWith("HTTP/1.1 400 ");
      assertThat(answer.toLowerCase(Locale.ROOT)).contains("connection: close");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "nodejs", "java"})
  void chunkedSplitAndPipelinedRequestsAreAnsweredInOrder(String language) throws Exception {
    try (Conn c = new Conn(endpoint(language))) {
      c.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nX-Request-Id: r-7\r\n\r\n"
          + "8\r\n{\"messag\r\n7\r\ne\": \"hi\r\n2\r\n\"}\r\n0\r\n\r\n");
      assertThat(compact(c.answer())).startsWith("HTTP/1.1 200 ").contains("\"request_id\":\"r-7\"")
          .contains("\"message\":\"hi\"").containsPattern("\"begin\":\"[0-9]+\\.[0-9]{6}\"").contains("\"is_cold\":false");

      // a request in pieces, the body split too
      String split = post("s-1", ECHO);
      int inBody = split.length() - 5;
      c.send(split.substring(0, 20));
      Thread.sleep(50);
      c.send(split.substring(20, inBody));
      Thread.sleep(50);
      c.send(split.substring(inBody));
      assertThat(compact(c.answer())).startsWith("HTTP/1.1 200 ").contains("\"request_id\":\"s-1\"")
          .contains("\"message\":\"hi\"");

      // two requests in one write: two answers, in order
      c.send(post("p-1", "{\"n\": 1}") + post("p-2", "{\"n\": 2}"));
      assertThat(compact(c.answer())).contains("\"request_id\":\"p-1\"").contains("\"echo\":{\"n\":1}");
      assertThat(compact(c.answer())).contains("\"request_id\":\"p-2\"").contains("\"echo\":{\"n\":2}");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "nodejs", "java"})
  void expectContinueGetsAnInterimAnswerBeforeTheBody(String language) throws IOException {
    try (Conn c = new Conn(endpoint(language))) {
      c.send("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nX-Request-Id: e-1\r\nContent-Length: "
          + ECHO.length() + "\r\n\r\n");
      assertThat(c.head()).startsWith("HTTP/1.1 100 ");
      c.send(ECHO);
      assertThat(compact(c.answer())).startsWith("HTTP/1.1 200 ").contains("\"request_id\":\"e-1\"");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "nodejs", "java"})
  void aConnectionLeftHalfwayThroughARequestBlocksNoOther(String language) throws IOException {
    URI endpoint = endpoint(language);
    try (Conn idle = new Conn(endpoint); Conn half = new Conn(endpoint); Conn c = new Conn(endpoint)) {
      half.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Len");
      c.send(post("o-1", ECHO));
      assertThat(compact(c.answer())).startsWith("HTTP/1.1 200 ").contains("\"request_id\":\"o-1\"");
      // the half request, finished later, is still answered
      half.send("gth: " + ECHO.length() + "\r\nX-Request-Id: h-1\r\n\r\n" + ECHO);
      assertThat(compact(half.answer())).startsWith("HTTP/1.1 200 ").contains("\"request_id\":\"h-1\"");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"python"})
  void thePythonFunctionRunsOnTheMainThread(String language) throws IOException {
    // signal handlers (and so signal.alarm timeouts) can only be set on a Python process's main thread
    try (Conn c = new Conn(endpoint(language))) {
      c.send(post("m-1", "{\"thread\": true}"));
      assertThat(compact(c.answer())).contains("\"thread\":\"MainThread\"").contains("\"signal_handler_set\":true");
    }
  }

  private static String post(String requestId, String body) {
    return "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Request-Id: " + requestId
        + "\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
  }

  /** The answer with the blanks JSON puts after separators removed (Python writes ", " and ": ", Node.js neither). */
  private static String compact(String answer) {
    return answer.replace("\": ", "\":").replace(", \"", ",\"");
  }

  /** One connection, answers read by their Content-Length. */
  private static final class Conn implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;

    Conn(URI endpoint) throws IOException {
      socket = new Socket(endpoint.getHost(), endpoint.getPort());
      socket.setSoTimeout(10_000);
      in = socket.getInputStream();
    }

    void send(String request) throws IOException {
      socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
    }

    /** The status line and headers, up to the blank line. */
    String head() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("closed after " + head);
        }
        head.write(b);
      }
      return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** A whole answer: head and Content-Length body. */
    String answer() throws IOException {
      String head = head();
      int length = 0;
      for (String line : List.of(head.split("\r\n"))) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    boolean closedByServer() throws IOException {
      return in.read() < 0;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
