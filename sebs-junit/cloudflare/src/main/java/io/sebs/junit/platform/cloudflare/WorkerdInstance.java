package io.sebs.junit.platform.cloudflare;

import io.sebs.junit.platform.local.PeakResidentSet;
import io.sebs.junit.platform.pool.FunctionInstance;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One instance of a Worker: a workerd process serving one Worker, so one isolate, on a loopback port. A new
 * process is a new isolate, so a cold start is a process start plus the isolate's first request. workerd
 * does not watch its parent, so it runs under a small shell that stops it when this JVM's end of its stdin
 * closes: no workerd outlives a JVM killed with SIGKILL.
 */
final class WorkerdInstance extends FunctionInstance {

  private static final int OUTPUT_LINES_KEPT = 40;
  /**
   * Runs workerd ("$0" "$@") and stops it when stdin ends. stdin is kept as fd 3 because sh gives
   * background commands /dev/null as their stdin.
   */
  private static final String WATCHDOG =
      "exec 3<&0; \"$0\" \"$@\" & w=$!; { cat <&3 >/dev/null; kill $w 2>/dev/null; } & wait $w";
  private static final int PORT_ATTEMPTS = 3;

  private final Process process;
  private final long workerdPid;
  /** workerd's CPU time at the previous call of {@link #cpuNanosSinceLastCall}; at first, when it listened. */
  private long lastCpuNanos;
  /** Whether the CPU time is the provider time (the run's prices bill CPU time, as Workers' do). */
  private volatile boolean cpuIsProviderTime = true;
  private final URI endpoint;
  private final Deque<String> output;

  private WorkerdInstance(Process process, long workerdPid, URI endpoint, Deque<String> output,
      long startupMicros, long generation) {
    super(startupMicros, generation);
    this.process = process;
    this.workerdPid = workerdPid;
    this.lastCpuNanos = cpuNanos(workerdPid).orElse(-1);
    this.endpoint = endpoint;
    this.output = output;
  }

  /**
   * Starts workerd with the configuration and waits until its socket accepts connections; a port taken
   * meanwhile by another program is retried on a new one.
   */
  static WorkerdInstance start(Path workerd, Path config, Duration startTimeout, long generation)
      throws StartException {
    for (int attempt = 1; ; attempt++) {
      WorkerdInstance instance = startOnce(workerd, config, freePort(), startTimeout, generation, attempt == PORT_ATTEMPTS);
      if (instance != null) {
        return instance;
      }
    }
  }

  /** The instance; null when the port was taken and {@code lastAttempt} is false. */
  private static WorkerdInstance startOnce(Path workerd, Path config, int port, Duration startTimeout,
      long generation, boolean lastAttempt) throws StartException {
    long begin = System.nanoTime();
    List<String> command = List.of("sh", "-c", WATCHDOG, workerd.toString(), "serve", config.getFileName().toString(),
        "--socket-addr", WorkerdConfig.SOCKET + "=127.0.0.1:" + port);
    Process process;
    try {
      process = new ProcessBuilder(command).directory(config.getParent().toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new StartException("cannot start workerd (" + workerd + "): " + e.getMessage());
    }
    Deque<String> output = new ArrayDeque<>();
    Thread reader = new Thread(() -> readOutput(process, output), "sebs-workerd-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    long deadline = begin + startTimeout.toNanos();
    while (!accepts(port)) {
      if (!process.isAlive()) {
        // the watchdog's reader of our stdin outlives workerd: closing our end ends it
        destroy(process);
        String lines = lines(output);
        if (lines.contains("Address already in use") && !lastAttempt) {
          return null;
        }
        throw new StartException("workerd exited with status " + process.exitValue() + " before listening:\n" + lines);
      }
      if (System.nanoTime() > deadline) {
        destroy(process);
        throw new StartException("workerd did not listen on 127.0.0.1:" + port + " within " + startTimeout
            + " (raise " + CloudflareSettings.START_TIMEOUT + "):\n" + lines(output));
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        destroy(process);
        throw new StartException("interrupted while workerd started");
      }
    }
    long startupMicros = (System.nanoTime() - begin) / 1000;
    // the shell's child that runs workerd (not its stdin watcher), by command; else the first child
    long workerdPid = process.children()
        .filter(c -> c.info().command().map(cmd -> cmd.contains("workerd")).orElse(false)).findFirst()
        .or(() -> process.children().findFirst()).map(ProcessHandle::pid).orElse(process.pid());
    return new WorkerdInstance(process, workerdPid, URI.create("http://127.0.0.1:" + port + "/"), output,
        startupMicros, generation);
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws StartException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new StartException("no free loopback port: " + e.getMessage());
    }
  }

  private static void readOutput(Process process, Deque<String> output) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (output) {
          output.addLast(line);
          if (output.size() > OUTPUT_LINES_KEPT) {
            output.removeFirst();
          }
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  private static String lines(Deque<String> output) {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  /**
   * Kills workerd while its shell still runs, so the shell reaps it (a process whose parent is gone may stay a
   * zombie where nothing reaps orphans), then ends the shell's stdin watcher and waits for the shell.
   */
  private static void destroy(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // already closed
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public URI endpoint() {
    return endpoint;
  }

  /** The workerd process id. */
  @Override
  public String id() {
    return Long.toString(workerdPid);
  }

  @Override
  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public String describeDeath() {
    String state = process.isAlive() ? "workerd " + workerdPid + " still runs" : "workerd exited with status "
        + process.exitValue();
    return state + "; its last output:\n" + lines(output);
  }

  /**
   * workerd's last output lines: where an uncaught error of the Worker (workerd's own 500 page) is told. workerd may
   * log it just after answering, so this waits (up to 1 s, on this error path only) until the output has been quiet
   * for 100 ms.
   */
  @Override
  public String recentOutput() {
    String seen = lines(output);
    long deadline = System.nanoTime() + 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      String now = lines(output);
      if (now.equals(seen)) {
        break;
      }
      seen = now;
    }
    return seen;
  }

  @Override
  public void kill() {
    destroy(process);
  }

  /**
   * The CPU time workerd used since the previous call, the first since it listened: Workers bill an invocation's CPU
   * time, and one workerd serves one request at a time, so this is the invocation's (with workerd's own share of
   * the request, a small part). Read from the kernel's per-thread counters ({@code /proc/<pid>/task/*}/schedstat,
   * nanoseconds); empty where they cannot be read (not Linux).
   */
  @Override
  public synchronized java.util.OptionalLong cpuNanosSinceLastCall() {
    if (!cpuIsProviderTime) {
      return java.util.OptionalLong.empty();
    }
    java.util.OptionalLong now = cpuNanos(workerdPid);
    if (now.isEmpty() || lastCpuNanos < 0) {
      return java.util.OptionalLong.empty();
    }
    long delta = Math.max(0, now.getAsLong() - lastCpuNanos);
    lastCpuNanos = now.getAsLong();
    return java.util.OptionalLong.of(delta);
  }

  /**
   * This instance, reporting its CPU time as the provider time only when {@code billed}: under prices that bill
   * duration (another {@code sebs.cost.provider}), the CPU time would be priced as if it were the duration.
   */
  WorkerdInstance cpuAsProviderTime(boolean billed) {
    this.cpuIsProviderTime = billed;
    return this;
  }

  /** The process's CPU time in nanoseconds: the sum over its threads, which the kernel counts apart. */
  static java.util.OptionalLong cpuNanos(long pid) {
    java.nio.file.Path tasks = java.nio.file.Path.of("/proc", Long.toString(pid), "task");
    long total = 0;
    int read = 0;
    try (java.util.stream.Stream<java.nio.file.Path> threads = java.nio.file.Files.list(tasks)) {
      for (java.nio.file.Path thread : (Iterable<java.nio.file.Path>) threads::iterator) {
        try {
          String stat = java.nio.file.Files.readString(thread.resolve("schedstat")).trim();
          total += Long.parseLong(stat.substring(0, stat.indexOf(' ')));
          read++;
        } catch (java.io.IOException | RuntimeException gone) {
          // a thread that ended meanwhile
        }
      }
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return java.util.OptionalLong.empty();
    }
    return read == 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(total); // none read: unknown, not 0
  }

  /** workerd's peak resident set: the runtime's and the isolate's memory together. */
  @Override
  public double peakMemoryMb() {
    return PeakResidentSet.megabytes(workerdPid);
  }
}
