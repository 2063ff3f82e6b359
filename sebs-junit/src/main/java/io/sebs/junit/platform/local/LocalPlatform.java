package io.sebs.junit.platform.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.benchmark.CodePackage;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.DeployedFunction;
import io.sebs.junit.platform.InvocationResult;
import io.sebs.junit.platform.Platform;
import io.sebs.junit.platform.PlatformContext;
import io.sebs.junit.storage.StorageModules;
import io.sebs.junit.storage.local.LocalStorage;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The embedded default platform: no daemon, no cloud. Each function instance is an OS process on this
 * machine serving the function contract over HTTP on 127.0.0.1, so cold starts, warm reuse, scale-out
 * and keep-alive eviction are real and measurable. Nothing it starts outlives the JVM: {@link #close()}
 * and a shutdown hook kill every instance, and each wrapper exits by itself when its stdin closes.
 */
public final class LocalPlatform implements Platform {

  public static final String NAME = "local";
  private static final Logger LOG = Logger.getLogger(LocalPlatform.class.getName());

  private final PlatformContext context;
  private final LocalPackageBuilder builder;
  private final HttpClient http;
  private final Map<String, LocalFunction> functions = new ConcurrentHashMap<>();
  private final ScheduledExecutorService evictor;
  private final Thread shutdownHook;
  private final Duration keepAlive;
  private final LocalStorage storage;

  public LocalPlatform(PlatformContext context) {
    this.context = context;
    this.storage = new LocalStorage(context.cacheDir(), context.runId());
    this.builder = new LocalPackageBuilder(context.cacheDir());
    this.keepAlive = context.config().localKeepAlive();
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
    this.evictor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sebs-local-evictor");
      t.setDaemon(true);
      return t;
    });
    long period = evictionCheckPeriod(keepAlive).toMillis();
    evictor.scheduleWithFixedDelay(() -> functions.values().forEach(LocalFunction::evictIdle),
        period, period, TimeUnit.MILLISECONDS);
    this.shutdownHook = new Thread(this::stopInstances, "sebs-local-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public DeployedFunction deploy(FunctionSpec spec, Map<String, String> environment) {
    return functions.computeIfAbsent(spec.deploymentKey(), key -> create(spec, environment)).deployed();
  }

  /**
   * How often idle instances are checked against the keep-alive: a quarter of it, between 20 ms and 1 s,
   * so an instance is evicted at most a quarter keep-alive (or 1 s) late.
   */
  static Duration evictionCheckPeriod(Duration keepAlive) {
    return Duration.ofMillis(Math.max(20, Math.min(1000, keepAlive.toMillis() / 4)));
  }

  /** Idle instances are evicted at the first check after {@code sebs.local.keepAlive} of idleness. */
  @Override
  public java.util.Optional<io.sebs.junit.platform.KeepAlive> keepAlive() {
    return java.util.Optional.of(new io.sebs.junit.platform.KeepAlive(keepAlive, evictionCheckPeriod(keepAlive)));
  }

  @Override
  public LocalStorage storage() {
    return storage;
  }

  private LocalFunction create(FunctionSpec spec, Map<String, String> extraEnvironment) {
    CodePackage code = CodePackage.assemble(
            wrapperFiles(spec), spec.benchmark().codeDirectory(spec.language()))
        .withDependencies(spec.language(), StorageModules.dependencies(spec));
    String name = spec.functionName();
    LocalPackageBuilder.BuiltPackage built = builder.build(name, code, spec.language(), spec.languageVersion(), spec.memoryMb());
    LOG.info(() -> (built.reused() ? "Reusing" : "Built") + " local package " + built.directory() + " in "
        + built.buildTime().toMillis() + " ms");
    SebsConfig config = context.config();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SEBS_FUNCTION_NAME", name);
    env.put("SEBS_MEMORY_MB", Integer.toString(spec.memoryMb()));
    env.put("SEBS_ENFORCE_MEMORY", config.localEnforceMemory() ? "1" : "0");
    env.put("SEBS_CLOCK_OFFSET_MS", Double.toString(config.localClockOffsetMs()));
    env.putAll(extraEnvironment);
    DeployedFunction deployed = new DeployedFunction(name, spec, code.codeHash());
    Duration startTimeout = config.localStartTimeout();
    return new LocalFunction(deployed,
        generation -> ProcessInstance.start(built.directory(), built.command(), env, startTimeout, generation),
        keepAlive, config.localMaxInstances(), http);
  }

  /** Java wrapper sources of sebs.storage (they compile only against the AWS SDK). */
  static final String JAVA_STORAGE_SOURCES = "function/src/main/java/sebs/storage/";

  /**
   * The platform's wrapper files for the function's language. The Java storage client
   * (sebs.storage.Storage) compiles only with the AWS SDK on the classpath, which the package gets only when
   * config.json lists "storage" (see StorageModules): without it, the client's sources are left out.
   * Shared with the docker platform, whose containers run the same wrapper.
   */
  public static Map<String, byte[]> wrapperFiles(PlatformContext context, FunctionSpec spec) {
    return wrapperFiles(context.wrappers().files(NAME, spec.language()), spec.language(),
        StorageModules.usesObjectStorage(spec));
  }

  private Map<String, byte[]> wrapperFiles(FunctionSpec spec) {
    return wrapperFiles(context, spec);
  }

  /** The wrapper files without the Java storage client's sources unless objectStorage. */
  static Map<String, byte[]> wrapperFiles(Map<String, byte[]> wrapper, Language language, boolean objectStorage) {
    Map<String, byte[]> files = new TreeMap<>(wrapper);
    if (language == Language.JAVA && !objectStorage) {
      files.keySet().removeIf(path -> path.startsWith(JAVA_STORAGE_SOURCES));
    }
    return files;
  }

  @Override
  public InvocationResult invoke(DeployedFunction function, JsonNode payload) {
    return function(function).invoke(payload);
  }

  @Override
  public void enforceColdStart(DeployedFunction function) {
    function(function).retireAll();
  }

  /** Running instances of a function (idle and busy). */
  public int runningInstances(DeployedFunction function) {
    return function(function).runningInstances();
  }

  /** Idle instances of a function, waiting for a request or eviction. */
  public int idleInstances(DeployedFunction function) {
    return function(function).idleInstances();
  }

  /**
   * HTTP endpoints of a function's idle instances, most recently used first. For measuring the harness
   * against a bare HTTP client on the same instance; sending to one while the platform also does is
   * undefined.
   */
  public List<java.net.URI> idleEndpoints(DeployedFunction function) {
    return function(function).idleEndpoints();
  }

  /** Process ids of every instance this platform runs. */
  public List<Long> instancePids() {
    List<Long> pids = new ArrayList<>();
    functions.values().forEach(f -> f.instanceIds().forEach(id -> pids.add(Long.parseLong(id))));
    return pids;
  }

  private LocalFunction function(DeployedFunction function) {
    LocalFunction local = functions.get(function.spec().deploymentKey());
    if (local == null) {
      throw new IllegalArgumentException("Function " + function.name() + " is not deployed on this local platform");
    }
    return local;
  }

  private void stopInstances() {
    functions.values().forEach(LocalFunction::close);
  }

  @Override
  public void close() {
    evictor.shutdownNow();
    stopInstances();
    functions.clear();
    storage.close();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or has run
    }
  }
}
