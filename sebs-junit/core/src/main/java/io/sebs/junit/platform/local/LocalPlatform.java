package io.sebs.junit.platform.local;

import io.sebs.junit.benchmark.CodePackage;
import io.sebs.junit.benchmark.DependencyFiles;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.platform.DeployedFunction;
import io.sebs.junit.platform.PlatformContext;
import io.sebs.junit.platform.pool.HttpWrapper;
import io.sebs.junit.platform.pool.InstancePool;
import io.sebs.junit.platform.pool.PooledPlatform;
import io.sebs.junit.storage.StorageModules;
import io.sebs.junit.storage.local.LocalStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The embedded default platform: no daemon, no cloud. Each function instance is an OS process on this
 * machine serving the function contract over HTTP on 127.0.0.1, so cold starts, warm reuse, scale-out
 * and keep-alive eviction are real and measurable ({@link PooledPlatform} applies the rules). Nothing it
 * starts outlives the JVM: {@link #close()} and a shutdown hook kill every instance, and each wrapper exits
 * by itself when its stdin closes.
 */
public final class LocalPlatform extends PooledPlatform {

  public static final String NAME = "local";
  private static final Logger LOG = Logger.getLogger(LocalPlatform.class.getName());

  private final LocalSettings settings;
  private final LocalPackageBuilder builder;
  private final LocalStorage storage;

  public LocalPlatform(PlatformContext context) {
    this(context, LocalSettings.from(context.config()));
  }

  private LocalPlatform(PlatformContext context, LocalSettings settings) {
    super(NAME, context, settings.keepAlive());
    this.settings = settings;
    this.storage = new LocalStorage(context.cacheDir(), context.runId());
    this.builder = new LocalPackageBuilder(context.cacheDir());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public LocalStorage storage() {
    return storage;
  }

  @Override
  protected InstancePool createPool(FunctionSpec spec, Map<String, String> extraEnvironment) {
    CodePackage code = CodePackage.assemble(
            HttpWrapper.files(context, spec), spec.benchmark().codeDirectory(spec.language()))
        .forRuntime(spec.language(), builder.runtimeVersion(spec.language(), spec.languageVersion()),
            DependencyFiles.hostArchitecture())
        .withDependencies(spec.language(), StorageModules.dependencies(spec));
    String name = spec.functionName();
    LocalPackageBuilder.BuiltPackage built =
        builder.build(spec.packageName(), code, spec.language(), spec.languageVersion(), spec.memoryMb(),
            settings.javaCds());
    LOG.info(() -> (built.reused() ? "Reusing" : "Built") + " local package " + built.directory() + " in "
        + built.buildTime().toMillis() + " ms");
    Map<String, String> env = contractEnvironment(spec,
        Map.of("SEBS_ENFORCE_MEMORY", settings.enforceMemory() ? "1" : "0"), extraEnvironment);
    Duration startTimeout = settings.startTimeout();
    return newPool(new DeployedFunction(name, spec, code.codeHash()),
        generation -> ProcessInstance.start(built.directory(), built.command(), env, startTimeout, generation),
        settings.maxInstances());
  }

  /** Running instances of a function (idle and busy). */
  public int runningInstances(DeployedFunction function) {
    return pool(function).runningInstances();
  }

  /** Idle instances of a function, waiting for a request or eviction. */
  public int idleInstances(DeployedFunction function) {
    return pool(function).idleInstances();
  }

  /**
   * HTTP endpoints of a function's idle instances, most recently used first. For measuring the harness
   * against a bare HTTP client on the same instance; sending to one while the platform also does is
   * undefined.
   */
  public List<java.net.URI> idleEndpoints(DeployedFunction function) {
    return pool(function).idleEndpoints();
  }

  /** Process ids of every instance this platform runs. */
  public List<Long> instancePids() {
    List<Long> pids = new ArrayList<>();
    pools().forEach(f -> f.instanceIds().forEach(id -> pids.add(Long.parseLong(id))));
    return pids;
  }

  @Override
  protected void closeResources() {
    storage.close();
  }
}
