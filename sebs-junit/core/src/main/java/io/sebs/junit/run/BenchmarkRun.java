package io.sebs.junit.run;

import io.sebs.junit.benchmark.Benchmark;
import io.sebs.junit.benchmark.BenchmarkCatalog;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.InputBridge;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.benchmark.WrapperSource;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.cost.CostModel;
import io.sebs.junit.platform.DeployedFunction;
import io.sebs.junit.platform.Platform;
import io.sebs.junit.platform.PlatformContext;
import io.sebs.junit.platform.Platforms;
import io.sebs.junit.report.ResultsWriter;
import io.sebs.junit.storage.StorageModules;
import io.sebs.junit.benchmark.WorkflowDefinition;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One run of benchmarks against one platform: the engine behind the JUnit extension, usable without
 * JUnit. It owns the platform (closing the run closes it), finds benchmarks, prepares functions once per
 * specification and names the run's result folder.
 */
public final class BenchmarkRun implements AutoCloseable {

  private final SebsConfig config;
  private final String runId;
  private final Platform platform;
  private final BenchmarkCatalog catalog;
  private final InputBridge bridge;
  private final ResultsWriter results;
  private final CostModel costModel;
  private final Map<String, PreparedFunction> prepared = new ConcurrentHashMap<>();
  private final Map<String, StagedInput> inputs = new ConcurrentHashMap<>();
  private final java.util.List<PlatformWorkflowInvoker> workflows = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** A run with a new id, writing into {@code <results dir>/<run id>}. */
  public BenchmarkRun(SebsConfig config) {
    this(config, newRunId(), null);
  }

  /**
   * A run with a given id and result folder: {@link PlatformRuns} gives each platform of a side-by-side
   * run its own id (so instances, buckets and containers stay apart) and folder.
   *
   * @param resultsFolder where results go; null for {@code <results dir>/<run id>}
   */
  public BenchmarkRun(SebsConfig config, String runId, Path resultsFolder) {
    this.config = config;
    this.runId = runId;
    var provider = Platforms.discover().provider(config.platform());
    this.catalog = new BenchmarkCatalog(config.benchmarksDir());
    this.bridge = new InputBridge(config.cacheDir().resolve("bridge"), "python3");
    this.costModel = CostModel.fromConfig(config::get, config.platform());
    this.results = new ResultsWriter(resultsFolder != null ? resultsFolder : config.resultsDir().resolve(runId),
        config.confidence(), costModel);
    this.platform = provider.create(
        new PlatformContext(config, new WrapperSource(catalog.root()), config.cacheDir(), runId));
  }

  /** A run id: the start time to the second (so folders sort by time) and a random suffix. */
  public static String newRunId() {
    return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
        + UUID.randomUUID().toString().substring(0, 6);
  }

  public String runId() {
    return runId;
  }

  public SebsConfig config() {
    return config;
  }

  public Platform platform() {
    return platform;
  }

  /**
   * How this run prices invocations: the prices of {@code sebs.cost.provider} (default: the platform when
   * priced, else aws) and {@code sebs.cost.architecture}.
   */
  public CostModel costModel() {
    return costModel;
  }

  public BenchmarkCatalog catalog() {
    return catalog;
  }

  public ResultsWriter results() {
    return results;
  }

  /**
   * A complete specification from what a user wrote; zero memory/timeout take the benchmark's
   * config.json. Unknown benchmarks, languages and sizes fail with the valid choices.
   */
  public FunctionSpec spec(String benchmarkId, String language, String languageVersion, String size, int memoryMb,
      int timeoutSeconds) {
    Benchmark benchmark = catalog.find(benchmarkId);
    Language lang = Language.of(language);
    benchmark.codeDirectory(lang);
    return new FunctionSpec(benchmark, lang, languageVersion, size,
        memoryMb > 0 ? memoryMb : benchmark.config().memory(),
        timeoutSeconds > 0 ? timeoutSeconds : benchmark.config().timeout());
  }

  /**
   * Deploys the function and generates its input, once per specification in this run. Input is generated
   * and staged (uploads, NoSQL rows) once per benchmark and size, and shared by every language.
   */
  public PreparedFunction prepare(FunctionSpec spec) {
    if (spec.benchmark().isWorkflow() && spec.benchmark().function() == null) {
      return prepareWorkflow(spec);
    }
    return prepared.computeIfAbsent(spec.deploymentKey() + "|" + spec.size(), key -> {
      StagedInput staged = inputs.computeIfAbsent(spec.benchmark().id() + "|" + spec.size(), k -> stage(spec));
      Map<String, String> environment = new LinkedHashMap<>();
      if (StorageModules.used(spec) || staged.input().needsStorage()) {
        if (StorageModules.usesObjectStorage(spec) || !staged.input().uploads().isEmpty()) {
          platform.storage().objectStorage(); // started on first use
        }
        if (StorageModules.usesNoSql(spec) || !staged.tables().isEmpty()) {
          platform.storage().noSqlStorage();
        }
        if (StorageModules.usesRedis(spec)) {
          platform.storage().redis();
        }
        environment.putAll(platform.storage().endpoints().functionEnvironment());
        environment.put("SEBS_NOSQL_TABLES", toJson(staged.tables()));
      }
      if (spec.benchmark().function() != null) {
        environment.put("SEBS_WORKFLOW_FUNCTION", spec.benchmark().function());
      }
      long t1 = System.nanoTime();
      DeployedFunction deployed = platform.deploy(spec, environment);
      Duration deployTime = Duration.ofNanos(System.nanoTime() - t1);
      return new PreparedFunction(spec, deployed, staged.input(),
          new PlatformFunctionInvoker(platform, deployed, staged.input().input(), staged.tables()), deployTime,
          staged.time(), bridge);
    });
  }

  /**
   * A workflow benchmark: every function of its definition deployed on its own (sharing the input staged
   * once), behind an invoker that runs the whole workflow through the platform's orchestrator, or through
   * sebs-junit's engine where the platform has none ({@link
   * io.sebs.junit.platform.Platform#orchestratesWorkflowsInTheClient()}).
   */
  private synchronized PreparedFunction prepareWorkflow(FunctionSpec spec) {
    String key = spec.deploymentKey() + "|" + spec.size();
    PreparedFunction existing = prepared.get(key);
    if (existing != null) {
      return existing;
    }
    Benchmark benchmark = spec.benchmark();
    Optional<io.sebs.junit.platform.WorkflowOrchestrator> orchestrator = platform.workflowOrchestrator();
    if (orchestrator.isEmpty() && !platform.orchestratesWorkflowsInTheClient()) {
      throw new UnsupportedOperationException("Workflow " + benchmark.id() + " cannot run on " + platform.name()
          + " yet: workflows need the platform's own orchestrator (AWS Step Functions, Google Workflows, Azure Durable"
          + " Functions), whose transcription is not implemented; run workflows with -D" + SebsConfig.PLATFORM
          + "=local or docker");
    }
    if (spec.language() == Language.JAVA) {
      throw new io.sebs.junit.benchmark.BenchmarkConfigurationException("Workflow " + benchmark.id()
          + ": workflow functions run in python or nodejs (SeBS-Flow's languages), not java");
    }
    WorkflowDefinition definition = WorkflowDefinition.read(benchmark.workflowDefinition(), benchmark.id());
    if (definition.functionNames().isEmpty()) {
      throw new io.sebs.junit.benchmark.BenchmarkConfigurationException("Workflow " + benchmark.id()
          + " runs no function: its definition.json has no task, map, loop or repeat state with a func_name");
    }
    Path code = benchmark.codeDirectory(spec.language());
    String extension = spec.language() == Language.PYTHON ? ".py" : ".js";
    Map<String, PreparedFunction> functions = new java.util.TreeMap<>();
    Duration deployTime = Duration.ZERO;
    StringBuilder hashes = new StringBuilder();
    for (String function : definition.functionNames()) {
      if (!java.nio.file.Files.isRegularFile(code.resolve(function + extension))) {
        throw new io.sebs.junit.benchmark.BenchmarkConfigurationException("Workflow " + benchmark.id()
            + " runs func_name '" + function + "' but " + code.resolve(function + extension) + " does not exist");
      }
      PreparedFunction prepared = prepare(spec.forWorkflowFunction(function));
      functions.put(function, prepared);
      deployTime = deployTime.plus(prepared.deployTime());
      hashes.append(function).append('=').append(prepared.deployed().codeHash()).append(';');
    }
    StagedInput staged = inputs.get(benchmark.id() + "|" + spec.size());
    DeployedFunction deployed = new DeployedFunction(spec.functionName(), spec, sha256(hashes.toString()));
    PlatformWorkflowInvoker invoker;
    if (orchestrator.isPresent()) {
      long t0 = System.nanoTime();
      Map<String, DeployedFunction> deployedFunctions = new java.util.TreeMap<>();
      functions.forEach((name, f) -> deployedFunctions.put(name, f.deployed()));
      io.sebs.junit.platform.DeployedWorkflow workflow =
          orchestrator.get().deploy(spec, definition, deployedFunctions);
      deployTime = deployTime.plus(Duration.ofNanos(System.nanoTime() - t0));
      invoker = PlatformWorkflowInvoker.orchestratedBy(orchestrator.get(), workflow, platform, functions,
          staged.input().input(), staged.tables());
    } else {
      invoker = PlatformWorkflowInvoker.orchestratedInTheClient(spec.functionName(), platform, definition, functions,
          staged.input().input(), staged.tables(), config.workflowConcurrency());
    }
    workflows.add(invoker);
    PreparedFunction result = new PreparedFunction(spec, deployed, staged.input(), invoker, deployTime, staged.time(),
        bridge);
    prepared.put(key, result);
    return result;
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private StagedInput stage(FunctionSpec spec) {
    for (String tool : spec.benchmark().config().tools()) {
      if (io.sebs.junit.process.Command.onPath(tool).isEmpty()) {
        throw new IllegalArgumentException("Benchmark " + spec.benchmark().id() + " needs " + tool
            + ", which is not on PATH. " + io.sebs.junit.process.Command.installHint(tool));
      }
    }
    long t0 = System.nanoTime();
    InputBridge.GeneratedInput input =
        bridge.generate(spec.benchmark(), spec.size(), dataDirectory(spec), benchmarksBucket());
    Map<String, String> tables = input.needsStorage()
        ? InputStaging.stage(spec.benchmark(), input, platform.storage(), runId, config.dataDir())
        : Map.of();
    return new StagedInput(input, tables, Duration.ofNanos(System.nanoTime() - t0));
  }

  /**
   * The benchmark's folder in the SeBS benchmarks-data directory ({@code sebs.data.dir}), found as
   * {@code <data>/<group>/<id>} or {@code <data>/<id>}, which SeBS passes to generate_input as data_dir;
   * empty when there is none, so input.py generates its input.
   */
  Optional<Path> dataDirectory(FunctionSpec spec) {
    return config.dataDir().flatMap(data -> {
      String id = spec.benchmark().id();
      Path group = spec.benchmark().directory().getParent().getFileName();
      return java.util.stream.Stream.of(data.resolve(group).resolve(id), data.resolve(id))
          .filter(java.nio.file.Files::isDirectory).findFirst();
    });
  }

  /** The run's bucket for benchmark data, as input.py sees it. */
  public String benchmarksBucket() {
    return "sebs-" + runId;
  }

  /** Input generated and staged for one benchmark and size. */
  private record StagedInput(InputBridge.GeneratedInput input, Map<String, String> tables, Duration time) {}

  private static String toJson(Map<String, String> map) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(map);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    workflows.forEach(PlatformWorkflowInvoker::close);
    platform.close();
  }
}
