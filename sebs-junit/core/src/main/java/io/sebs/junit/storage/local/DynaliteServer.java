package io.sebs.junit.storage.local;

import io.sebs.junit.benchmark.LibraryVersions;
import io.sebs.junit.process.Command;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * A real DynamoDB-API server on 127.0.0.1: dynalite (an open-source DynamoDB implementation on Node.js,
 * in memory), installed once from npm into the cache and run as a child process that ends with this JVM.
 */
public final class DynaliteServer implements AutoCloseable {

  static final String VERSION = LibraryVersions.core().of("dynalite");

  private final LoopbackProcess process;
  private final URI endpoint;

  private DynaliteServer(LoopbackProcess process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  /** Installs dynalite into {@code cacheDir/dynalite-<version>} if needed and starts it. */
  public static DynaliteServer start(Path cacheDir) {
    Path cli = install(cacheDir.resolve("dynalite-" + VERSION));
    int port = LoopbackProcess.freePort();
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
    return new DynaliteServer(
        LoopbackProcess.awaitListening("dynalite", process, port, Duration.ofSeconds(30), () -> ""),
        URI.create("http://127.0.0.1:" + port));
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
    process.stop();
  }

  private static String jsString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
