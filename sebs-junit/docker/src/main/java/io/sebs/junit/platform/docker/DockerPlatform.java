package io.sebs.junit.platform.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.Statistics;
import io.sebs.junit.benchmark.CodePackage;
import io.sebs.junit.benchmark.DependencyFiles;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.platform.DeployedFunction;
import io.sebs.junit.platform.PlatformContext;
import io.sebs.junit.platform.pool.HttpWrapper;
import io.sebs.junit.platform.pool.InstancePool;
import io.sebs.junit.platform.pool.PackageFolders;
import io.sebs.junit.platform.pool.PooledPlatform;
import io.sebs.junit.storage.StorageModules;
import io.sebs.junit.storage.local.LocalStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * SeBS's local mode on a Docker engine: each function instance is a container of a per-language base
 * image ({@code .ci/docker-setup} builds them without a registry; {@link ToolImages} adds a benchmark's
 * {@code tools}) running the local platform's wrapper
 * with the package folder mounted read-only, on the host's network. It is a {@link PooledPlatform} like the
 * local one (one request per instance, scale-out, keep-alive eviction, timeouts kill the instance), so only
 * what an instance is differs. A Java container maps its package's class-data-sharing archive, made once per
 * code hash and image by the image's JVM ({@value DockerSettings#JAVA_CDS}). Limits: the container's memory is the
 * function's memory (no swap); its CPU share follows {@link #cpuLimit}. Storage is the local platform's
 * loopback servers. Every container is labelled {@value #LABEL}=true and {@value #RUN_LABEL}=run id;
 * {@link #close()} and a shutdown hook remove the run's containers, {@link DockerResources} earlier runs'.
 */
public final class DockerPlatform extends PooledPlatform {

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

  private final DockerSettings settings;
  private final DockerClient docker;
  private final DockerPackageBuilder builder;
  private final ToolImages toolImages;
  private final LocalStorage storage;

  /** @throws DockerEngine.DockerUnavailableException when no engine answers, saying how to get one */
  public DockerPlatform(PlatformContext context) {
    this(context, DockerSettings.from(context.config()));
  }

  private DockerPlatform(PlatformContext context, DockerSettings settings) {
    super(NAME, context, settings.keepAlive());
    this.settings = settings;
    this.docker = connect(settings);
    this.builder = new DockerPackageBuilder(docker, context.cacheDir(), labels());
    this.toolImages = new ToolImages(docker, labels());
    this.storage = new LocalStorage(context.cacheDir(), context.runId());
  }

  /** Connects, first releasing what the base class started when no engine answers. */
  private DockerClient connect(DockerSettings settings) {
    try {
      return DockerEngine.connect(settings.host());
    } catch (RuntimeException e) {
      close();
      throw e;
    }
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
  protected InstancePool createPool(FunctionSpec spec, Map<String, String> extraEnvironment) {
    String image = toolImages.withTools(BaseImages.forLanguage(docker, spec.language(), spec.languageVersion()),
        spec.benchmark().config().tools());
    CodePackage code = CodePackage.assemble(HttpWrapper.files(context, spec),
            spec.benchmark().codeDirectory(spec.language()))
        .forRuntime(spec.language(), BaseImages.runtimeVersion(spec.language()), DependencyFiles.hostArchitecture())
        .withDependencies(spec.language(), StorageModules.dependencies(spec));
    String name = spec.functionName();
    PackageFolders.ReadyFolder folder = builder.build(spec.packageName(), code, spec.language(), image);
    LOG.info(() -> (folder.reused() ? "Reusing" : "Built") + " docker package " + folder.directory() + " in "
        + folder.buildTime().toMillis() + " ms");
    // the container's cgroup limit enforces the memory, not the wrapper
    Map<String, String> env = contractEnvironment(spec, Map.of("SEBS_ENFORCE_MEMORY", "0"), extraEnvironment);
    Map<String, String> labels = new LinkedHashMap<>(labels());
    labels.put("sebs-junit-function", name);
    long memoryBytes = spec.memoryMb() * 1024L * 1024L;
    long nanoCpus = Math.round(cpuLimit(spec.memoryMb()) * 1e9);
    Optional<String> javaArchive = spec.language() == Language.JAVA && settings.javaCds()
        ? builder.classDataSharingArchive(folder.directory(), image) : Optional.empty();
    ContainerInstance.Spec containers = new ContainerInstance.Spec(image,
        BaseImages.wrapperCommand(spec.language(), spec.memoryMb(), javaArchive), folder.directory(), env, labels,
        name, memoryBytes, nanoCpus);
    DeployedFunction deployed = new DeployedFunction(name, spec, code.codeHash());
    Duration startTimeout = settings.startTimeout();
    return newPool(deployed, generation -> ContainerInstance.start(docker, containers, startTimeout, generation),
        settings.maxInstances());
  }

  @Override
  public LocalStorage storage() {
    return storage;
  }

  /** Short ids of the function's running containers, idle ones first (most recently used first). */
  public List<String> containerIds(DeployedFunction function) {
    return pool(function).instanceIds();
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

  /** Removes every container labelled with this run, also ones the pools lost. */
  @Override
  protected void releaseInstances() {
    if (docker == null) {
      return; // never connected
    }
    try {
      new DockerResources(docker).delete(context.runId());
    } catch (RuntimeException e) {
      LOG.warning(() -> "Cannot remove the containers of run " + context.runId() + ": " + e.getMessage()
          + "; remove them with DockerResources --delete");
    }
  }

  @Override
  protected void closeResources() {
    if (storage != null) {
      storage.close();
    }
    if (docker != null) {
      DockerEngine.closeQuietly(docker);
    }
  }
}
