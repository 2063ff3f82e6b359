package io.sebs.junit.platform.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.sebs.junit.platform.pool.FunctionInstance;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One function instance of the docker platform: a container running the local wrapper on the host's
 * network, so it serves the function contract on 127.0.0.1 like a local instance and reaches the
 * loopback storage servers. The package folder is mounted read-only at {@value #PACKAGE_DIR}; the
 * instance's scratch folder (and cold-start marker) is inside the container. stdin is kept open, since
 * the wrapper exits when its stdin ends. The port comes from the wrapper's {@code SEBS_LISTENING} line in
 * the container's log, which this instance follows until the container exits.
 */
final class ContainerInstance extends FunctionInstance {

  static final String PACKAGE_DIR = "/package";
  static final String INSTANCE_DIR = "/tmp/sebs-instance";
  /** Where the docker package builder installs Python dependencies, on the wrapper's PYTHONPATH. */
  static final String PYTHON_PACKAGES = ".python-packages";
  private static final String LISTENING = "SEBS_LISTENING ";
  private static final int OUTPUT_LINES_KEPT = 40;
  private static final java.util.concurrent.atomic.AtomicBoolean WARNED_NO_CGROUP =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * What every container of one function gets.
   *
   * @param name prefix of container names (a random suffix is added)
   * @param memoryBytes the hard memory limit, swap included (no swap)
   * @param nanoCpus the CPU limit in billionths of a CPU
   */
  record Spec(String image, List<String> command, Path packageDir, Map<String, String> environment,
      Map<String, String> labels, String name, long memoryBytes, long nanoCpus) {}

  private final DockerClient docker;
  private final String containerId;
  private final URI endpoint;
  private final Deque<String> output;
  private final CountDownLatch exited;
  private final ContainerMemoryPeak memoryPeak;
  private volatile boolean removed;

  private ContainerInstance(DockerClient docker, String containerId, URI endpoint, long startupMicros,
      long generation, Deque<String> output, CountDownLatch exited) {
    super(startupMicros, generation);
    this.docker = docker;
    this.containerId = containerId;
    this.endpoint = endpoint;
    this.output = output;
    this.exited = exited;
    this.memoryPeak = ContainerMemoryPeak.of(containerId);
    if (!memoryPeak.visible() && WARNED_NO_CGROUP.compareAndSet(false, true)) {
      System.getLogger(ContainerInstance.class.getName()).log(System.Logger.Level.WARNING,
          "The containers' memory cgroups are not visible on this host (remote or rootless engine?): "
              + "memory used per invocation stays unknown on the docker platform");
    }
  }

  /** Creates and starts a container and waits until the wrapper in it listens. */
  static ContainerInstance start(DockerClient docker, Spec spec, Duration startTimeout, long generation)
      throws StartException {
    long begin = System.nanoTime();
    String id;
    try {
      HostConfig host = HostConfig.newHostConfig()
          .withNetworkMode("host")
          .withBinds(new Bind(spec.packageDir().toString(), new Volume(PACKAGE_DIR), AccessMode.ro))
          .withMemory(spec.memoryBytes())
          .withMemorySwap(spec.memoryBytes())
          .withNanoCPUs(spec.nanoCpus());
      List<String> env = new java.util.ArrayList<>();
      spec.environment().forEach((k, v) -> env.add(k + "=" + v));
      env.addAll(List.of("SEBS_INSTANCE_DIR=" + INSTANCE_DIR, "SEBS_TMP=" + INSTANCE_DIR,
          "PYTHONDONTWRITEBYTECODE=1", "PYTHONUNBUFFERED=1", "PYTHONPATH=" + PACKAGE_DIR + "/" + PYTHON_PACKAGES));
      id = docker.createContainerCmd(spec.image())
          .withName(spec.name() + "-" + UUID.randomUUID().toString().substring(0, 8))
          .withCmd(spec.command())
          .withWorkingDir(PACKAGE_DIR)
          .withEnv(env)
          .withLabels(spec.labels())
          .withStdinOpen(true)
          .withHostConfig(host)
          .exec()
          .getId();
    } catch (RuntimeException e) {
      throw new StartException("cannot create a container from " + spec.image() + ": " + e);
    }
    Deque<String> output = new ArrayDeque<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    CountDownLatch exited = new CountDownLatch(1);
    try {
      docker.startContainerCmd(id).exec();
      docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true)
          .exec(new LogFollower(output, port, exited));
      int p = port.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
      return new ContainerInstance(docker, id, URI.create("http://127.0.0.1:" + p + "/"),
          (System.nanoTime() - begin) / 1000, generation, output, exited);
    } catch (TimeoutException | ExecutionException | InterruptedException | RuntimeException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      String why = e instanceof TimeoutException ? "did not listen within " + startTimeout
          : e instanceof ExecutionException ? "exited before listening (" + state(docker, id) + ")"
          : "could not be started: " + e;
      remove(docker, id);
      throw new StartException("container " + shortId(id) + " from " + spec.image() + " " + why + "; output:\n"
          + tail(output));
    }
  }

  /** Follows the container's log: finds the port line, keeps the last lines, notices the exit. */
  private static final class LogFollower extends ResultCallback.Adapter<Frame> {
    private final Deque<String> output;
    private final CompletableFuture<Integer> port;
    private final CountDownLatch exited;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    LogFollower(Deque<String> output, CompletableFuture<Integer> port, CountDownLatch exited) {
      this.output = output;
      this.port = port;
      this.exited = exited;
    }

    @Override
    public void onNext(Frame frame) {
      for (byte b : frame.getPayload()) {
        if (b == '\n') {
          line(partial.toString(StandardCharsets.UTF_8));
          partial.reset();
        } else {
          partial.write(b);
        }
      }
    }

    private void line(String line) {
      if (!port.isDone() && line.startsWith(LISTENING)) {
        try {
          port.complete(Integer.parseInt(line.substring(LISTENING.length()).trim()));
          return;
        } catch (NumberFormatException e) {
          port.completeExceptionally(e);
        }
      }
      synchronized (output) {
        output.addLast(line);
        if (output.size() > OUTPUT_LINES_KEPT) {
          output.removeFirst();
        }
      }
    }

    @Override
    public void onError(Throwable throwable) {
      finish();
    }

    @Override
    public void onComplete() {
      finish();
    }

    private void finish() {
      if (partial.size() > 0) {
        line(partial.toString(StandardCharsets.UTF_8));
        partial.reset();
      }
      port.completeExceptionally(new IllegalStateException("the container's output ended"));
      exited.countDown();
    }
  }

  @Override
  public URI endpoint() {
    return endpoint;
  }

  /** The container's peak memory from its memory cgroup on this host (see {@link ContainerMemoryPeak}). */
  @Override
  public double peakMemoryMb() {
    return memoryPeak.megabytes();
  }

  /** The container's short id (12 hex digits, as {@code docker ps} shows it). */
  @Override
  public String id() {
    return shortId(containerId);
  }

  /** The full container id. */
  String containerId() {
    return containerId;
  }

  /** Alive while the container's log stream is open (it ends when the container stops). */
  @Override
  public boolean isAlive() {
    return !removed && exited.getCount() > 0;
  }

  @Override
  public String describeDeath() {
    try {
      exited.await(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "container " + id() + " " + state(docker, containerId) + "; last output:\n" + tail(output);
  }

  /** Removes the container (killing it first); idempotent. */
  @Override
  public void kill() {
    removed = true;
    remove(docker, containerId);
  }

  private static void remove(DockerClient docker, String id) {
    try {
      docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException alreadyGone) {
      // removed before
    } catch (RuntimeException e) {
      if (!String.valueOf(e.getMessage()).contains("already in progress")) {
        System.getLogger(ContainerInstance.class.getName()).log(System.Logger.Level.WARNING,
            "Cannot remove container " + shortId(id) + ": " + e.getMessage());
      }
    }
  }

  /** "is running", or how the container ended (exit code, killed for memory). */
  static String state(DockerClient docker, String id) {
    try {
      InspectContainerResponse.ContainerState s = docker.inspectContainerCmd(id).exec().getState();
      if (Boolean.TRUE.equals(s.getRunning())) {
        return "is still running";
      }
      return "exited with code " + s.getExitCodeLong()
          + (Boolean.TRUE.equals(s.getOOMKilled()) ? ", killed for exceeding its memory limit (OOM)" : "")
          + (s.getError() == null || s.getError().isEmpty() ? "" : ", error: " + s.getError());
    } catch (NotFoundException e) {
      return "was removed";
    } catch (RuntimeException e) {
      return "is in an unknown state (" + e.getMessage() + ")";
    }
  }

  static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  private static String tail(Deque<String> output) {
    synchronized (output) {
      return output.isEmpty() ? "(none)" : String.join("\n", output);
    }
  }
}
