package io.sebs.junit.platform.pool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.platform.ClientClock;
import io.sebs.junit.platform.DeployedFunction;
import io.sebs.junit.platform.FunctionContract;
import io.sebs.junit.platform.InvocationResult;
import io.sebs.junit.platform.PreparedInvocation;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The instances of one deployed function on a pooled platform and the rules a FaaS platform applies to
 * them: one request at a time per instance; a request with no idle instance starts a new one (up to a
 * cap); an instance idle longer than the keep-alive is evicted; a timeout kills the instance; a crashed
 * instance is replaced on the next request; retiring makes the next request cold. What an instance is
 * (a process, a container) is the {@link FunctionInstance.Launcher}'s business, so local and docker
 * pool their instances with the same rules.
 */
public final class InstancePool {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DeployedFunction deployed;
  private final FunctionInstance.Launcher launcher;
  private final Duration timeout;
  private final Duration keepAlive;
  private final int maxInstances;

  private final Deque<FunctionInstance> idle = new ArrayDeque<>();
  private final Set<FunctionInstance> busy = new HashSet<>();
  private int starting;
  private int stopping; // taken out of the pool, still being stopped: they count against the cap until gone
  private long generation;
  private boolean closed;

  /**
   * @param launcher starts one instance (with its own start-up timeout)
   * @param keepAlive idle time after which {@link #evictIdle()} stops an instance
   * @param maxInstances cap on concurrently running instances; more requests wait for a free one
   */
  public InstancePool(DeployedFunction deployed, FunctionInstance.Launcher launcher, Duration keepAlive,
      int maxInstances) {
    this.deployed = deployed;
    this.launcher = launcher;
    this.timeout = Duration.ofSeconds(deployed.spec().timeoutSeconds());
    this.keepAlive = keepAlive;
    this.maxInstances = maxInstances;
  }

  public DeployedFunction deployed() {
    return deployed;
  }

  /** Invokes once on a free instance (started when none is idle); never throws for a failed invocation. */
  public InvocationResult invoke(JsonNode payload) {
    String requestId = newRequestId();
    byte[] body = serialised(payload);
    ClientClock.Stopwatch clock = ClientClock.start();
    FunctionInstance instance;
    try {
      instance = acquire();
    } catch (FunctionInstance.StartException e) {
      return InvocationResult.failedBeforeAnswer(requestId, clock.beginEpochMicros(), clock.elapsedMicros(),
          "instance start failed: " + e.getMessage());
    }
    // Like FaaS platforms, the function timeout covers the request; start-up has its own limit.
    return answered(instance, requestId, () -> clock, () -> instance.connection().post(requestId, body, timeout));
  }

  /**
   * A warm invocation on an idle instance, ready for a burst's sender: its request written by {@link
   * PreparedInvocation#send}, which takes the client begin instant, and its answer read by {@link
   * PreparedInvocation#await} with {@link #invoke}'s timing and failures. Empty when no instance is idle (none is
   * started here, so a cold start stays inside the client time of an {@link #invoke} after the release) or the
   * idle one's connection cannot be reopened (that instance is stopped).
   */
  public Optional<PreparedInvocation> prepare(JsonNode payload) {
    String requestId = newRequestId();
    byte[] body = serialised(payload);
    FunctionInstance instance = takeIdle();
    if (instance == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Prepared(instance, requestId, instance.connection().prepare(requestId, body, timeout)));
    } catch (IOException e) {
      release(instance, false);
      return Optional.empty();
    }
  }

  /** A prepared invocation: the sender's clock, then the answer read as {@link #invoke} reads it. */
  private final class Prepared implements PreparedInvocation {
    private final FunctionInstance instance;
    private final String requestId;
    private final InstanceConnection.Exchange exchange;
    private volatile ClientClock.Stopwatch clock;

    Prepared(FunctionInstance instance, String requestId, InstanceConnection.Exchange exchange) {
      this.instance = instance;
      this.requestId = requestId;
      this.exchange = exchange;
    }

    @Override
    public void send() {
      ClientClock.Stopwatch started = ClientClock.start();
      clock = started;
      exchange.send(started.startNanos());
    }

    @Override
    public InvocationResult await() {
      // cancelled before the send (interrupted): no send instant, the invocation begins and ends now
      return answered(instance, requestId, () -> clock != null ? clock : ClientClock.start(), exchange::await);
    }
  }

  private static byte[] serialised(JsonNode payload) {
    try {
      return JSON.writeValueAsBytes(payload);
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot serialise the payload to JSON: " + e.getMessage(), e);
    }
  }

  /** One HTTP exchange with an instance. */
  @FunctionalInterface
  private interface Exchange {
    InstanceConnection.Answer answer() throws IOException;
  }

  /**
   * The invocation from the instance's answer, or the failure that ended the exchange; the instance is released
   * either way. {@code clock} is read once the exchange ended (a prepared invocation's is set by its send).
   */
  private InvocationResult answered(FunctionInstance instance, String requestId,
      Supplier<ClientClock.Stopwatch> clock, Exchange exchange) {
    boolean healthy = false;
    try {
      InstanceConnection.Answer answer = exchange.answer();
      ClientClock.Stopwatch started = clock.get();
      long clientMicros = started.elapsedMicros(answer.lastByteNanos());
      InvocationResult parsed = parse(answer, instance, requestId, started.beginEpochMicros(), clientMicros);
      InvocationResult result = parsed.withContainerId(instance.sharedContainerId(parsed.containerId()))
          .withMemoryUsedMb(instance.peakMemoryMb());
      java.util.OptionalLong cpu = instance.cpuNanosSinceLastCall();
      if (cpu.isPresent() && !result.failed()) {
        result = result.withProviderMicros(cpu.getAsLong() / 1000);
      }
      healthy = true;
      long startup = instance.takeStartupMicros();
      return startup >= 0 ? result.withInitMicros(startup) : result;
    } catch (SocketTimeoutException e) {
      return failed(requestId, clock.get(), "timeout: no answer within the function timeout of "
          + timeout.toSeconds() + " s; instance " + instance.id() + " killed");
    } catch (IOException e) {
      if (Thread.currentThread().isInterrupted()) {
        return failed(requestId, clock.get(), "interrupted while waiting for the function");
      }
      return failed(requestId, clock.get(), "instance crashed during the request (" + e.getClass().getSimpleName()
          + "): " + instance.describeDeath());
    } finally {
      release(instance, healthy);
    }
  }

  private static InvocationResult failed(String requestId, ClientClock.Stopwatch clock, String reason) {
    return InvocationResult.failedBeforeAnswer(requestId, clock.beginEpochMicros(), clock.elapsedMicros(), reason);
  }

  /**
   * A random (version 4) UUID from the thread's own generator. {@link UUID#randomUUID()} draws from one
   * shared SecureRandom behind a lock, which serialised the invocations of a burst before their send
   * (issue 16: tens of ms of waiting in a burst of 100 on a busy 2-core machine); a request id must be
   * unique, not unpredictable.
   */
  static String newRequestId() {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    long high = random.nextLong() & ~0xF000L | 0x4000L; // version 4
    long low = random.nextLong() & ~(3L << 62) | (1L << 63); // IETF variant
    return new UUID(high, low).toString();
  }

  private InvocationResult parse(InstanceConnection.Answer response, FunctionInstance instance, String requestId,
      long clientBeginMicros, long clientMicros) {
    JsonNode json;
    try {
      json = JSON.readTree(response.body());
    } catch (IOException e) {
      json = null;
    }
    if (json == null || !json.isObject()) {
      String log = instance.recentOutput().strip();
      return InvocationResult.failedBeforeAnswer(requestId, clientBeginMicros, clientMicros,
          "HTTP " + response.status() + " with a body that is not a JSON object: "
              + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8)
              + (log.isEmpty() ? "" : "; the instance's last output:\n" + log));
    }
    InvocationResult result = FunctionContract.read(json, requestId, clientBeginMicros, clientMicros);
    if (response.status() != 200 && !result.failed()) {
      return result.withFailure("HTTP " + response.status() + ": " + json);
    }
    return result;
  }

  /** An idle instance, taken as {@link #acquire} takes one, or null when none is idle (none is started). */
  private synchronized FunctionInstance takeIdle() {
    while (!closed) {
      FunctionInstance instance = idle.pollFirst();
      if (instance == null) {
        return null;
      }
      if (instance.isAlive()) {
        busy.add(instance);
        return instance;
      }
      instance.stop();
    }
    return null;
  }

  private FunctionInstance acquire() throws FunctionInstance.StartException {
    long gen;
    synchronized (this) {
      while (true) {
        if (closed) {
          throw new FunctionInstance.StartException("the platform is closed");
        }
        FunctionInstance instance = idle.pollFirst();
        if (instance != null) {
          if (instance.isAlive()) {
            busy.add(instance);
            return instance;
          }
          instance.stop();
          continue;
        }
        if (busy.size() + starting + stopping < maxInstances) {
          break;
        }
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new FunctionInstance.StartException("interrupted while waiting for a free instance");
        }
      }
      gen = generation;
      starting++; // reserve a slot while the process starts outside the lock
    }
    FunctionInstance started = null;
    try {
      started = launcher.start(gen);
      return started;
    } finally {
      synchronized (this) {
        starting--;
        if (started != null) {
          busy.add(started);
        }
        notifyAll();
      }
    }
  }

  private void release(FunctionInstance instance, boolean healthy) {
    boolean keep;
    synchronized (this) {
      busy.remove(instance);
      keep = healthy && !closed && instance.generation() == generation && instance.isAlive();
      if (keep) {
        instance.markIdle();
        idle.addFirst(instance);
      } else {
        stopping++;
      }
      notifyAll();
    }
    if (!keep) {
      stop(List.of(instance));
    }
  }

  /** Stops instances taken out of the pool (counted in {@code stopping}) outside the lock. */
  private void stop(List<FunctionInstance> victims) {
    for (FunctionInstance victim : victims) {
      try {
        victim.stop();
      } finally {
        synchronized (this) {
          stopping--;
          notifyAll();
        }
      }
    }
  }

  /** Retires every instance: idle ones now, busy ones when their request ends. */
  public void retireAll() {
    List<FunctionInstance> victims;
    synchronized (this) {
      generation++;
      victims = new ArrayList<>(idle);
      idle.clear();
      stopping += victims.size();
    }
    stop(victims);
  }

  /** Kills instances idle for longer than the keep-alive. */
  public void evictIdle() {
    long now = System.nanoTime();
    List<FunctionInstance> victims = new ArrayList<>();
    synchronized (this) {
      idle.removeIf(i -> {
        boolean expired = now - i.idleSinceNanos() > keepAlive.toNanos();
        if (expired) {
          victims.add(i);
        }
        return expired;
      });
      stopping += victims.size();
    }
    stop(victims);
  }

  public synchronized int idleInstances() {
    return idle.size();
  }

  public synchronized int runningInstances() {
    return idle.size() + busy.size();
  }

  /** Endpoints of the idle instances, most recently used first (for overhead measurements). */
  public synchronized List<java.net.URI> idleEndpoints() {
    return idle.stream().map(FunctionInstance::endpoint).toList();
  }

  /** Ids of all running instances, idle ones first (for tests and diagnostics). */
  public synchronized List<String> instanceIds() {
    List<String> ids = new ArrayList<>();
    idle.forEach(i -> ids.add(i.id()));
    busy.forEach(i -> ids.add(i.id()));
    return ids;
  }

  /** Stops every instance; later requests fail. */
  public void close() {
    List<FunctionInstance> idleVictims;
    List<FunctionInstance> busyVictims;
    synchronized (this) {
      closed = true;
      idleVictims = new ArrayList<>(idle);
      busyVictims = new ArrayList<>(busy);
      idle.clear();
      notifyAll();
    }
    idleVictims.forEach(FunctionInstance::stop);
    // A busy instance's connection belongs to the thread invoking it: killing the instance ends that
    // request (the server side closes), and release() then stops the instance, closing the connection.
    busyVictims.forEach(FunctionInstance::kill);
  }

}
