package io.sebs.junit.platform.pool;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.platform.DeployedFunction;
import io.sebs.junit.platform.InvocationResult;
import io.sebs.junit.platform.KeepAlive;
import io.sebs.junit.platform.Platform;
import io.sebs.junit.platform.PlatformContext;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The base of platforms that run function instances themselves (local processes, docker containers): one
 * {@link InstancePool} per deployed function with FaaS rules (one request per instance, scale-out,
 * keep-alive eviction, timeouts kill the instance), an evictor, and a shutdown hook so no instance outlives
 * the JVM. A subclass says only how a function's instances start ({@link #createPool}) and what else it
 * releases ({@link #releaseInstances()}, {@link #closeResources()}).
 */
public abstract class PooledPlatform implements Platform {

  protected final PlatformContext context;
  private final Duration keepAlive;
  private final Map<String, InstancePool> pools = new ConcurrentHashMap<>();
  private final ScheduledExecutorService evictor;
  private final Thread shutdownHook;

  /**
   * @param name the platform's name, for its threads
   * @param keepAlive idle time after which an instance is evicted
   */
  protected PooledPlatform(String name, PlatformContext context, Duration keepAlive) {
    this.context = context;
    this.keepAlive = keepAlive;
    this.evictor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sebs-" + name + "-evictor");
      t.setDaemon(true);
      return t;
    });
    long period = evictionCheckPeriod(keepAlive).toMillis();
    evictor.scheduleWithFixedDelay(() -> pools.values().forEach(InstancePool::evictIdle),
        period, period, TimeUnit.MILLISECONDS);
    this.shutdownHook = new Thread(this::stopInstances, "sebs-" + name + "-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * How often idle instances are checked against the keep-alive: a quarter of it, between 20 ms and 1 s,
   * so an instance is evicted at most a quarter keep-alive (or 1 s) late.
   */
  public static Duration evictionCheckPeriod(Duration keepAlive) {
    return Duration.ofMillis(Math.max(20, Math.min(1000, keepAlive.toMillis() / 4)));
  }

  /**
   * Packages the function and returns the pool its instances will run in: build it with
   * {@link #newPool}, given how one instance starts.
   */
  protected abstract InstancePool createPool(FunctionSpec spec, Map<String, String> environment);

  /** A pool with this platform's keep-alive. */
  protected final InstancePool newPool(DeployedFunction deployed, FunctionInstance.Launcher launcher,
      int maxInstances) {
    return new InstancePool(deployed, launcher, keepAlive, maxInstances);
  }

  /**
   * The environment every instance of the function gets: the function contract's variables (its name,
   * memory and the injected clock offset, {@link #injectedClockOffsetMicros()}), then the platform's own,
   * then those given to {@link #deploy}.
   */
  protected final Map<String, String> contractEnvironment(FunctionSpec spec, Map<String, String> platform,
      Map<String, String> deployment) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SEBS_FUNCTION_NAME", spec.functionName());
    env.put("SEBS_MEMORY_MB", Integer.toString(spec.memoryMb()));
    env.put("SEBS_CLOCK_OFFSET_MS", Double.toString(context.config().localClockOffsetMs()));
    env.putAll(platform);
    env.putAll(deployment);
    return env;
  }

  @Override
  public final DeployedFunction deploy(FunctionSpec spec, Map<String, String> environment) {
    return pools.computeIfAbsent(spec.deploymentKey(), key -> createPool(spec, environment)).deployed();
  }

  @Override
  public final InvocationResult invoke(DeployedFunction function, JsonNode payload) {
    return pool(function).invoke(payload);
  }

  /** A warm invocation on an idle instance, empty when none is idle (see {@link InstancePool#prepare}). */
  @Override
  public final Optional<io.sebs.junit.platform.PreparedInvocation> prepare(DeployedFunction function,
      JsonNode payload) {
    return pool(function).prepare(payload);
  }

  /** Stops the function's instances: the next invocation starts a new one. */
  @Override
  public final void enforceColdStart(DeployedFunction function) {
    pool(function).retireAll();
  }

  /** Idle instances are evicted at the first check after the keep-alive. */
  @Override
  public final Optional<KeepAlive> keepAlive() {
    return Optional.of(new KeepAlive(keepAlive, evictionCheckPeriod(keepAlive)));
  }

  /** {@code sebs.local.clockOffsetMs}, which every instance's clock is shifted by (SEBS_CLOCK_OFFSET_MS). */
  @Override
  public final OptionalDouble injectedClockOffsetMicros() {
    return OptionalDouble.of(context.config().localClockOffsetMs() * 1000);
  }

  /** The pool of a deployed function. */
  protected final InstancePool pool(DeployedFunction function) {
    InstancePool pool = pools.get(function.spec().deploymentKey());
    if (pool == null) {
      throw new IllegalArgumentException("Function " + function.name() + " is not deployed on this " + name()
          + " platform");
    }
    return pool;
  }

  /** Every function's pool. */
  protected final Collection<InstancePool> pools() {
    return pools.values();
  }

  /** After the pools have stopped their instances (on close and in the shutdown hook): remove leftovers. */
  protected void releaseInstances() {}

  /** On close, after the instances: storage, clients. */
  protected abstract void closeResources();

  private void stopInstances() {
    pools.values().forEach(InstancePool::close);
    releaseInstances();
  }

  /** Local processes and containers have no orchestrator: sebs-junit's engine runs workflows here. */
  @Override
  public boolean orchestratesWorkflowsInTheClient() {
    return true;
  }

  @Override
  public final void close() {
    evictor.shutdownNow();
    stopInstances();
    pools.clear();
    closeResources();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or has run
    }
  }
}
