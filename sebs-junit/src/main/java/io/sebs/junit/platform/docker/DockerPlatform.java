package io.sebs.junit.platform.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.Statistics;
import io.sebs.junit.benchmark.CodePackage;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.platform.DeployedFunction;
import io.sebs.junit.platform.InvocationResult;
import io.sebs.junit.platform.KeepAlive;
import io.sebs.junit.platform.Platform;
import io.sebs.junit.platform.PlatformContext;
import io.sebs.junit.platform.local.LocalFunction;
import io.sebs.junit.platform.local.LocalPackageBuilder;
import io.sebs.junit.platform.local.LocalPlatform;
import io.sebs.junit.storage.StorageModules;
import io.sebs.junit.storage.local.LocalStorage;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * SeBS's local mode on a Docker engine: each function instance is a container of a per-language base
 * image ({@code .ci/docker-setup} builds them without a registry; {@link ToolImages} adds a benchmark's
 * {@code tools}) running the local platform's wrapper
 * with the package folder mounted read-only, on the host's network. The instance pool is the local
 * platform's ({@link LocalFunction}: one request per instance, scale-out, keep-alive eviction, timeouts
 * kill the instance), so only what an instance is differs. Limits: the container's memory is the
 * function's memory (no swap); its CPU share follows {@link #cpuLimit}. Storage is the local platform's
 * loopback servers. Every container is labelled {@value #LABEL}=true and {@value #RUN_LABEL}=run id;
 * {@link #close()} and a shutdown hook remove the run's containers, {@link DockerResources} earlier runs'.
 */
public final class DockerPlatform implements Platform {

  public static final String NAME = "docker";
  /** Label on every container this platform creates. */
  public static final String LABEL = "sebs-junit";
  /** Label with the id of the run that created the container. */
  public static final String RUN_LABEL = "sebs-junit-run";
  /** Memory per full CPU, as AWS Lambda allots CPU (1,769 MB = one vCPU). */
  static final double MB_PER_CPU = 1769;
  /** The smallest CPU share given, so small functions start in reasonable time. */
  static final double MIN_CPUS = 0.25;
  private static final Logger LOG = Logger.getLogger(DockerPlatform.class.getName());

  private final PlatformContext context;
  private final DockerSettings settings;
  private final DockerClient docker;
  private final DockerPackageBuilder builder;
  private final ToolImages toolImages;
  private final HttpClient http;
  private final LocalStorage storage;
  private final Map<String, LocalFunction> functions = new ConcurrentHashMap<>();
  private final ScheduledExecutorService evictor;
  private final Thread shutdownHook;

  /** @throws DockerEngine.DockerUnavailableException when no engine answers, saying how to get one */
  public DockerPlatform(PlatformContext context) {
    this.context = context;
    this.settings = DockerSettings.from(context.config());
    this.docker = DockerEngine.connect(settings.host());
    this.builder = new DockerPackageBuilder(docker, context.cacheDir(), labels());
    this.toolImages = new ToolImages(docker, labels());
    this.storage = new LocalStorage(context.cacheDir(), context.runId());
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    this.evictor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sebs-docker-evictor");
      t.setDaemon(true);
      return t;
    });
    long period = checkPeriod().toMillis();
    evictor.scheduleWithFixedDelay(() -> functions.values().forEach(LocalFunction::evictIdle),
        period, period, TimeUnit.MILLISECONDS);
    this.shutdownHook = new Thread(this::removeContainers, "sebs-docker-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The labels of this run's containers. */
  public Map<String, String> labels() {
    return Map.of(LABEL, "true", RUN_LABEL, context.runId());
  }

  /**
   * The CPU limit of a function's containers: {@value #MB_PER_CPU} MB per CPU like AWS Lambda, at least
   * {@value #MIN_CPUS} CPU and at most this machine's processors; {@code sebs.docker.cpus} fixes it instead.
   */
  public double cpuLimit(int memoryMb) {
    double cpus = settings.cpus().orElse(Math.max(MIN_CPUS, memoryMb / MB_PER_CPU));
    return Math.min(cpus, Runtime.getRuntime().availableProcessors());
  }

  @Override
  public DeployedFunction deploy(FunctionSpec spec, Map<String, String> environment) {
    return functions.computeIfAbsent(spec.deploymentKey(), key -> create(spec, environment)).deployed();
  }

  private LocalFunction create(FunctionSpec spec, Map<String, String> extraEnvironment) {
    String image = toolImages.withTools(BaseImages.forLanguage(docker, spec.language(), spec.languageVersion()),
        spec.benchmark().config().tools());
    CodePackage code = CodePackage.assemble(LocalPlatform.wrapperFiles(context, spec),
            spec.benchmark().codeDirectory(spec.language()))
        .withDependencies(spec.language(), StorageModules.dependencies(spec));
    String name = spec.functionName();
    LocalPackageBuilder.ReadyFolder folder = builder.build(name, code, spec.language(), image);
    LOG.info(() -> (folder.reused() ? "Reusing" : "Built") + " docker package " + folder.directory() + " in "
        + folder.buildTime().toMillis() + " ms");
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SEBS_FUNCTION_NAME", name);
    env.put("SEBS_MEMORY_MB", Integer.toString(spec.memoryMb()));
    env.put("SEBS_ENFORCE_MEMORY", "0"); // the container's cgroup limit enforces it
    env.put("SEBS_CLOCK_OFFSET_MS", Double.toString(context.config().localClockOffsetMs()));
    env.putAll(extraEnvironment);
    Map<String, String> labels = new LinkedHashMap<>(labels());
    labels.put("sebs-junit-function", name);
    long memoryBytes = spec.memoryMb() * 1024L * 1024L;
    long nanoCpus = Math.round(cpuLimit(spec.memoryMb()) * 1e9);
    ContainerInstance.Spec containers = new ContainerInstance.Spec(image, BaseImages.wrapperCommand(spec.language(), spec.memoryMb()),
        folder.directory(), env, labels, name, memoryBytes, nanoCpus);
    DeployedFunction deployed = new DeployedFunction(name, spec, code.codeHash());
    Duration startTimeout = settings.startTimeout();
    return new LocalFunction(deployed,
        generation -> ContainerInstance.start(docker, containers, startTimeout, generation),
        settings.keepAlive(), settings.maxInstances(), http);
  }

  @Override
  public LocalStorage storage() {
    return storage;
  }

  @Override
  public InvocationResult invoke(DeployedFunction function, JsonNode payload) {
    return function(function).invoke(payload);
  }

  /** Removes the function's containers: the next invocation starts a new one. */
  @Override
  public void enforceColdStart(DeployedFunction function) {
    function(function).retireAll();
  }

  /** Idle containers are removed at the first check after {@code sebs.docker.keepAlive} of idleness. */
  @Override
  public Optional<KeepAlive> keepAlive() {
    return Optional.of(new KeepAlive(settings.keepAlive(), checkPeriod()));
  }

  private Duration checkPeriod() {
    return Duration.ofMillis(Math.max(20, Math.min(1000, settings.keepAlive().toMillis() / 4)));
  }

  /** Short ids of the function's running containers, idle ones first (most recently used first). */
  public List<String> containerIds(DeployedFunction function) {
    return function(function).instanceIds();
  }

  /** A container's memory from the engine's statistics, in bytes. */
  public record MemoryUsage(String containerId, long usageBytes, long maxUsageBytes, long limitBytes) {}

  /**
   * Memory of the function's running containers from one statistics sample each: current usage and,
   * where the engine reports it (cgroup v1), the peak since the container started; -1 when unknown.
   */
  public List<MemoryUsage> memoryUsage(DeployedFunction function) {
    List<MemoryUsage> usage = new ArrayList<>();
    for (String id : containerIds(function)) {
      StatsSample sample = new StatsSample();
      try (sample) {
        docker.statsCmd(id).withNoStream(true).exec(sample).awaitCompletion(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception e) {
        continue; // the container went away meanwhile
      }
      MemoryStatsConfig memory = sample.stats == null ? null : sample.stats.getMemoryStats();
      if (memory != null && memory.getUsage() != null) {
        usage.add(new MemoryUsage(id, value(memory.getUsage()), value(memory.getMaxUsage()),
            value(memory.getLimit())));
      }
    }
    return usage;
  }

  /** Keeps the one statistics sample a no-stream stats call delivers. */
  private static final class StatsSample extends ResultCallback.Adapter<Statistics> {
    private volatile Statistics stats;

    @Override
    public void onNext(Statistics statistics) {
      stats = statistics;
    }
  }

  private static long value(Long v) {
    return v == null ? -1 : v;
  }

  private LocalFunction function(DeployedFunction function) {
    LocalFunction f = functions.get(function.spec().deploymentKey());
    if (f == null) {
      throw new IllegalArgumentException("Function " + function.name() + " is not deployed on this docker platform");
    }
    return f;
  }

  /** Stops the pools and removes every container labelled with this run, also ones the pools lost. */
  private void removeContainers() {
    functions.values().forEach(LocalFunction::close);
    try {
      new DockerResources(docker).delete(context.runId());
    } catch (RuntimeException e) {
      LOG.warning(() -> "Cannot remove the containers of run " + context.runId() + ": " + e.getMessage()
          + "; remove them with DockerResources --delete");
    }
  }

  @Override
  public void close() {
    evictor.shutdownNow();
    removeContainers();
    functions.clear();
    storage.close();
    DockerEngine.closeQuietly(docker);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or has run
    }
  }
}
