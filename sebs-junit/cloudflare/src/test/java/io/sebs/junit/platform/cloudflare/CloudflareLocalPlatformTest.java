package io.sebs.junit.platform.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.PreparedFunction;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Worker on workerd, for real, on the fixture echo function and 110.dynamic-html: what a package holds,
 * how an error reads, what cold and warm mean (a workerd process is an isolate), and what this phase refuses.
 */
class CloudflareLocalPlatformTest {

  @TempDir
  Path results;

  private BenchmarkRun run;

  @AfterEach
  void close() {
    if (run != null) {
      run.close();
    }
  }

  private BenchmarkRun run(Path benchmarks) {
    run = new BenchmarkRun(Fixtures.config(results, "sebs.platform", CloudflareLocalPlatform.NAME,
        "sebs.benchmarks.dir", benchmarks.toString()));
    return run;
  }

  private PreparedFunction deploy(Path benchmarks, String benchmark, String language) {
    return run(benchmarks).prepare(run.spec(benchmark, language, "", "test", 0, 0));
  }

  private CloudflareLocalPlatform platform() {
    return (CloudflareLocalPlatform) run.platform();
  }

  @Test
  void theColdCallStartsAWorkerdProcessAndWarmCallsReuseItsIsolate() {
    FunctionInvoker fn = deploy(Fixtures.benchmarksDir(), "901.echo", "nodejs").invoker();

    Invocation cold = fn.invoke(Map.of("message", "one"));
    List<Long> processes = platform().instancePids();
    Invocation warm = fn.invoke(Map.of("message", "two"));

    assertThat(cold.failed()).as("%s", cold).isFalse();
    assertThat(cold.isCold()).isTrue();
    assertThat(cold.initTime()).as("the workerd process's start until it listened").isPresent();
    assertThat(warm.isCold()).isFalse();
    assertThat(warm.containerId()).isEqualTo(cold.containerId());
    assertThat(platform().instancePids()).isEqualTo(processes).hasSize(1);
    assertThat(warm.output().path("echo").path("message").asText()).isEqualTo("two");
  }

  @Test
  void bundlesMadeAnotherWayAreKeptApartFromThisOnes() {
    assertThat(WorkerBundle.buildId()).startsWith("esbuild-").hasSize("esbuild-".length() + 12)
        .isEqualTo(WorkerBundle.buildId());
  }

  @Test
  void aClockShiftInjectedForTestsMovesTheFunctionsTimestamps() {
    run = new BenchmarkRun(Fixtures.config(results, "sebs.platform", CloudflareLocalPlatform.NAME,
        "sebs.benchmarks.dir", Fixtures.benchmarksDir().toString(), "sebs.local.clockOffsetMs", "5000"));
    FunctionInvoker fn = run.prepare(run.spec("901.echo", "nodejs", "", "test", 0, 0)).invoker();
    fn.invoke();

    io.sebs.junit.platform.InvocationResult warm = (io.sebs.junit.platform.InvocationResult) fn.invoke();

    long ahead = warm.functionBeginMicros() - warm.clientBeginMicros();
    assertThat(ahead).as("the function's begin on its shifted clock, after the client's begin")
        .isBetween(4_900_000L, 5_900_000L);
  }

  @Test
  void anEnforcedColdStartIsANewWorkerdProcessAndTheOldOneIsGone() {
    FunctionInvoker fn = deploy(Fixtures.benchmarksDir(), "901.echo", "nodejs").invoker();
    fn.invoke();
    long first = platform().instancePids().get(0);

    fn.enforceColdStart();
    Invocation cold = fn.invoke();

    assertThat(cold.isCold()).isTrue();
    assertThat(platform().instancePids()).doesNotContain(first).hasSize(1);
    assertThat(ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void aThrownErrorNamesTheBenchmarksOwnLineThroughTheBundlesSourceMap() {
    FunctionInvoker fn = deploy(Fixtures.benchmarksDir(), "901.echo", "nodejs").invoker();

    Invocation error = fn.invoke(Map.of("fail", "boom"));

    assertThat(error.failed()).isTrue();
    assertThat(error.failureReason().orElseThrow())
        .startsWith("function error: Error: boom (at function.js:10 in exports.handler)")
        .contains("at exports.handler (function/function.js:10:")
        .doesNotContain("bundle/worker.js");
    assertThat(error.containerId()).as("the answer still carries the contract's fields").isNotEmpty();
  }

  @Test
  void aPackageIsOneBundleWithTheFunctionsFilesAsModulesAndAPinnedCompatibilityDate() throws Exception {
    PreparedFunction fn = deploy(Fixtures.catalogueDir(), "110.dynamic-html", "nodejs");

    Invocation page = fn.invoker().invoke(Map.of("username", "edge", "random_len", 3));

    assertThat(page.failed()).as("%s", page).isFalse();
    assertThat(page.output().asText()).contains("edge").contains("<li>");
    Path packageDir = Fixtures.cacheDir().resolve("cloudflare").resolve(WorkerBundle.buildId())
        .resolve(fn.spec().packageName() + "-" + fn.deployed().codeHash().substring(0, 16));
    assertThat(packageDir.resolve(WorkerBundle.BUNDLE)).content()
        .as("mustache from node_modules is inside the bundle").contains("mustache");
    String config = Files.list(packageDir).filter(p -> p.toString().endsWith(".capnp"))
        .sorted(java.util.Comparator.comparing((Path p) -> p.toFile().lastModified()).reversed()) // this run's
        .map(CloudflareLocalPlatformTest::read)
        .filter(c -> c.contains(fn.spec().functionName())).findFirst().orElseThrow();
    assertThat(config)
        .contains("(name = \"worker.js\", esModule = embed \"bundle/worker.js\")")
        .contains("(name = \"sebs-sourcemap.json\", json = embed \"bundle/worker.js.map\")")
        .contains("(name = \"function/templates/template.html\", data = embed \"function/templates/template.html\")")
        .contains("compatibilityDate = \"" + CloudflareSettings.DEFAULT_COMPATIBILITY_DATE + "\"")
        .as("nodejs_compat is the default at this compatibility date").contains("compatibilityFlags = []")
        .doesNotContain("package.json");
    assertThat(WorkerdConfig.compatibilityFlags(java.time.LocalDate.of(2026, 8, 3)))
        .as("an older date needs it listed").containsExactly("nodejs_compat");
  }

  @Test
  void anInvocationsProviderTimeIsItsCpuTimeWhichWorkersPricesBill() {
    FunctionInvoker fn = deploy(Fixtures.catalogueDir(), "010.sleep", "nodejs").invoker();
    Invocation cold = fn.invoke(Map.of("sleep", 0)); // the isolate loads the function: CPU work

    Invocation sleeping = fn.invoke(Map.of("sleep", 0.3));

    assertThat(cold.providerTime()).as("the cold call's CPU time is read, not missing or zero").get()
        .matches(cpu -> cpu.compareTo(java.time.Duration.ZERO) > 0, "positive");
    assertThat(sleeping.failed()).as("%s", sleeping).isFalse();
    assertThat(sleeping.benchmarkTime()).isGreaterThanOrEqualTo(java.time.Duration.ofMillis(299));
    assertThat(sleeping.providerTime()).as("CPU time, not the 300 ms of waiting").get()
        .matches(cpu -> cpu.compareTo(java.time.Duration.ofMillis(100)) < 0, "under 100 ms");
    assertThat(run.costModel().prices().provider()).as("cloudflare-local is priced as Workers").isEqualTo("cloudflare");
  }

  @Test
  void aPythonBenchmarkFailsAtDeployNamingTheSupportedLanguage() {
    run(Fixtures.benchmarksDir());

    assertThatThrownBy(() -> run.prepare(run.spec("901.echo", "python", "", "test", 0, 0)))
        .hasMessageContaining("901.echo in python cannot run on cloudflare-local")
        .hasMessageContaining("Node.js benchmarks only (language = \"nodejs\")");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
