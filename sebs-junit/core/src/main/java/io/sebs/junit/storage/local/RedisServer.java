package io.sebs.junit.storage.local;

import io.sebs.junit.process.Command;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Redis server on 127.0.0.1 (the {@code redis-server} program, e.g. Debian's redis-server package)
 * as a child process of this JVM: in memory only (no RDB snapshots, no append-only file), on a free port,
 * stopped with the run. Functions that list the module {@code redis} reach it through
 * {@code SEBS_REDIS_HOST}/{@code SEBS_REDIS_PORT}.
 */
public final class RedisServer implements AutoCloseable {

  static final String PROGRAM = "redis-server";

  private final LoopbackProcess process;
  private final Path workDir;
  private final URI endpoint;

  private RedisServer(LoopbackProcess process, Path workDir, URI endpoint) {
    this.process = process;
    this.workDir = workDir;
    this.endpoint = endpoint;
  }

  /**
   * Starts redis-server on a free loopback port and waits until it accepts connections.
   *
   * @throws IllegalStateException when redis-server is not on PATH (with how to install it) or does not start
   */
  public static RedisServer start() {
    if (Command.onPath(PROGRAM).isEmpty()) {
      throw new IllegalStateException("redis-server is not on PATH; a benchmark lists the module \"redis\", which "
          + "the local platform serves with a real Redis server. " + Command.installHint(PROGRAM));
    }
    Path workDir;
    try {
      workDir = Files.createTempDirectory("sebs-redis-");
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create a working folder for redis-server", e);
    }
    int port = LoopbackProcess.freePort();
    List<String> argv = List.of(PROGRAM, "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", workDir.toString(),
        "--loglevel", "warning");
    Process process;
    try {
      process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(workDir.resolve("redis.log").toFile())
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start redis-server: " + e.getMessage() + ". "
          + Command.installHint(PROGRAM), e);
    }
    return new RedisServer(LoopbackProcess.awaitListening(PROGRAM, process, port, Duration.ofSeconds(20),
        () -> readLog(workDir)), workDir, URI.create("redis://127.0.0.1:" + port));
  }

  /** {@code redis://127.0.0.1:<port>}. */
  public URI endpoint() {
    return endpoint;
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.stop();
    try {
      Command.deleteTree(workDir);
    } catch (IOException ignored) {
      // a leftover empty temp folder is harmless
    }
  }

  private static String readLog(Path workDir) {
    try {
      return Files.readString(workDir.resolve("redis.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
