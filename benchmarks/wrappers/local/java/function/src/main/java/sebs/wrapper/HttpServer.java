package sebs.wrapper;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A minimal HTTP/1.1 server on blocking sockets: one daemon thread per connection, keep-alive (idle
 * connections are never closed by the server, so a close cannot race with a client reusing its pooled
 * connection), Content-Length and chunked request bodies, {@code Expect: 100-continue}, TCP_NODELAY.
 *
 * <p>The JDK's com.sun.net.httpserver would do, but a request through it runs much more code (selector,
 * event queue, executor hand-off), which a young JVM still interprets: with it, 110.dynamic-html's warm
 * client time (30 requests after 3 warm-ups) had a median of 9.2 ms against 6.6 ms with this server, and
 * the module it lives in (jdk.httpserver) added to the cold start. That overhead would be charged to
 * every Java invocation. This loop reads a request with little more than a few readLine calls.
 */
final class HttpServer {

  /** One parsed request. */
  record Request(String method, String target, Map<String, String> headers, byte[] body, long incomeNanos) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String path() {
      int query = target.indexOf('?');
      return query < 0 ? target : target.substring(0, query);
    }
  }

  /** What to answer. */
  record Response(int status, byte[] body) {}

  /** Serves one request (called on the connection's thread). */
  interface Handler {
    Response handle(Request request);
  }

  /** Thrown for a request that cannot be parsed: answered with 400 and the connection closed. */
  static final class BadRequest extends IOException {
    BadRequest(String message) {
      super(message);
    }
  }

  private static final int MAX_LINE = 64 * 1024;
  private static final int MAX_HEADERS = 200;

  private final ServerSocket socket;
  private final Handler handler;

  private HttpServer(ServerSocket socket, Handler handler) {
    this.socket = socket;
    this.handler = handler;
  }

  /** Binds 127.0.0.1 on an ephemeral port and starts accepting on a daemon thread. */
  static HttpServer start(Handler handler) throws IOException {
    ServerSocket socket = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    HttpServer server = new HttpServer(socket, handler);
    Thread acceptor = new Thread(server::acceptLoop, "sebs-http-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    return server;
  }

  int port() {
    return socket.getLocalPort();
  }

  private void acceptLoop() {
    while (true) {
      Socket connection;
      try {
        connection = socket.accept();
      } catch (IOException e) {
        System.err.println("sebs wrapper: accept failed: " + e);
        continue;
      }
      Thread t = new Thread(() -> serve(connection), "sebs-http-connection");
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(Socket connection) {
    try (connection) {
      connection.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(connection.getInputStream(), 16 * 1024);
      OutputStream out = new BufferedOutputStream(connection.getOutputStream(), 16 * 1024);
      while (true) {
        Request request;
        try {
          request = read(in, out);
        } catch (BadRequest e) {
          write(out, new Response(400, Json.write(Map.of("error", "400 bad request: " + e.getMessage()))), true);
          return;
        }
        if (request == null) {
          return; // the client closed the connection
        }
        boolean close = closeAfter(request);
        Response response = handler.handle(request);
        write(out, response, close);
        if (close) {
          return;
        }
      }
    } catch (SocketException e) {
      // reset by the client: nothing to answer
    } catch (IOException e) {
      System.err.println("sebs wrapper: connection failed: " + e);
    }
  }

  private static boolean closeAfter(Request request) {
    String connection = request.header("connection");
    String value = connection == null ? "" : connection.toLowerCase(Locale.ROOT);
    return value.contains("close");
  }

  /** Reads one request, or null at a clean end of stream before a request line. */
  private static Request read(InputStream in, OutputStream out) throws IOException {
    String line = readLine(in);
    while (line != null && line.isEmpty()) {
      line = readLine(in); // tolerate empty lines between requests (RFC 9112 2.2)
    }
    if (line == null) {
      return null;
    }
    long incomeNanos = sebs.wrapper.Handler.nowNanos(); // the request line is in: the earliest moment
    String[] parts = line.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      throw new BadRequest("malformed request line '" + abbreviate(line) + "'");
    }
    Map<String, String> headers = new TreeMap<>();
    for (int count = 0; ; count++) {
      String header = readLine(in);
      if (header == null) {
        throw new BadRequest("connection closed in the headers");
      }
      if (header.isEmpty()) {
        break;
      }
      if (count >= MAX_HEADERS) {
        throw new BadRequest("more than " + MAX_HEADERS + " headers");
      }
      int colon = header.indexOf(':');
      if (colon <= 0) {
        throw new BadRequest("malformed header line '" + abbreviate(header) + "'");
      }
      String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).strip();
      headers.merge(name, value, (a, b) -> a + ", " + b);
    }
    if ("HTTP/1.0".equals(parts[2]) && !headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT)
        .contains("keep-alive")) {
      headers.put("connection", "close");
    }
    String expect = headers.get("expect");
    if (expect != null && expect.equalsIgnoreCase("100-continue")) {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }
    byte[] body = readBody(in, headers);
    return new Request(parts[0], parts[1], headers, body, incomeNanos);
  }

  private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
    String encoding = headers.get("transfer-encoding");
    if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = readLine(in);
        if (sizeLine == null) {
          throw new BadRequest("connection closed in a chunked body");
        }
        int semicolon = sizeLine.indexOf(';');
        String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip();
        int size;
        try {
          size = Integer.parseInt(hex.isEmpty() ? "0" : hex, 16);
        } catch (NumberFormatException e) {
          throw new BadRequest("malformed chunk size '" + abbreviate(sizeLine) + "'");
        }
        if (size == 0) {
          String trailer;
          do {
            trailer = readLine(in);
          } while (trailer != null && !trailer.isEmpty());
          return body.toByteArray();
        }
        body.write(readExactly(in, size));
        readLine(in); // CRLF after each chunk
      }
    }
    String length = headers.get("content-length");
    if (length == null) {
      return new byte[0];
    }
    int n;
    try {
      n = Integer.parseInt(length.strip());
    } catch (NumberFormatException e) {
      throw new BadRequest("malformed Content-Length '" + abbreviate(length) + "'");
    }
    if (n < 0) {
      throw new BadRequest("negative Content-Length");
    }
    return readExactly(in, n);
  }

  private static byte[] readExactly(InputStream in, int n) throws IOException {
    byte[] data = in.readNBytes(n);
    if (data.length != n) {
      throw new BadRequest("connection closed after " + data.length + " of " + n + " body bytes");
    }
    return data;
  }

  /** A line without its CR LF (ISO-8859-1), or null at end of stream before any byte. */
  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder(64);
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (line.length() == 0) {
          return null;
        }
        throw new BadRequest("connection closed in the middle of a line");
      }
      if (b == '\n') {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
          line.setLength(end - 1);
        }
        return line.toString();
      }
      if (line.length() >= MAX_LINE) {
        throw new BadRequest("line longer than " + MAX_LINE + " bytes");
      }
      line.append((char) b);
    }
  }

  private static void write(OutputStream out, Response response, boolean close) throws IOException {
    StringBuilder head = new StringBuilder(128);
    head.append("HTTP/1.1 ").append(response.status()).append(' ').append(reason(response.status())).append("\r\n");
    head.append("Content-Type: application/json\r\n");
    head.append("Content-Length: ").append(response.body().length).append("\r\n");
    head.append("Server: sebs-local-java\r\n");
    if (close) {
      head.append("Connection: close\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(response.body());
    out.flush();
  }

  private static String reason(int status) {
    switch (status) {
      case 200: return "OK";
      case 400: return "Bad Request";
      case 404: return "Not Found";
      case 405: return "Method Not Allowed";
      case 500: return "Internal Server Error";
      default: return "Status";
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 100 ? text : text.substring(0, 100) + "...";
  }
}
