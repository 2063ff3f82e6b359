package io.sebs.junit.run;

import io.sebs.junit.benchmark.Benchmark;
import io.sebs.junit.benchmark.BenchmarkCatalog;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.InputBridge;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.benchmark.WrapperSource;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.DeployedFunction;
import io.sebs.junit.platform.Platform;
import io.sebs.junit.platform.PlatformContext;
import io.sebs.junit.platform.Platforms;
import io.sebs.junit.report.ResultsWriter;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
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
  private final Map<String, PreparedFunction> prepared = new ConcurrentHashMap<>();

  public BenchmarkRun(SebsConfig config) {
    this.config = config;
    this.runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
        + UUID.randomUUID().toString().substring(0, 6);
    var provider = Platforms.discover().provider(config.platform());
    this.catalog = new BenchmarkCatalog(config.benchmarksDir());
    this.bridge = new InputBridge(config.cacheDir().resolve("bridge"), "python3");
    this.results = new ResultsWriter(config.resultsDir().resolve(runId), config.confidence());
    this.platform = provider.create(
        new PlatformContext(config, new WrapperSource(catalog.root()), config.cacheDir()));
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

  /** Deploys the function and generates its input, once per specification in this run. */
  public PreparedFunction prepare(FunctionSpec spec) {
    return prepared.computeIfAbsent(spec.deploymentKey() + "|" + spec.size(), key -> {
      long t0 = System.nanoTime();
      InputBridge.GeneratedInput input = bridge.generate(spec.benchmark(), spec.size(), config.dataDir());
      Duration inputTime = Duration.ofNanos(System.nanoTime() - t0);
      if (input.needsStorage()) {
        throw new UnsupportedOperationException("Benchmark " + spec.benchmark().id()
            + " needs object storage or NoSQL (input.py asks for " + input.inputBuckets() + " input and "
            + input.outputBuckets() + " output prefixes, " + input.uploads().size()
            + " uploads): storage is not available in this version of sebs-junit");
      }
      long t1 = System.nanoTime();
      DeployedFunction deployed = platform.deploy(spec);
      Duration deployTime = Duration.ofNanos(System.nanoTime() - t1);
      return new PreparedFunction(spec, deployed, input,
          new PlatformFunctionInvoker(platform, deployed, input.input()), deployTime, inputTime, bridge);
    });
  }

  @Override
  public void close() {
    platform.close();
  }
}
