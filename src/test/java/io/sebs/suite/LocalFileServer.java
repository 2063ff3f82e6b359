package io.sebs.suite;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The file 120.uploader downloads, served from this machine because nothing may be downloaded from outside
 * it: {@link #CONTENT} at {@code /files/<any name>} (404 for names starting with {@code missing} and
 * elsewhere) on an ephemeral loopback port, counting the downloads of each name.
 */
final class LocalFileServer implements AutoCloseable {

  /** 256 KiB of seeded random bytes (SeBS's "test" picture is about 230 kB). */
  static final byte[] CONTENT = content(256 * 1024, 120);

  static {
    // The JDK's HttpServer writes head and body apart; with Nagle's algorithm on, the body waits for the client's
    // delayed ACK (40 ms on Linux), which would be measured as download time. Read when the JVM's first HttpServer
    // starts, so it is set before this one does.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer http;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();

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
      served.computeIfAbsent(path.substring("/files/".length()), name -> new AtomicInteger()).incrementAndGet();
    }
  }

  String url(String name) {
    return "http://127.0.0.1:" + http.getAddress().getPort() + "/files/" + name;
  }

  /** How many times the file {@code name} was served in full. */
  int served(String name) {
    AtomicInteger count = served.get(name);
    return count == null ? 0 : count.get();
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
