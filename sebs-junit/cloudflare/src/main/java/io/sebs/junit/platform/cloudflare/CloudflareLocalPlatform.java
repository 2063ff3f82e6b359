package io.sebs.junit.platform.cloudflare;

import io.sebs.junit.benchmark.CodePackage;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.platform.DeployedFunction;
import io.sebs.junit.platform.PlatformContext;
import io.sebs.junit.platform.pool.InstancePool;
import io.sebs.junit.platform.pool.PackageFolders;
import io.sebs.junit.platform.pool.PooledPlatform;
import io.sebs.junit.storage.PlatformStorage;
import io.sebs.junit.storage.StorageModules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cloudflare Workers run locally: a Node.js benchmark bundled as a Worker ({@link WorkerBundle}) served by
 * workerd, the open-source Workers runtime, one process (one isolate) per function instance
 * ({@link WorkerdInstance}). It is a {@link PooledPlatform}: the Worker wrapper answers the pool's protocol
 * (POST the event, the function contract back), so the local platform's rules hold, and an enforced cold
 * start is a new workerd process. Storage is as a Worker sees it ({@link CloudflareLocalStorage}): R2 bucket bindings
 * for objects, a service binding to the Durable Objects of the sebs-nosql Worker for NoSQL. Workers run Node.js code
 * only here: Python Workers, CPU-time limits and deployment to Cloudflare are planned (issue 15), and asking for them
 * fails saying so.
 */
public final class CloudflareLocalPlatform extends PooledPlatform {

  public static final String NAME = "cloudflare-local";
  /** The wrapper's folder, {@code wrappers/cloudflare/nodejs/}: the same Worker will serve the REST path. */
  static final String WRAPPER = "cloudflare";
  static final String REDIS_UNSUPPORTED = "Workers have no Redis: the module \"redis\" runs on local or docker";
  /** The text binding telling function/storage.js which binding serves which bucket (JSON). */
  static final String R2_BUCKETS_BINDING = "SEBS_R2_BUCKETS";
  /** Environment the core hands every function for its endpoints; a Worker has bindings instead. */
  static final java.util.Set<String> ENDPOINT_VARIABLES = java.util.Set.of("SEBS_STORAGE_ENDPOINT",
      "SEBS_NOSQL_ENDPOINT", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_DEFAULT_REGION");

  private final CloudflareSettings settings;
  private final WorkersTools tools;
  private final CloudflareLocalStorage storage;
  /** Whether the run's prices bill CPU time (Workers' do): then an invocation's CPU time is its provider time. */
  private final boolean billsCpuTime;

  public CloudflareLocalPlatform(PlatformContext context) {
    this(context, CloudflareSettings.from(context.config()));
  }

  private CloudflareLocalPlatform(PlatformContext context, CloudflareSettings settings) {
    super(NAME, context, settings.keepAlive());
    this.settings = settings;
    this.tools = install(context, settings);
    this.billsCpuTime = io.sebs.junit.cost.CostModel.fromConfig(context.config()::get, NAME).prices().cpuTime();
    this.storage = new CloudflareLocalStorage(context.cacheDir(), context.runId(), () -> NoSqlWorker.start(
        tools.workerd(), context.cacheDir(), settings.compatibilityDate(), java.util.Optional.empty(),
        settings.startTimeout()));
  }

  /** Installs the tools, first releasing what the base class started when that fails. */
  private WorkersTools install(PlatformContext context, CloudflareSettings settings) {
    try {
      return WorkersTools.install(context.cacheDir(), settings.workerd());
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  protected InstancePool createPool(FunctionSpec spec, Map<String, String> extraEnvironment) {
    checkSupported(spec);
    WorkerBundle.Prepared bundle = WorkerBundle.prepare(context, tools.esbuild(), spec);
    CodePackage code = bundle.code();
    PackageFolders.ReadyFolder folder = bundle.folder();
    Map<String, String> env = new java.util.LinkedHashMap<>(contractEnvironment(spec, Map.of(), extraEnvironment));
    env.keySet().removeAll(ENDPOINT_VARIABLES);
    List<WorkerdConfig.R2Bucket> r2 = StorageModules.usesObjectStorage(spec) ? storage.r2Buckets() : List.of();
    if (!r2.isEmpty()) {
      env.put(R2_BUCKETS_BINDING, r2Json(r2));
    }
    List<WorkerdConfig.ExternalService> services = StorageModules.usesNoSql(spec)
        ? List.of(storage.noSqlBinding()) : List.of();
    Path config = WorkerBundle.writeConfig(folder.directory(), WorkerdConfig.render(
        WorkerBundle.modules(folder.directory()), settings.compatibilityDate(), env, r2, services));
    DeployedFunction deployed = new DeployedFunction(spec.functionName(), spec, code.codeHash());
    return newPool(deployed, generation -> WorkerdInstance.start(tools.workerd(), config, settings.startTimeout(),
        generation).cpuAsProviderTime(billsCpuTime), settings.maxInstances());
  }

  /** {bucket: binding} for function/storage.js. */
  private static String r2Json(List<WorkerdConfig.R2Bucket> buckets) {
    com.fasterxml.jackson.databind.node.ObjectNode map = new com.fasterxml.jackson.databind.ObjectMapper()
        .createObjectNode();
    buckets.forEach(b -> map.put(b.bucket(), b.binding()));
    return map.toString();
  }

  /** What this phase cannot run fails at deploy, naming what is supported. */
  public static void checkSupported(FunctionSpec spec) {
    checkSupported(spec, NAME);
  }

  /** What Workers cannot run on {@code platform} (cloudflare-local or cloudflare) fails at deploy, saying so. */
  static void checkSupported(FunctionSpec spec, String platform) {
    String id = spec.benchmark().id();
    if (spec.language() != Language.NODEJS) {
      throw new IllegalArgumentException(id + " in " + spec.language().id() + " cannot run on " + platform
          + ": it runs Node.js benchmarks only (language = \"nodejs\"). Python Workers are planned (issue 15): workerd"
          + " downloads its Pyodide bundle from Cloudflare's CDN when a Python Worker starts, which needs that network;"
          + " Java is not a Workers language");
    }
    if (StorageModules.usesRedis(spec)) {
      throw new UnsupportedOperationException(id + " uses the modules " + spec.benchmark().config().modules()
          + ": " + REDIS_UNSUPPORTED);
    }
  }

  /** Objects through the S3 API for the test, R2 bindings for Workers ({@link CloudflareLocalStorage}). */
  @Override
  public PlatformStorage storage() {
    return storage;
  }

  /** The workerd process ids of every function's running instances (for tests: none may outlive the run). */
  public List<Long> instancePids() {
    List<Long> pids = new ArrayList<>();
    pools().forEach(pool -> pool.instanceIds().forEach(id -> pids.add(Long.parseLong(id))));
    return pids;
  }

  @Override
  protected void closeResources() {
    storage.close();
  }
}
