package sebs.wrapper;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;

/**
 * The wrapper's HTTP/1.1 server on 127.0.0.1: what the platform's client and the Python wrapper's server speak, no
 * more. A thread per connection reads its requests in order (keep-alive, pipelining, Content-Length or chunked
 * bodies, Expect: 100-continue, HTTP/1.0 closing unless keep-alive), so a connection left halfway through a request
 * blocks no other; every request is answered on the one function thread the wrapper gives it. A request that is not
 * HTTP gets 400 with Connection: close. Answers carry Content-Type, Content-Length and, when closing, Connection.
 *
 * <p>Why not the JDK's com.sun.net.httpserver: in a young JVM its first exchange cost some 60-80 ms, most of it
 * before and after the handler ran (its constructor and its response path concatenate strings through
 * invokedynamic even when nothing is logged, the first such concatenation of a JVM linking a few dozen method
 * handles, and every response formats a Date header, which loads the locale and time-zone name data). This server
 * uses no lambdas and no {@code +} concatenation on the request path, like the rest of the wrapper.
 */
final class Http11Server {

  /** The request line and headers of one request may take this many bytes at most. */
  static final int MAX_HEAD_BYTES = 64 * 1024;

  /** A request read whole: method, request target as sent, X-Request-Id (null when absent), body, arrival. */
  record Request(String method, String target, String requestId, byte[] body, long incomeNanos) {}

  /** Answers a request; runs on the function thread. Never throws. */
  interface Route {
    Handler.Response answer(Request request);
  }

  private final ServerSocket socket;
  private final Route route;
  private final ExecutorService functionThread;

  /** Listens on 127.0.0.1 at an ephemeral port; {@link #start()} accepts. */
  Http11Server(int backlog, Route route, ExecutorService functionThread) throws IOException {
    this.socket = new ServerSocket(0, backlog, InetAddress.getLoopbackAddress());
    this.route = route;
    this.functionThread = functionThread;
  }

  int port() {
    return socket.getLocalPort();
  }

  /** Accepts connections on a thread of its own (not a daemon: it keeps the process alive as a server should). */
  void start() {
    new Thread(new Acceptor(), "sebs-http-accept").start();
  }

  private final class Acceptor implements Runnable {
    @Override
    public void run() {
      while (true) {
        Socket connection;
        try {
          connection = socket.accept();
          connection.setTcpNoDelay(true); // an answer is one write; never held back by Nagle's algorithm
        } catch (IOException e) {
          if (socket.isClosed()) {
            return;
          }
          System.err.println("sebs wrapper: cannot accept a connection: " + e);
          continue;
        }
        Thread reader = new Thread(new Connection(connection), "sebs-http-connection");
        reader.setDaemon(true);
        reader.start();
      }
    }
  }

  /** A request that is not HTTP (answered 400, then the connection closes). */
  private static final class BadRequest extends Exception {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }

  private final class Connection implements Runnable {
    private final Socket socket;
    private InputStream in;
    private OutputStream out;
    private int headBytes;

    Connection(Socket socket) {
      this.socket = socket;
    }

    @Override
    public void run() {
      try (Socket s = socket) {
        in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
        out = s.getOutputStream();
        boolean open = true;
        while (open) {
          try {
            open = serveOne();
          } catch (BadRequest e) {
            byte[] body;
            try {
              body = Json.write(Map.of("error", "bad request: " + e.getMessage()));
            } catch (Json.JsonWriteException impossible) {
              body = new byte[0];
            }
            write(new Handler.Response(400, body), true, false);
            open = false;
          }
        }
      } catch (IOException e) {
        // the client went away: nothing to answer
      }
    }

    /** Reads, answers; false when the connection is to close (its end reached, or the request asked for it). */
    private boolean serveOne() throws IOException, BadRequest {
      headBytes = 0;
      String requestLine = line();
      while (requestLine != null && requestLine.isEmpty()) { // blank lines between requests are tolerated
        requestLine = line();
      }
      if (requestLine == null) {
        return false;
      }
      int first = requestLine.indexOf(' ');
      int last = requestLine.lastIndexOf(' ');
      if (first <= 0 || last <= first + 1 || !requestLine.startsWith("HTTP/1.", last + 1)) {
        throw new BadRequest("not an HTTP/1.x request line: " + requestLine);
      }
      String method = requestLine.substring(0, first);
      String target = requestLine.substring(first + 1, last);
      boolean http10 = requestLine.endsWith("HTTP/1.0");
      long contentLength = -1;
      boolean chunked = false;
      boolean expectContinue = false;
      String connection = "";
      String requestId = null;
      while (true) {
        String header = line();
        if (header == null) {
          return false;
        }
        if (header.isEmpty()) {
          break;
        }
        int colon = header.indexOf(':');
        if (colon <= 0) {
          throw new BadRequest("not a header line: " + header);
        }
        String name = header.substring(0, colon).trim();
        String value = header.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("Content-Length")) {
          try {
            contentLength = Long.parseLong(value);
          } catch (NumberFormatException e) {
            contentLength = -2;
          }
          if (contentLength < 0) {
            throw new BadRequest("invalid Content-Length: " + value);
          }
        } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
          chunked = value.toLowerCase(java.util.Locale.ROOT).endsWith("chunked");
        } else if (name.equalsIgnoreCase("Expect")) {
          expectContinue = value.equalsIgnoreCase("100-continue");
        } else if (name.equalsIgnoreCase("Connection")) {
          connection = value.toLowerCase(java.util.Locale.ROOT);
        } else if (name.equalsIgnoreCase("X-Request-Id")) {
          requestId = value;
        }
      }
      long incomeNanos = Handler.nowNanos(); // the request line and headers are in: the earliest moment we see
      boolean close = http10 ? !connection.contains("keep-alive") : connection.contains("close");
      if (expectContinue && !http10 && (chunked || contentLength > 0)) {
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      }
      byte[] body;
      if (chunked) {
        body = chunkedBody();
      } else if (contentLength > 0) {
        if (contentLength > Integer.MAX_VALUE - 16) {
          throw new BadRequest("a body of " + contentLength + " bytes is too large");
        }
        body = in.readNBytes((int) contentLength);
        if (body.length < contentLength) {
          return false; // the client went away mid-body
        }
      } else {
        body = new byte[0];
      }
      if (body == null) {
        return false;
      }
      Handler.Response response = call(new Request(method, target, requestId, body, incomeNanos));
      write(response, close, method.equals("HEAD"));
      return !close;
    }

    private Handler.Response call(Request request) throws IOException {
      try {
        return functionThread.submit(new Answer(route, request)).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while the function thread answered", e);
      } catch (ExecutionException e) { // Route never throws; an Error from it still gets an answer
        byte[] body;
        try {
          body = Json.write(Map.of("error", "wrapper failure: " + e.getCause()));
        } catch (Json.JsonWriteException impossible) {
          body = new byte[0];
        }
        return new Handler.Response(500, body);
      }
    }

    /** The body in chunks, up to the last chunk and its trailers; null when the connection ends before. */
    private byte[] chunkedBody() throws IOException, BadRequest {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        headBytes = 0;
        String sizeLine = line();
        if (sizeLine == null) {
          return null;
        }
        int extension = sizeLine.indexOf(';');
        String hex = (extension < 0 ? sizeLine : sizeLine.substring(0, extension)).trim();
        int size;
        try {
          size = Integer.parseInt(hex, 16);
        } catch (NumberFormatException e) {
          size = -1;
        }
        if (size < 0) {
          throw new BadRequest("invalid chunk size: " + sizeLine);
        }
        if (size == 0) {
          String trailer;
          do {
            trailer = line();
            if (trailer == null) {
              return null;
            }
          } while (!trailer.isEmpty());
          return body.toByteArray();
        }
        byte[] chunk = in.readNBytes(size);
        if (chunk.length < size) {
          return null;
        }
        body.write(chunk, 0, size);
        String end = line();
        if (end == null) {
          return null;
        }
        if (!end.isEmpty()) {
          throw new BadRequest("a chunk longer than its size");
        }
      }
    }

    /** One line without its CR LF (a bare LF ends it too), as ISO-8859-1; null at the end of the stream. */
    private String line() throws IOException, BadRequest {
      StringBuilder line = new StringBuilder(64);
      while (true) {
        int b = in.read();
        if (b < 0) {
          return null;
        }
        if (++headBytes > MAX_HEAD_BYTES) {
          throw new BadRequest("the request line and headers exceed " + MAX_HEAD_BYTES + " bytes");
        }
        if (b == '\n') {
          int length = line.length();
          if (length > 0 && line.charAt(length - 1) == '\r') {
            line.setLength(length - 1);
          }
          return line.toString();
        }
        line.append((char) b);
      }
    }

    /** The answer in one write; to HEAD, its head only (Content-Length still that of the body). */
    private void write(Handler.Response response, boolean close, boolean headOnly) throws IOException {
      byte[] body = response.body();
      StringBuilder head = new StringBuilder(128).append("HTTP/1.1 ").append(response.status()).append(' ')
          .append(reason(response.status())).append("\r\nContent-Type: application/json\r\nContent-Length: ")
          .append(body.length).append("\r\n");
      if (close) {
        head.append("Connection: close\r\n");
      }
      byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
      int bodyLength = headOnly ? 0 : body.length;
      byte[] all = new byte[headBytes.length + bodyLength];
      System.arraycopy(headBytes, 0, all, 0, headBytes.length);
      System.arraycopy(body, 0, all, headBytes.length, bodyLength);
      out.write(all);
      out.flush();
    }
  }

  /** Runs the route on the function thread. A class, not a lambda. */
  private static final class Answer implements Callable<Handler.Response> {
    private final Route route;
    private final Request request;

    Answer(Route route, Request request) {
      this.route = route;
      this.request = request;
    }

    @Override
    public Handler.Response call() {
      return route.answer(request);
    }
  }

  static String reason(int status) {
    switch (status) {
      case 200:
        return "OK";
      case 400:
        return "Bad Request";
      case 404:
        return "Not Found";
      case 405:
        return "Method Not Allowed";
      case 500:
        return "Internal Server Error";
      default:
        return "Status";
    }
  }
}
