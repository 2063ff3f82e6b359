package io.sebs.junit.platform.azure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in server run as a Node.js child process on 127.0.0.1: started on a free port, awaited until it
 * accepts connections, and stopped with every process it started (its process tree). It also ends by itself
 * when this JVM dies: the launcher exits when its stdin, a pipe from this JVM, closes.
 */
final class LoopbackServer implements AutoCloseable {

  /** Where the servers' output goes: the build directory, not the shared cache. */
  static final Path LOGS = Path.of("target", "stand-in-logs").toAbsolutePath();

  private final String name;
  private final Process process;
  private final int port;
  private final Path log;
  private final Thread shutdownHook;

  private LoopbackServer(String name, Process process, int port, Path log) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.log = log;
    this.shutdownHook = new Thread(this::kill, "sebs-" + name + "-shutdown");
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
   * Runs the Node.js script {@code main} with {@code args} as its command line (a launcher sets process.argv and
   * requires it), its output in {@code log}, and waits until {@code port} accepts connections.
   */
  static LoopbackServer startNode(String name, Path main, List<String> args, int port, Path log,
      java.util.Map<String, String> env) {
    StringBuilder argv = new StringBuilder("[process.argv[0], ").append(js(main.toString()));
    args.forEach(a -> argv.append(", ").append(js(a)));
    argv.append("]");
    String launcher = "process.stdin.on('end', () => process.exit(0)); process.stdin.resume();"
        + "process.argv = " + argv + "; require(" + js(main.toString()) + ");";
    Process process;
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder builder = new ProcessBuilder("node", "-e", launcher).redirectErrorStream(true)
          .redirectOutput(log.toFile());
      builder.environment().putAll(env);
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start " + name + " with node: " + e.getMessage(), e);
    }
    LoopbackServer server = new LoopbackServer(name, process, port, log);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!listening(port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        server.close();
        throw new IllegalStateException(name + " did not start on port " + port
            + (process.isAlive() ? " within 60 s" : " (exit code " + process.exitValue() + ")") + "; its output:\n"
            + server.output());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        server.close();
        throw new IllegalStateException("Interrupted while starting " + name, e);
      }
    }
    return server;
  }

  int port() {
    return port;
  }

  /** What the server printed so far. */
  String output() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  private void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /** Stops the server and its children: a polite request first, a kill after 5 s. */
  @Override
  public void close() {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        kill();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      kill();
      Thread.currentThread().interrupt();
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
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

  private static String js(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  @Override
  public String toString() {
    return name + " on 127.0.0.1:" + port;
  }
}
