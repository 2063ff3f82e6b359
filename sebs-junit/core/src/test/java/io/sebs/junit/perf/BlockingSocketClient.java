package io.sebs.junit.perf;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The physical limit a harness's wire is compared against: a plain blocking socket (TCP_NODELAY, kept
 * alive) writing the invocation request by hand in one write and reading the answer up to its
 * Content-Length, with nothing else on the path. Only for Content-Length answers (what the Python wrapper
 * sends); any other answer fails the benchmark.
 */
final class BlockingSocketClient implements AutoCloseable {

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final String head;
  private final byte[] buffer = new byte[64 * 1024];
  private int lastBodyLength = -1;

  BlockingSocketClient(URI endpoint) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()));
    out = socket.getOutputStream();
    in = socket.getInputStream();
    head = "POST / HTTP/1.1\r\nHost: " + endpoint.getRawAuthority() + "\r\nContent-Type: application/json\r\n";
  }

  /** One request and its whole answer; returns the microseconds from the write to the last byte. */
  double call(byte[] body) throws IOException {
    byte[] headers = (head + "Content-Length: " + body.length + "\r\nX-Request-Id: " + UUID.randomUUID()
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[headers.length + body.length];
    System.arraycopy(headers, 0, request, 0, headers.length);
    System.arraycopy(body, 0, request, headers.length, body.length);
    long t0 = System.nanoTime();
    out.write(request);
    int filled = 0;
    int headEnd = -1;
    int total = Integer.MAX_VALUE;
    while (filled < total) {
      int n = in.read(buffer, filled, buffer.length - filled);
      if (n < 0) {
        throw new IOException("the server closed the connection after " + filled + " bytes");
      }
      filled += n;
      if (headEnd < 0) {
        headEnd = indexOfBlankLine(filled);
        if (headEnd >= 0) {
          total = headEnd + contentLength(new String(buffer, 0, headEnd, StandardCharsets.ISO_8859_1));
        }
      }
    }
    long micros = (System.nanoTime() - t0) / 1000;
    lastBodyLength = total - headEnd;
    if (buffer[9] != '2') {
      throw new IllegalStateException("bare socket call failed: " + new String(buffer, 0, filled,
          StandardCharsets.ISO_8859_1));
    }
    return micros;
  }

  /** The body length of the last answer, -1 before the first call. */
  int lastBodyLength() {
    return lastBodyLength;
  }

  private int indexOfBlankLine(int filled) {
    for (int i = 3; i < filled; i++) {
      if (buffer[i] == '\n' && buffer[i - 1] == '\r' && buffer[i - 2] == '\n' && buffer[i - 3] == '\r') {
        return i + 1;
      }
    }
    return -1;
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    throw new IllegalStateException("the answer has no Content-Length: " + head);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
