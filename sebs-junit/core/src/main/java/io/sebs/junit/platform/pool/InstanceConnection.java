package io.sebs.junit.platform.pool;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one persistent HTTP/1.1 connection to a function instance that {@link InstancePool} invokes it
 * through. A benchmarking harness must measure the function, not its HTTP client: the JDK's
 * {@code java.net.http.HttpClient} hands every request through executors and an asynchronous pipeline that
 * is slow until the JIT has compiled it (issue 16: 2.49 ms against 0.59 ms for a blocking socket in the
 * first 300 round trips of a JVM). This client is a short synchronous path on the caller's thread: the
 * request in one write, the answer read with Content-Length or chunked framing, nothing else.
 *
 * <p>The connection opens on the first request (TCP_NODELAY) and stays open while the server keeps it
 * alive. Before a request reuses it, a non-blocking read checks that the server has not closed it while it
 * sat idle; only then is it reopened, so a request is never sent twice (a request that may have reached
 * the function fails instead). The whole exchange, connect included, has one deadline (the function
 * timeout), past which {@link SocketTimeoutException} is thrown; an interrupt ends the wait with an
 * {@link InterruptedIOException} (the thread stays interrupted). Not thread-safe: one request at a time,
 * which the pool guarantees per instance; only an {@link Exchange} is written from another thread than the
 * one that reads its answer.
 */
final class InstanceConnection implements AutoCloseable {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final byte[] REQUEST_ID = "\r\nX-Request-Id: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HEAD_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final InetSocketAddress address;
  /** Request line, Host and Content-Type, up to the Content-Length value. */
  private final byte[] requestHead;

  private SocketChannel channel;
  private Selector selector;
  private SelectionKey key;
  private byte[] buffer = new byte[8192];
  private ByteBuffer window = ByteBuffer.wrap(buffer);
  private int pos;
  private int limit;

  InstanceConnection(URI endpoint) {
    int port = endpoint.getPort() >= 0 ? endpoint.getPort() : 80;
    this.address = new InetSocketAddress(endpoint.getHost(), port);
    String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
    this.requestHead = ("POST " + path + " HTTP/1.1\r\nHost: " + endpoint.getRawAuthority()
        + "\r\nContent-Type: application/json\r\nContent-Length: ").getBytes(StandardCharsets.US_ASCII);
  }

  /** An answer: its status, its body, and when its last byte was read ({@link System#nanoTime()}). */
  record Answer(int status, byte[] body, long lastByteNanos) {}

  /**
   * POSTs {@code body} as JSON with the request id header and reads the whole answer.
   *
   * @throws SocketTimeoutException when the answer is not complete within {@code timeout}
   * @throws IOException when the connection fails or the answer is not HTTP (the connection is closed)
   */
  Answer post(String requestId, byte[] body, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] request = request(requestId, body);
    if (channel != null && closedByServerWhileIdle()) {
      close();
    }
    boolean done = false;
    try {
      if (channel == null) {
        open(deadline);
      }
      write(request, deadline);
      Answer answer = readAnswer(deadline);
      done = true;
      return answer;
    } finally {
      if (!done) {
        close();
      }
    }
  }

  /**
   * Makes a request ready for a burst's sender ({@link Exchange#send}) without sending it: the idle check (and
   * the reopening of a connection the server closed) happens now, before anything is written.
   *
   * @throws IOException when the connection cannot be (re)opened (nothing was sent)
   */
  Exchange prepare(String requestId, byte[] body, Duration timeout) throws IOException {
    byte[] request = request(requestId, body);
    if (channel != null && closedByServerWhileIdle()) {
      close();
    }
    if (channel == null) {
      open(System.nanoTime() + timeout.toNanos());
    }
    key.interestOps(SelectionKey.OP_READ);
    return new Exchange(request, timeout.toNanos());
  }

  /** Whether a connection is open (for tests: reuse and reopening are visible through it). */
  boolean isOpen() {
    return channel != null;
  }

  @Override
  public void close() {
    if (channel == null) {
      return;
    }
    try {
      selector.close();
      channel.close();
    } catch (IOException ignored) {
      // closing a socket that is already broken
    }
    channel = null;
    selector = null;
    key = null;
  }

  private byte[] request(String requestId, byte[] body) {
    byte[] length = Integer.toString(body.length).getBytes(StandardCharsets.US_ASCII);
    byte[] id = requestId.getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[requestHead.length + length.length + REQUEST_ID.length + id.length
        + HEAD_END.length + body.length];
    int at = 0;
    for (byte[] part : new byte[][] {requestHead, length, REQUEST_ID, id, HEAD_END, body}) {
      System.arraycopy(part, 0, request, at, part.length);
      at += part.length;
    }
    return request;
  }

  /** True when the idle connection has ended (EOF, reset) or holds bytes nobody asked for. */
  private boolean closedByServerWhileIdle() {
    try {
      window.clear();
      return channel.read(window) != 0;
    } catch (IOException e) {
      return true;
    }
  }

  private void open(long deadline) throws IOException {
    SocketChannel opened = SocketChannel.open();
    try {
      opened.setOption(StandardSocketOptions.TCP_NODELAY, true);
      long connectNanos = Math.min(CONNECT_TIMEOUT.toNanos(), deadline - System.nanoTime());
      if (address.isUnresolved()) {
        throw new java.net.UnknownHostException("cannot resolve the instance's host " + address.getHostString());
      }
      opened.socket().connect(address, (int) Math.max(1, connectNanos / 1_000_000));
      opened.configureBlocking(false);
      selector = Selector.open();
      key = opened.register(selector, SelectionKey.OP_READ);
      channel = opened;
    } catch (IOException | RuntimeException e) {
      if (selector != null) {
        selector.close();
        selector = null;
      }
      opened.close();
      throw e;
    }
  }

  private void write(byte[] request, long deadline) throws IOException {
    write(ByteBuffer.wrap(request), deadline);
  }

  private void write(ByteBuffer out, long deadline) throws IOException {
    while (out.hasRemaining()) {
      if (channel.write(out) == 0) {
        await(SelectionKey.OP_WRITE, deadline);
      }
    }
  }

  private Answer readAnswer(long deadline) throws IOException {
    pos = 0;
    limit = 0;
    // The answer cannot be there yet: wait before the first read instead of a read that finds nothing.
    await(SelectionKey.OP_READ, deadline);
    int status;
    String headers;
    do { // 1xx answers are interim: skip them
      int end = headEnd(deadline);
      String head = new String(buffer, pos, end - pos, StandardCharsets.ISO_8859_1);
      pos = end;
      int lineEnd = head.indexOf("\r\n");
      String statusLine = head.substring(0, lineEnd);
      status = statusCode(statusLine);
      headers = head.substring(lineEnd + 2).toLowerCase(java.util.Locale.ROOT);
      if (status >= 100 && status < 200) {
        continue;
      }
      boolean keepAlive = statusLine.startsWith("HTTP/1.1") ? !hasToken(headers, "connection", "close")
          : hasToken(headers, "connection", "keep-alive");
      byte[] body;
      String contentLength = header(headers, "content-length");
      if (status == 204 || status == 304) { // no body, whatever the headers say
        body = new byte[0];
      } else if (hasToken(headers, "transfer-encoding", "chunked")) {
        body = chunkedBody(deadline);
      } else if (contentLength != null) {
        body = bytes(parseLength(contentLength), deadline);
      } else {
        body = untilEndOfStream(deadline);
        keepAlive = false;
      }
      long lastByteNanos = System.nanoTime();
      if (!keepAlive || pos != limit) { // closing, or bytes after the answer: do not reuse
        close();
      }
      return new Answer(status, body, lastByteNanos);
    } while (true);
  }

  private static int statusCode(String statusLine) throws IOException {
    if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
      throw new IOException("not an HTTP/1.x status line: " + statusLine);
    }
    try {
      return Integer.parseInt(statusLine.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP/1.x status line: " + statusLine, e);
    }
  }

  /** The value of a header in the lower-cased header block, or null. */
  private static String header(String headers, String name) {
    int at = 0;
    while (at < headers.length()) {
      int end = headers.indexOf("\r\n", at);
      end = end < 0 ? headers.length() : end;
      int colon = headers.indexOf(':', at);
      if (colon > at && colon < end && headers.substring(at, colon).trim().equals(name)) {
        return headers.substring(colon + 1, end).trim();
      }
      at = end + 2;
    }
    return null;
  }

  private static boolean hasToken(String headers, String name, String token) {
    String value = header(headers, name);
    if (value == null) {
      return false;
    }
    return Arrays.stream(value.split(",")).anyMatch(t -> t.trim().equals(token));
  }

  private static int parseLength(String value) throws IOException {
    try {
      int length = Integer.parseInt(value);
      if (length < 0) {
        throw new NumberFormatException(value);
      }
      return length;
    } catch (NumberFormatException e) {
      throw new IOException("invalid Content-Length: " + value, e);
    }
  }

  /** Index just past the blank line that ends the status line and headers. */
  private int headEnd(long deadline) throws IOException {
    int scanned = 0; // bytes after pos already looked at: relative, as a fill may move them to the buffer's start
    while (true) {
      for (int i = Math.max(pos + scanned, pos + 3); i < limit; i++) {
        if (buffer[i] == '\n' && buffer[i - 1] == '\r' && buffer[i - 2] == '\n' && buffer[i - 3] == '\r') {
          return i + 1;
        }
      }
      scanned = limit - pos;
      fill(deadline);
    }
  }

  /** One line (without CRLF) from the buffer, for chunk sizes and trailers. */
  private String line(long deadline) throws IOException {
    int scanned = 0; // relative to pos, as in headEnd
    while (true) {
      for (int i = Math.max(pos + scanned, pos + 1); i < limit; i++) {
        if (buffer[i] == '\n' && buffer[i - 1] == '\r') {
          String line = new String(buffer, pos, i - 1 - pos, StandardCharsets.ISO_8859_1);
          pos = i + 1;
          return line;
        }
      }
      scanned = limit - pos;
      fill(deadline);
    }
  }

  private byte[] chunkedBody(long deadline) throws IOException {
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    while (true) {
      String sizeLine = line(deadline);
      int semicolon = sizeLine.indexOf(';');
      String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
      int size;
      try {
        size = Integer.parseInt(hex, 16);
        if (size < 0 || hex.startsWith("+")) {
          throw new NumberFormatException(hex);
        }
      } catch (NumberFormatException e) {
        throw new IOException("invalid chunk size: " + sizeLine, e);
      }
      if (size == 0) {
        while (!line(deadline).isEmpty()) {
          // trailers: not used
        }
        return body.toByteArray();
      }
      byte[] chunk = bytes(size, deadline);
      if (!line(deadline).isEmpty()) {
        throw new IOException("a chunk of " + size + " bytes is not followed by CRLF");
      }
      body.write(chunk, 0, size);
    }
  }

  private byte[] bytes(int count, long deadline) throws IOException {
    while (limit - pos < count) {
      fill(deadline);
    }
    byte[] bytes = Arrays.copyOfRange(buffer, pos, pos + count);
    pos += count;
    return bytes;
  }

  private byte[] untilEndOfStream(long deadline) throws IOException {
    while (tryFill(deadline)) {
      // read until the server closes
    }
    byte[] bytes = Arrays.copyOfRange(buffer, pos, limit);
    pos = limit;
    return bytes;
  }

  private void fill(long deadline) throws IOException {
    if (!tryFill(deadline)) {
      throw new EOFException("the instance closed the connection after " + limit + " bytes of the answer");
    }
  }

  /** Reads more bytes into the buffer, waiting until the deadline; false at the end of the stream. */
  private boolean tryFill(long deadline) throws IOException {
    if (pos == limit) {
      pos = 0;
      limit = 0;
    }
    if (limit == buffer.length) {
      buffer = Arrays.copyOf(buffer, buffer.length * 2);
      window = ByteBuffer.wrap(buffer);
    }
    while (true) {
      window.limit(buffer.length).position(limit);
      int n = channel.read(window);
      if (n > 0) {
        limit += n;
        return true;
      }
      if (n < 0) {
        return false;
      }
      await(SelectionKey.OP_READ, deadline);
    }
  }

  private void await(int operation, long deadline) throws IOException {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      throw new SocketTimeoutException("no complete answer within the timeout");
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException("interrupted while waiting for the instance");
    }
    if (key.interestOps() != operation) {
      key.interestOps(operation);
    }
    selector.select(Math.max(1, (remaining + 999_999) / 1_000_000));
    selector.selectedKeys().clear();
  }

  /**
   * A prepared request: {@link #send} writes it on the releasing thread (one non-blocking write, no wake-up of
   * the reader), {@link #await} reads its answer on the preparing thread, which may wait in it before the send.
   * Every other use of the connection stays on the awaiting thread, so the sender never closes or reopens it.
   * As in {@link #post}, a request that may have reached the function is never sent again: only a connection
   * the send finds closed by the server (before writing) is reopened and the request written on the new one.
   */
  final class Exchange {
    private static final int PREPARED = 0;
    private static final int SENDING = 1;
    private static final int SENT = 2;
    private static final int STALE = 3;
    private static final int FAILED = 4;
    private static final int CANCELLED = 5;
    private static final long WAIT_FOR_SEND_MILLIS = 1000;

    private final AtomicInteger state = new AtomicInteger(PREPARED);
    private final byte[] request;
    private final long timeoutNanos;
    // written by the sender before it leaves SENDING, read by the awaiting thread after
    private long sentNanos;
    private ByteBuffer unsent;
    private IOException failure;
    /** The awaiting thread stopped watching the socket (it closed before the send): the sender must wake it. */
    private volatile boolean deaf;

    private Exchange(byte[] request, long timeoutNanos) {
      this.request = request;
      this.timeoutNanos = timeoutNanos;
    }

    /**
     * Writes the request as far as the socket takes it at once (the rest is the awaiting thread's); the
     * function timeout runs from {@code startNanos}. Never throws: a failed write is {@link #await}'s to report.
     *
     * @return false when the exchange was cancelled (its thread interrupted) before the send
     */
    boolean send(long startNanos) {
      if (!state.compareAndSet(PREPARED, SENDING)) {
        return false;
      }
      sentNanos = startNanos;
      int next;
      if (closedByServerWhileIdle()) {
        next = STALE;
      } else {
        try {
          ByteBuffer out = ByteBuffer.wrap(request);
          channel.write(out);
          unsent = out.hasRemaining() ? out : null;
          next = SENT;
        } catch (IOException e) {
          failure = e;
          next = FAILED;
        }
      }
      state.set(next);
      if (next != SENT || unsent != null || deaf) {
        selector.wakeup();
      }
      return true;
    }

    /**
     * Waits for the send, then reads the answer as {@link #post} does (deadline: the function timeout from the
     * send). Interrupted before the send, the exchange is cancelled and never sent.
     *
     * @throws SocketTimeoutException when the answer is not complete within the timeout
     * @throws IOException when the connection fails (the connection is closed)
     */
    Answer await() throws IOException {
      boolean done = false;
      try {
        int sent = awaitSend();
        long deadline = sentNanos + timeoutNanos;
        if (sent == FAILED) {
          throw failure;
        }
        if (sent == STALE) { // nothing was written: reopen and write, as post() does
          close();
          open(deadline);
          write(request, deadline);
        } else if (unsent != null) {
          write(unsent, deadline);
        }
        Answer answer = readAnswer(deadline);
        done = true;
        return answer;
      } finally {
        if (!done) {
          close();
        }
      }
    }

    private int awaitSend() throws IOException {
      while (true) {
        int now = state.get();
        if (now == SENT || now == STALE || now == FAILED) {
          return now;
        }
        if (now == SENDING) { // the sender is between its CAS and its write: microseconds
          Thread.onSpinWait();
          continue;
        }
        if (Thread.currentThread().isInterrupted()) {
          if (state.compareAndSet(PREPARED, CANCELLED)) {
            throw new InterruptedIOException("interrupted before the request was sent");
          }
          continue;
        }
        selector.select(WAIT_FOR_SEND_MILLIS);
        boolean readable = !selector.selectedKeys().isEmpty();
        selector.selectedKeys().clear();
        if (readable && !deaf && state.get() == PREPARED) {
          // nothing was written, so the server closed the connection: stop watching it (or select would spin);
          // the sender finds it closed and wakes this thread
          deaf = true;
          key.interestOps(0);
        }
      }
    }
  }
}
