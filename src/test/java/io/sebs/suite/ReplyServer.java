package io.sebs.suite;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server 040.server-reply connects to, run on this machine because nothing outside it may be reached:
 * a TCP socket on an ephemeral loopback port that writes {@link #REPLY} to each connection and closes it,
 * counting the connections.
 */
final class ReplyServer implements AutoCloseable {

  /** What every connection receives. */
  static final String REPLY = "sebs-junit reply server: hello, function";

  private final ServerSocket socket;
  private final Thread acceptor;
  private final AtomicInteger replies = new AtomicInteger();

  private ReplyServer(ServerSocket socket) {
    this.socket = socket;
    this.acceptor = new Thread(this::serve, "040.server-reply server");
    this.acceptor.setDaemon(true);
  }

  static ReplyServer start() throws IOException {
    ReplyServer server = new ReplyServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    server.acceptor.start();
    return server;
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket connection = socket.accept(); OutputStream out = connection.getOutputStream()) {
        out.write(REPLY.getBytes(StandardCharsets.UTF_8));
        out.flush();
        replies.incrementAndGet();
      } catch (SocketException closed) {
        return; // close() ends accept()
      } catch (IOException e) {
        if (!socket.isClosed()) {
          throw new UncheckedIOException("The reply server failed", e);
        }
      }
    }
  }

  /** The loopback address the function connects to. */
  String host() {
    return socket.getInetAddress().getHostAddress();
  }

  int port() {
    return socket.getLocalPort();
  }

  /** Connections answered so far. */
  int replies() {
    return replies.get();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing only
    }
  }
}
