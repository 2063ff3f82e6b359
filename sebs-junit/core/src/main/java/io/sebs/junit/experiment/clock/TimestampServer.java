package io.sebs.junit.experiment.clock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JVM's side of 030.clock-synchronization and 020.network-benchmark: a UDP server that answers each
 * datagram with the datagram itself followed by {@code " <t2> <t3>"}, its receive and send times in epoch
 * microseconds on the client's clock ({@link io.sebs.junit.platform.ClientClock}: the wall clock read through
 * the monotonic one), the clock {@code InvocationResult.clientBeginMicros} is taken on. One daemon thread; closing stops it.
 */
public final class TimestampServer implements AutoCloseable {

  private static final int MAX_DATAGRAM = 2048;

  private final DatagramSocket socket;
  private final Thread thread;
  private final AtomicLong answered = new AtomicLong();
  private volatile boolean closed;

  private TimestampServer(DatagramSocket socket) {
    this.socket = socket;
    this.thread = new Thread(this::serve, "sebs-timestamp-server-" + socket.getLocalPort());
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** A server on 127.0.0.1 and an ephemeral port (for functions on the local platform). */
  public static TimestampServer onLoopback() {
    return on(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  /** A server bound to {@code address} (e.g. a public interface, for functions in a cloud). */
  public static TimestampServer on(InetSocketAddress address) {
    try {
      return new TimestampServer(new DatagramSocket(address));
    } catch (SocketException e) {
      throw new UncheckedIOException("Cannot bind the UDP timestamp server to " + address + ": " + e.getMessage(), e);
    }
  }

  /** The JVM's wall clock in epoch microseconds, the clock the server stamps with. */
  public static long nowMicros() {
    return io.sebs.junit.platform.ClientClock.nowEpochMicros();
  }

  /** The address functions send to ({@code server-address} in their event). */
  public String host() {
    return socket.getLocalAddress().getHostAddress();
  }

  /** The port functions send to ({@code server-port} in their event). */
  public int port() {
    return socket.getLocalPort();
  }

  /** How many datagrams the server has answered. */
  public long answered() {
    return answered.get();
  }

  private void serve() {
    byte[] buffer = new byte[MAX_DATAGRAM];
    DatagramPacket request = new DatagramPacket(buffer, buffer.length);
    while (!closed) {
      try {
        request.setLength(buffer.length);
        socket.receive(request);
        long t2 = nowMicros();
        byte[] head = java.util.Arrays.copyOfRange(buffer, 0, request.getLength());
        long t3 = nowMicros();
        byte[] stamps = (" " + t2 + " " + t3).getBytes(StandardCharsets.US_ASCII);
        byte[] reply = new byte[head.length + stamps.length];
        System.arraycopy(head, 0, reply, 0, head.length);
        System.arraycopy(stamps, 0, reply, head.length, stamps.length);
        socket.send(new DatagramPacket(reply, reply.length, request.getSocketAddress()));
        answered.incrementAndGet();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        // A send to a client that has gone (ICMP unreachable) fails; the next datagram is served as usual.
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    socket.close();
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "TimestampServer[udp://" + host() + ":" + port() + ", answered " + answered() + "]";
  }
}
