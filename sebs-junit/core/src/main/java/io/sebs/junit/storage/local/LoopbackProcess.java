package io.sebs.junit.storage.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The life of a storage server run as a child process on 127.0.0.1 (dynalite, redis-server): a free
 * port, waiting until it accepts connections, a JVM shutdown hook, and a stop that escalates to a kill.
 */
final class LoopbackProcess {

  private final String name;
  private final Process process;
  private final Thread shutdownHook;

  private LoopbackProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    this.shutdownHook = new Thread(process::destroyForcibly, "sebs-" + name + "-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** A port nobody listens on now. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("No free port on 127.0.0.1", e);
    }
  }

  /**
   * Watches a started server until it accepts connections on {@code port}; kills it and fails with its
   * exit code and {@code log} when it dies or {@code timeout} passes first.
   */
  static LoopbackProcess awaitListening(String name, Process process, int port, Duration timeout,
      Supplier<String> log) {
    LoopbackProcess server = new LoopbackProcess(name, process);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!listening(port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        server.stop();
        String why = process.isAlive() ? " within " + timeout.toSeconds() + " s" : " (exit code " + process.exitValue() + ")";
        String output = log.get();
        throw new IllegalStateException(name + " did not start on port " + port + why
            + (output.isEmpty() ? "" : "; its output:\n" + output));
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        server.stop();
        throw new IllegalStateException("Interrupted while starting " + name, e);
      }
    }
    return server;
  }

  long pid() {
    return process.pid();
  }

  /** Asks the server to stop, kills it after 5 s, and drops the shutdown hook. */
  void stop() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook runs anyway
    }
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
