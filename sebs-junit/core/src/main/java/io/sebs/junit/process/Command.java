package io.sebs.junit.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A short-lived external command (pip, npm, the input bridge) run to completion with a time limit; its
 * output is captured so a failure can say what the tool said. Long-lived function instances are not
 * commands: see the local platform.
 */
public final class Command {

  private final List<String> argv;
  private Path workingDirectory;
  private final Map<String, String> environment = new LinkedHashMap<>();
  private byte[] stdin = new byte[0];
  private Duration timeout = Duration.ofMinutes(10);

  private Command(List<String> argv) {
    this.argv = List.copyOf(argv);
  }

  public static Command of(String... argv) {
    return new Command(List.of(argv));
  }

  public static Command of(List<String> argv) {
    return new Command(argv);
  }

  public Command in(Path dir) {
    this.workingDirectory = dir;
    return this;
  }

  public Command env(String key, String value) {
    environment.put(key, value);
    return this;
  }

  public Command stdin(String text) {
    this.stdin = text.getBytes(StandardCharsets.UTF_8);
    return this;
  }

  public Command timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  /** Runs the command; fails when the program cannot be started or overruns its time limit. */
  public Result run() {
    ProcessBuilder builder = new ProcessBuilder(argv);
    if (workingDirectory != null) {
      builder.directory(workingDirectory.toFile());
    }
    builder.environment().putAll(environment);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot run '" + argv.get(0) + "': " + e.getMessage()
          + ". " + installHint(argv.get(0)), e);
    }
    CompletableFuture<byte[]> out = drain(process.getInputStream());
    CompletableFuture<byte[]> err = drain(process.getErrorStream());
    // Written on its own thread: a program that never reads its input must not block the time limit.
    Thread feeder = new Thread(() -> {
      try (var in = process.getOutputStream()) {
        in.write(stdin);
      } catch (IOException ignored) {
        // the program does not read its input: fine
      }
    }, "sebs-command-input");
    feeder.setDaemon(true);
    feeder.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new IllegalStateException("'" + String.join(" ", argv) + "' did not finish within " + timeout);
      }
      // A background child may hold the output open after the program exits: read what is there.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      return new Result(argv, process.exitValue(), output(out, deadline), output(err, deadline));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running " + argv, e);
    }
  }

  private static String output(CompletableFuture<byte[]> stream, long deadlineNanos) {
    try {
      long wait = Math.max(0, deadlineNanos - System.nanoTime());
      return new String(stream.get(wait, TimeUnit.NANOSECONDS), StandardCharsets.UTF_8);
    } catch (java.util.concurrent.TimeoutException e) {
      return "(output still open after the program exited: not read)";
    } catch (java.util.concurrent.ExecutionException e) {
      return "(output unreadable: " + e.getCause() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static CompletableFuture<byte[]> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      try (stream) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        stream.transferTo(buffer);
        return buffer.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, runnable -> {
      Thread t = new Thread(runnable, "sebs-command-output");
      t.setDaemon(true);
      t.start();
    });
  }

  /** How to install a missing tool, for error messages. */
  public static String installHint(String program) {
    String name = Path.of(program).getFileName().toString();
    if (name.startsWith("python")) {
      return "Install Python 3 (Debian/Ubuntu: apt-get install python3 python3-venv) and make sure "
          + name + " is on PATH.";
    }
    if (name.equals("node") || name.equals("npm")) {
      return "Install Node.js 18+ with npm (Debian/Ubuntu: apt-get install nodejs npm) and make sure "
          + name + " is on PATH.";
    }
    String debianPackage = switch (name) {
      case "ffmpeg", "ffprobe" -> "ffmpeg";
      case "convert", "magick" -> "imagemagick";
      case "mvn" -> "maven";
      case "java", "javac" -> "openjdk-17-jdk-headless";
      case "redis-server" -> "redis-server";
      case "dot" -> "graphviz";
      default -> null;
    };
    return debianPackage == null ? "Make sure " + name + " is installed and on PATH."
        : "Install it (Debian/Ubuntu: apt-get install " + debianPackage + ") and make sure " + name + " is on PATH.";
  }

  /** Deletes a folder and everything in it; nothing happens when it does not exist. */
  public static void deleteTree(Path dir) throws IOException {
    if (!java.nio.file.Files.exists(dir)) {
      return;
    }
    try (var walk = java.nio.file.Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
        java.nio.file.Files.deleteIfExists(p);
      }
    }
  }

  /** Finds a program on PATH. */
  public static Optional<Path> onPath(String program) {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (java.nio.file.Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** What a finished command printed and returned. */
  public record Result(List<String> argv, int exitCode, String stdout, String stderr) {

    public boolean succeeded() {
      return exitCode == 0;
    }

    /** This result, or an exception quoting the end of the command's output. */
    public Result orThrow(String what) {
      if (!succeeded()) {
        throw new IllegalStateException(what + " failed (exit code " + exitCode + " from '"
            + String.join(" ", new ArrayList<>(argv)) + "'):\n" + tail(stderr.isBlank() ? stdout : stderr, 40));
      }
      return this;
    }

    static String tail(String text, int lines) {
      String[] all = text.strip().split("\n");
      int from = Math.max(0, all.length - lines);
      return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
    }
  }
}
