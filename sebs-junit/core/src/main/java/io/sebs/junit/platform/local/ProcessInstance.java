package io.sebs.junit.platform.local;

import io.sebs.junit.platform.pool.FunctionInstance;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One function instance of the local platform: an OS process running the wrapper, serving HTTP on
 * 127.0.0.1 one request at a time. It announces its port with a {@code SEBS_LISTENING <port>} line and
 * exits by itself when this JVM goes away (its stdin closes).
 */
final class ProcessInstance extends FunctionInstance {

  private static final String LISTENING = "SEBS_LISTENING ";
  private static final int OUTPUT_LINES_KEPT = 40;

  private final Process process;
  private final Path instanceDir;
  private final URI endpoint;
  private final Deque<String> output;

  private ProcessInstance(Process process, Path instanceDir, URI endpoint, long startupMicros, long generation,
      Deque<String> output) {
    super(startupMicros, generation);
    this.process = process;
    this.instanceDir = instanceDir;
    this.endpoint = endpoint;
    this.output = output;
  }

  /**
   * Starts the wrapper and waits until it listens.
   *
   * @throws StartException when the process cannot start, exits, or does not listen in time
   */
  static ProcessInstance start(Path packageDir, List<String> command, Map<String, String> env,
      Duration startTimeout, long generation) throws StartException {
    long begin = System.nanoTime();
    Path instanceDir;
    try {
      instanceDir = Files.createTempDirectory("sebs-instance-");
    } catch (IOException e) {
      throw new StartException("cannot create an instance directory: " + e.getMessage());
    }
    ProcessBuilder builder = new ProcessBuilder(command).directory(packageDir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    builder.environment().put("SEBS_INSTANCE_DIR", instanceDir.toString());
    builder.environment().put("SEBS_TMP", instanceDir.toString());
    builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    builder.environment().put("PYTHONUNBUFFERED", "1");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      deleteQuietly(instanceDir);
      throw new StartException("cannot start " + command + ": " + e.getMessage());
    }
    Deque<String> output = new ArrayDeque<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> readOutput(process, output, port), "sebs-instance-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    try {
      int p = port.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
      long startupMicros = (System.nanoTime() - begin) / 1000;
      return new ProcessInstance(process, instanceDir, URI.create("http://127.0.0.1:" + p + "/"), startupMicros,
          generation, output);
    } catch (TimeoutException | ExecutionException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      kill(process);
      deleteQuietly(instanceDir);
      String why = e instanceof TimeoutException ? "did not listen within " + startTimeout
          : "exited with code " + exitCode(process) + " before listening";
      throw new StartException("instance " + why + "; output:\n" + tail(output));
    }
  }

  private static void readOutput(Process process, Deque<String> output, CompletableFuture<Integer> port) {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!port.isDone() && line.startsWith(LISTENING)) {
          port.complete(Integer.parseInt(line.substring(LISTENING.length()).trim()));
          continue;
        }
        synchronized (output) {
          output.addLast(line);
          if (output.size() > OUTPUT_LINES_KEPT) {
            output.removeFirst();
          }
        }
      }
    } catch (IOException | NumberFormatException e) {
      port.completeExceptionally(e);
    } finally {
      port.completeExceptionally(new IOException("output closed"));
    }
  }

  @Override
  public URI endpoint() {
    return endpoint;
  }

  /** The process id. */
  @Override
  public String id() {
    return Long.toString(process.pid());
  }

  /** The wrapper process's peak resident set ({@code VmHWM}); for Java functions, the JVM's. */
  @Override
  public double peakMemoryMb() {
    return PeakResidentSet.megabytes(process.pid());
  }

  @Override
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits briefly for the process to exit and describes how it ended, with its last output lines. */
  @Override
  public String describeDeath() {
    try {
      process.waitFor(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String status = process.isAlive() ? "is still running" : "exited with code " + process.exitValue();
    return "instance (pid " + process.pid() + ") " + status + "; last output:\n" + tail(output);
  }

  /** Kills the process (and anything it started) and removes its directory. */
  @Override
  public void kill() {
    kill(process);
    deleteQuietly(instanceDir);
  }

  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String exitCode(Process process) {
    try {
      return Integer.toString(process.waitFor(2, TimeUnit.SECONDS) ? process.exitValue() : -1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  private static String tail(Deque<String> output) {
    synchronized (output) {
      return output.isEmpty() ? "(none)" : String.join("\n", output);
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      io.sebs.junit.process.Command.deleteTree(dir);
    } catch (IOException ignored) {
      // a leftover temp folder is harmless
    }
  }
}
