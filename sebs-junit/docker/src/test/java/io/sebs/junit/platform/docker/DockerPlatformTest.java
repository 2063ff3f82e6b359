package io.sebs.junit.platform.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.platform.DeployedFunction;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.PreparedFunction;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The docker platform runs each function instance as a container and follows the same FaaS rules as the
 * local platform: cold then warm on the same container, a new container after an enforced cold start,
 * crashes and timeouts as failed invocations, the function's memory and CPU as container limits, labels
 * on every container, and nothing left after the run. Runs for real on the fixture echo function in
 * Python, Node.js and Java, and installs a benchmark's tools into its image; skipped (with how to get one) when no Docker engine answers.
 */
class DockerPlatformTest {

  private static DockerClient docker;

  @TempDir
  Path results;

  private BenchmarkRun run;

  /** Per test, so each skipped test is reported with the reason (a class-level abort shows as no tests). */
  @BeforeEach
  void engine() {
    docker = TestDockerEngine.clientOrSkip();
  }

  private PreparedFunction prepare(String benchmark, String language, int memoryMb, int timeoutSeconds) {
    if (run == null) {
      run = new BenchmarkRun(Fixtures.config(results, "sebs.platform", "docker", DockerSettings.KEEP_ALIVE, "60s"));
    }
    return run.prepare(run.spec(benchmark, language, "", "test", memoryMb, timeoutSeconds));
  }

  private FunctionInvoker deploy(String language) {
    return prepare("901.echo", language, 0, 0).invoker();
  }

  private DockerPlatform platform() {
    return (DockerPlatform) run.platform();
  }

  private List<DockerResources.Resource> containersOfThisRun() {
    return new DockerResources(docker).list(run.runId());
  }

  @AfterEach
  void closeRunAndCheckNothingIsLeft() {
    if (run != null) {
      String runId = run.runId();
      run.close();
      assertThat(new DockerResources(docker).list(runId)).as("containers of run %s after close", runId).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "nodejs"})
  void firstInvocationIsColdAndTheNextReusesTheContainer(String language) {
    FunctionInvoker fn = deploy(language);

    Invocation first = fn.invoke();
    Invocation second = fn.invoke();

    assertThat(first.failed()).as("%s", first).isFalse();
    assertThat(first.isCold()).isTrue();
    assertThat(first.initTime()).isPresent();
    assertThat(second.isCold()).isFalse();
    assertThat(second.containerId()).isEqualTo(first.containerId());
    assertThat(second.output().path("echo").path("message").asText()).isEqualTo("hello");
    assertThat(containersOfThisRun()).hasSize(1);
    System.out.printf("docker %s: cold %s (instance start %s), warm %s%n", language, first.clientTime(),
        first.initTime().orElseThrow(), second.clientTime());
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "nodejs"})
  void enforcingAColdStartReplacesTheContainer(String language) {
    PreparedFunction prepared = prepare("901.echo", language, 0, 0);
    FunctionInvoker fn = prepared.invoker();
    fn.invoke();
    List<String> before = platform().containerIds(prepared.deployed());

    fn.enforceColdStart();
    Invocation cold = fn.invoke();

    List<String> after = platform().containerIds(prepared.deployed());
    assertThat(cold.isCold()).isTrue();
    assertThat(before).hasSize(1);
    assertThat(after).hasSize(1).doesNotContainAnyElementsOf(before);
    assertThatThrownBy(() -> docker.inspectContainerCmd(before.get(0)).exec())
        .as("the retired container is removed").isInstanceOf(NotFoundException.class);
  }

  @Test
  void aTimeoutRemovesTheContainerAndFailsTheInvocation() {
    PreparedFunction prepared = prepare("901.echo", "python", 0, 0);
    FunctionInvoker fn = prepared.invoker();
    fn.invoke();
    String container = platform().containerIds(prepared.deployed()).get(0);

    Invocation slow = fn.invoke(Map.of("sleep", 5));

    assertThat(slow.failed()).isTrue();
    assertThat(slow.failureReason()).hasValueSatisfying(r -> assertThat(r).contains("timeout").contains(container));
    assertThatThrownBy(() -> docker.inspectContainerCmd(container).exec()).isInstanceOf(NotFoundException.class);
    assertThat(fn.invoke().isCold()).isTrue();
  }

  @Test
  void javaFunctionsRunInTheJavaImageWithTheHeapBelowTheContainersMemory() {
    // 30 s timeout: a JVM's first request on a quarter CPU (256 MB) takes seconds of class loading, more
    // than the fixture's 2 s
    PreparedFunction prepared = prepare("901.echo", "java", 256, 30);
    FunctionInvoker fn = prepared.invoker();

    Invocation first = fn.invoke();
    Invocation second = fn.invoke();

    assertThat(first.failed()).as("%s", first).isFalse();
    assertThat(first.isCold()).isTrue();
    assertThat(second.isCold()).isFalse();
    assertThat(second.output().path("echo").path("message").asText()).isEqualTo("hello");
    InspectContainerResponse container =
        docker.inspectContainerCmd(platform().containerIds(prepared.deployed()).get(0)).exec();
    assertThat(container.getConfig().getImage()).isEqualTo(BaseImages.JAVA);
    // the cgroup limit covers the whole JVM, so the heap gets 85 % of the function's 256 MB
    assertThat(container.getConfig().getCmd()).contains("-Xmx217m");
    assertThat(second.output().path("max_heap_bytes").asLong()).as("the JVM's heap limit, as it reports it")
        .isBetween(150L << 20, 217L << 20);
    assertThat(container.getHostConfig().getMemory()).isEqualTo(256L * 1024 * 1024);
    System.out.printf("docker java: cold %s (instance start %s), warm %s%n", first.clientTime(),
        first.initTime().orElseThrow(), second.clientTime());
  }

  @Test
  void aBenchmarksToolsAreInstalledInTheImageItsFunctionRunsIn() {
    Assumptions.assumeTrue(io.sebs.junit.process.Command.onPath("ffmpeg").isPresent(),
        "ffmpeg is not on this machine's PATH (the fixture's input step checks its tools on the host): "
            + "apt-get install ffmpeg");
    FunctionInvoker fn = prepare("907.tool-in-container", "python", 0, 0).invoker();

    Invocation invocation = fn.invoke();

    assertThat(invocation.failed()).as("%s", invocation).isFalse();
    assertThat(invocation.output().path("path").asText()).isEqualTo("/usr/bin/ffmpeg");
    assertThat(invocation.output().path("version").asText()).startsWith("ffmpeg version");
    String derived = BaseImages.PYTHON + "-ffmpeg";
    String baseId = docker.inspectImageCmd(BaseImages.PYTHON).exec().getId();
    assertThat(docker.inspectImageCmd(derived).exec().getConfig().getLabels())
        .as("the derived image remembers its base, to be rebuilt when the base changes")
        .containsEntry(ToolImages.BASE_LABEL, baseId);
    String imageId = docker.inspectImageCmd(derived).exec().getId();
    assertThat(new ToolImages(docker, Map.of()).withTools(BaseImages.PYTHON, List.of("ffmpeg")))
        .isEqualTo(derived);
    assertThat(docker.inspectImageCmd(derived).exec().getId()).as("built once, then reused").isEqualTo(imageId);
  }

  @Test
  void aToolAptCannotInstallFailsWithAptsOutputAndLeavesNoContainer() {
    String runId = "tools-" + System.nanoTime();
    ToolImages images = new ToolImages(docker, Map.of(DockerPlatform.LABEL, "true", DockerPlatform.RUN_LABEL, runId));

    assertThatThrownBy(() -> images.withTools(BaseImages.PYTHON, List.of("sebs-no-such-package")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Installing sebs-no-such-package into " + BaseImages.PYTHON)
        .hasMessageContaining("must be a Debian package")
        .hasMessageContaining("exited with code 100")
        .hasMessageContaining("Unable to locate package sebs-no-such-package");
    assertThat(new DockerResources(docker).list(runId)).as("the install container is removed").isEmpty();
    assertThatThrownBy(() -> docker.inspectImageCmd(BaseImages.PYTHON + "-sebs-no-such-package").exec())
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void aToolThatIsNotADebianPackageNameIsRejectedWithTheFix() {
    assertThatThrownBy(() -> new ToolImages(docker, Map.of()).withTools(BaseImages.PYTHON, List.of("FF mpeg")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'FF mpeg' is not a Debian package name")
        .hasMessageContaining("config.json");
  }

  @Test
  void theFunctionsMemoryAndCpuShareAreTheContainersLimitsAndItIsLabelled() {
    PreparedFunction prepared = prepare("901.echo", "python", 256, 0);
    prepared.invoker().invoke();
    DeployedFunction deployed = prepared.deployed();

    InspectContainerResponse container = docker.inspectContainerCmd(platform().containerIds(deployed).get(0)).exec();

    assertThat(container.getHostConfig().getMemory()).isEqualTo(256L * 1024 * 1024);
    assertThat(container.getHostConfig().getMemorySwap()).as("no swap").isEqualTo(256L * 1024 * 1024);
    assertThat(container.getHostConfig().getNanoCPUs()).isEqualTo(Math.round(platform().cpuLimit(256) * 1e9));
    assertThat(container.getHostConfig().getNetworkMode()).isEqualTo("host");
    assertThat(container.getConfig().getLabels())
        .containsEntry(DockerPlatform.LABEL, "true")
        .containsEntry(DockerPlatform.RUN_LABEL, run.runId());
  }

  @Test
  void theInjectedClockOffsetReachesTheContainerAndIsDeclaredForExperimentsToRecord() {
    run = new BenchmarkRun(Fixtures.config(results, "sebs.platform", "docker", "sebs.local.clockOffsetMs", "250"));
    PreparedFunction prepared = run.prepare(run.spec("901.echo", "python", "", "test", 0, 0));
    prepared.invoker().invoke();

    InspectContainerResponse container =
        docker.inspectContainerCmd(platform().containerIds(prepared.deployed()).get(0)).exec();

    assertThat(container.getConfig().getEnv()).contains("SEBS_CLOCK_OFFSET_MS=250.0");
    assertThat(run.platform().injectedClockOffsetMicros()).hasValue(250_000.0);
  }

  @Test
  void theCpuShareFollowsMemoryLikeLambdaWithinBounds() {
    prepare("901.echo", "python", 0, 0);
    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(platform().cpuLimit(128)).isEqualTo(Math.min(0.25, cores));
    assertThat(platform().cpuLimit(1769)).isEqualTo(Math.min(1.0, cores));
    assertThat(platform().cpuLimit(10240)).isEqualTo(Math.min(10240 / 1769.0, cores));
  }

  @Test
  void eachInvocationReportsTheContainersPeakMemoryWhichRisesWithAnAllocation() {
    FunctionInvoker fn = prepare("901.echo", "python", 128, 0).invoker();

    Invocation before = fn.invoke(Map.of("message", "small"));
    Invocation after = fn.invoke(Map.of("allocate_mb", 50));
    Invocation later = fn.invoke(Map.of("message", "small again"));

    assertThat(after.failed()).as("%s", after).isFalse();
    assertThat(after.containerId()).isEqualTo(before.containerId());
    double mb0 = before.memoryUsed().orElseThrow();
    double mb1 = after.memoryUsed().orElseThrow();
    System.out.printf("docker python 128 MB: container peak %.1f MB, after allocating 50 MB %.1f MB, later %.1f MB%n",
        mb0, mb1, later.memoryUsed().orElseThrow());
    // the cgroup's peak: an interpreter's few MB at least, within the 128 MB limit; 50 MB more after the
    // allocation (a little slack for pages the interpreter's allocator had already counted)
    assertThat(mb0).isBetween(1.0, 128.0);
    assertThat(mb1 - mb0).isGreaterThan(45.0);
    assertThat(later.memoryUsed().orElseThrow()).as("a peak never falls").isGreaterThanOrEqualTo(mb1);

    // what the read costs per invocation (a cgroup file read; printed, not asserted)
    String fullId = docker.inspectContainerCmd(platform().containerIds(run.prepare(
        run.spec("901.echo", "python", "", "test", 128, 0)).deployed()).get(0)).exec().getId();
    ContainerMemoryPeak peak = ContainerMemoryPeak.of(fullId);
    double[] micros = new double[2000];
    for (int i = 0; i < micros.length; i++) {
      long t0 = System.nanoTime();
      peak.megabytes();
      micros[i] = (System.nanoTime() - t0) / 1e3;
    }
    var reads = io.sebs.junit.stats.SampleStatistics.of(java.util.Arrays.copyOfRange(micros, 200, micros.length));
    System.out.printf("docker memory peak read: median %.1f us, p90 %.1f us (1800 reads after 200 warm-up)%n",
        reads.median(), reads.percentile(90));
  }

  @Test
  void containerStatisticsReportTheMemoryUsed() {
    PreparedFunction prepared = prepare("901.echo", "python", 128, 0);
    prepared.invoker().invoke();

    List<DockerPlatform.MemoryUsage> usage = platform().memoryUsage(prepared.deployed());

    assertThat(usage).hasSize(1);
    DockerPlatform.MemoryUsage m = usage.get(0);
    System.out.printf("docker python 128 MB: memory used %d kB, peak %d kB, limit %d kB%n", m.usageBytes() / 1024,
        m.maxUsageBytes() / 1024, m.limitBytes() / 1024);
    // a python interpreter with the wrapper: more than 1 MB, and within the limit
    assertThat(m.usageBytes()).isBetween(1L << 20, 128L << 20);
    assertThat(m.limitBytes()).isEqualTo(128L << 20);
  }

  @Test
  void theCleanupCommandRemovesContainersLeftByAnEarlierRun() {
    String earlierRun = "earlier-" + System.nanoTime();
    String leftOver = docker.createContainerCmd(BaseImages.PYTHON).withCmd("sleep", "600")
        .withLabels(Map.of(DockerPlatform.LABEL, "true", DockerPlatform.RUN_LABEL, earlierRun)).exec().getId();
    docker.startContainerCmd(leftOver).exec();
    DockerResources resources = new DockerResources(docker);
    assertThat(resources.list(earlierRun)).extracting(DockerResources.Resource::containerId)
        .containsExactly(leftOver.substring(0, 12));

    List<DockerResources.Resource> removed = resources.delete(earlierRun);

    assertThat(removed).hasSize(1);
    assertThat(resources.list(earlierRun)).isEmpty();
    assertThatThrownBy(() -> docker.inspectContainerCmd(leftOver).exec()).isInstanceOf(NotFoundException.class);
  }

  @Test
  void startingAContainerTakesAboutASecondNotTheTimeout() {
    FunctionInvoker fn = deploy("python");
    Invocation cold = fn.invoke();
    // robust bound only: container start measured 0.65-1.4 s on these machines
    assertThat(cold.initTime().orElseThrow()).isLessThan(Duration.ofSeconds(30));
  }
}
