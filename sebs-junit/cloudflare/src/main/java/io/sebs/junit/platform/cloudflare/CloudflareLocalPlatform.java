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
import java.util.logging.Logger;

/**
 * Cloudflare Workers run locally: a Node.js benchmark bundled as a Worker ({@link WorkerBundle}) served by
 * workerd, the open-source Workers runtime, one process (one isolate) per function instance
 * ({@link WorkerdInstance}). It is a {@link PooledPlatform}: the Worker wrapper answers the pool's protocol
 * (POST the event, the function contract back), so the local platform's rules hold, and an enforced cold
 * start is a new workerd process. Workers run Node.js code only: Python Workers, R2/KV storage bindings,
 * CPU-time limits and deployment to Cloudflare are planned (issue 15), and asking for them fails saying so.
 */
public final class CloudflareLocalPlatform extends PooledPlatform {

  public static final String NAME = "cloudflare-local";
  /** The wrapper's folder, {@code wrappers/cloudflare/nodejs/}: the same Worker will serve the REST path. */
  static final String WRAPPER = "cloudflare";
  static final String STORAGE_PLANNED = "R2/KV bindings are planned, issue 15: the cloudflare-local platform has"
      + " no object or NoSQL storage yet, so benchmarks with \"modules\" (storage, nosql, redis) or input.py uploads"
      + " run on local or docker";
  private static final Logger LOG = Logger.getLogger(CloudflareLocalPlatform.class.getName());

  private final CloudflareSettings settings;
  private final WorkersTools tools;

  public CloudflareLocalPlatform(PlatformContext context) {
    this(context, CloudflareSettings.from(context.config()));
  }

  private CloudflareLocalPlatform(PlatformContext context, CloudflareSettings settings) {
    super(NAME, context, settings.keepAlive());
    this.settings = settings;
    this.tools = install(context, settings);
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
    CodePackage code = CodePackage.assemble(context.wrappers().files(WRAPPER, Language.NODEJS),
        spec.benchmark().codeDirectory(Language.NODEJS));
    PackageFolders.ReadyFolder folder = PackageFolders.readyFolder(
        context.cacheDir().resolve("cloudflare").resolve(WorkerBundle.buildId()),
        spec.packageName(), code, dir -> {
          PackageFolders.installNodeModules(dir, code);
          WorkerBundle.build(dir, tools.esbuild());
        });
    LOG.info(() -> (folder.reused() ? "Reusing" : "Built") + " Worker bundle " + folder.directory() + " in "
        + folder.buildTime().toMillis() + " ms");
    Map<String, String> env = contractEnvironment(spec, Map.of(), extraEnvironment);
    Path config = WorkerBundle.writeConfig(folder.directory(), WorkerdConfig.render(
        WorkerBundle.modules(folder.directory()), settings.compatibilityDate(), env));
    DeployedFunction deployed = new DeployedFunction(spec.functionName(), spec, code.codeHash());
    return newPool(deployed, generation -> WorkerdInstance.start(tools.workerd(), config, settings.startTimeout(),
        generation), settings.maxInstances());
  }

  /** What this phase cannot run fails at deploy, naming what is supported. */
  static void checkSupported(FunctionSpec spec) {
    String id = spec.benchmark().id();
    if (spec.language() != Language.NODEJS) {
      throw new IllegalArgumentException(id + " in " + spec.language().id() + " cannot run on " + NAME
          + ": it runs Node.js benchmarks only (language = \"nodejs\"); Python Workers are planned (issue 15)");
    }
    if (StorageModules.used(spec)) {
      throw new UnsupportedOperationException(id + " uses the modules " + spec.benchmark().config().modules()
          + ": " + STORAGE_PLANNED);
    }
    if (spec.benchmark().function() != null) {
      throw new IllegalArgumentException(id + " is a workflow: workflows on " + NAME + " are not supported yet"
          + " (the Worker wrapper runs function/function.js only)");
    }
  }

  /** Not in this phase: see {@link #STORAGE_PLANNED}. */
  @Override
  public PlatformStorage storage() {
    throw new UnsupportedOperationException(STORAGE_PLANNED);
  }

  /** The workerd process ids of every function's running instances (for tests: none may outlive the run). */
  public List<Long> instancePids() {
    List<Long> pids = new ArrayList<>();
    pools().forEach(pool -> pool.instanceIds().forEach(id -> pids.add(Long.parseLong(id))));
    return pids;
  }

  @Override
  protected void closeResources() {
    // workerd processes are the pools' instances; nothing else runs
  }
}
