package io.sebs.junit.storage.local;

import io.sebs.junit.process.Command;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real DynamoDB-API server on 127.0.0.1: dynalite (an open-source DynamoDB implementation on Node.js,
 * in memory), installed once from npm into the cache and run as a child process that ends with this JVM.
 */
public final class DynaliteServer implements AutoCloseable {

  static final String VERSION = "4.0.0";

  private final Process process;
  private final URI endpoint;

  private DynaliteServer(Process process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  /** Installs dynalite into {@code cacheDir/dynalite-<version>} if needed and starts it. */
  public static DynaliteServer start(Path cacheDir) {
    Path cli = install(cacheDir.resolve("dynalite-" + VERSION));
    int port = freePort();
    // A tiny launcher: dynalite's own CLI, plus exit when our stdin closes (the JVM is gone).
    String launcher = "process.stdin.on('end', () => process.exit(0)); process.stdin.resume();"
        + "process.argv = [process.argv[0], " + jsString(cli.toString()) + ", '--port', '" + port
        + "', '--host', '127.0.0.1'];"
        + "require(" + jsString(cli.toString()) + ");";
    Process process;
    try {
      process = new ProcessBuilder("node", "-e", launcher).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start dynalite: " + e.getMessage() + ". " + Command.installHint("node"), e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "sebs-dynalite-shutdown"));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!listening(port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("dynalite did not start on port " + port
            + (process.isAlive() ? " within 30 s" : " (exit code " + process.exitValue() + ")"));
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw new IllegalStateException("Interrupted while starting dynalite", e);
      }
    }
    return new DynaliteServer(process, URI.create("http://127.0.0.1:" + port));
  }

  private static Path install(Path dir) {
    Path cli = dir.resolve("node_modules").resolve("dynalite").resolve("cli.js");
    try {
      Files.createDirectories(dir);
      try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        if (!Files.exists(cli)) {
          if (Command.onPath("npm").isEmpty()) {
            throw new IllegalStateException("npm is not on PATH, needed to install dynalite (the local DynamoDB "
                + "server). " + Command.installHint("npm"));
          }
          Files.writeString(dir.resolve("package.json"), "{\"name\":\"sebs-dynalite\",\"private\":true}");
          Command.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "dynalite@" + VERSION)
              .in(dir).timeout(Duration.ofMinutes(10)).run().orThrow("npm install dynalite@" + VERSION);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot install dynalite into " + dir, e);
    }
    return cli;
  }

  public URI endpoint() {
    return endpoint;
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("No free port on 127.0.0.1", e);
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

  private static String jsString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
