package io.sebs.junit.platform.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the local platform adds to the platform contract ({@link LocalPlatformTckTest}): instances are
 * processes (a timeout or a crash ends the process), memory is the process's peak, eviction after the
 * keep-alive, and no process left behind. Runs for real against the fixture echo function in Python and
 * Node.js.
 */
class LocalPlatformTest {

  @TempDir
  Path results;

  private BenchmarkRun run;

  private FunctionInvoker deploy(String language, String keepAlive) {
    run = new BenchmarkRun(Fixtures.config(results, "sebs.local.keepAlive", keepAlive));
    return run.prepare(run.spec("901.echo", language, "", "test", 0, 0)).invoker();
  }

  private LocalPlatform platform() {
    return (LocalPlatform) run.platform();
  }

  @AfterEach
  void closeRun() {
    if (run != null) {
      List<Long> pids = platform().instancePids();
      run.close();
      assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
          .as("instance pid %d after close", pid).isFalse());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "nodejs"})
  void memoryUsedIsTheInstancesPeakAndRisesWithAnAllocation(String language) {
    FunctionInvoker fn = deploy(language, "60s");

    Invocation before = fn.invoke();
    Invocation allocating = fn.invoke(Map.of("allocate_mb", 50));
    Invocation after = fn.invoke();

    assertThat(allocating.failed()).as("%s", allocating).isFalse();
    assertThat(allocating.containerId()).isEqualTo(before.containerId());
    double mb0 = before.memoryUsed().orElseThrow();
    double mb1 = allocating.memoryUsed().orElseThrow();
    System.out.printf("local %s: peak RSS %.1f MB, after allocating 50 MB %.1f MB, next %.1f MB%n", language, mb0,
        mb1, after.memoryUsed().orElseThrow());
    // the wrapper process's VmHWM: an interpreter's few MB at least; 50 MB more once the function touched
    // 50 MB (a little slack for pages the allocator already held), and a peak never falls afterwards, but
    // for the kernel's per-CPU RSS counters: VmHWM is max(high-water mark, current RSS read approximately),
    // so a read right after a free can show a few hundred KB less (seen: 99.97 after 100.05 MB)
    assertThat(mb0).isBetween(5.0, 1024.0);
    assertThat(mb1 - mb0).isGreaterThan(45.0);
    assertThat(after.memoryUsed().orElseThrow()).isGreaterThanOrEqualTo(mb1 - 0.5);
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "nodejs"})
  void enforcingAColdStartRetiresTheInstance(String language) {
    FunctionInvoker fn = deploy(language, "60s");
    Invocation warmed = fn.invoke();

    fn.enforceColdStart();
    Invocation cold = fn.invoke();

    assertThat(cold.isCold()).isTrue();
    assertThat(cold.containerId()).isNotEqualTo(warmed.containerId());
    assertThat(platform().runningInstances(run.prepare(run.spec("901.echo", language, "", "test", 0, 0)).deployed()))
        .isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "nodejs"})
  void idleInstancesAreEvictedAfterTheKeepAlive(String language) throws Exception {
    FunctionInvoker fn = deploy(language, "300ms");
    var deployed = run.prepare(run.spec("901.echo", language, "", "test", 0, 0)).deployed();
    Invocation first = fn.invoke();
    Invocation soon = fn.invoke();
    assertThat(soon.isCold()).as("reused within the keep-alive").isFalse();

    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (platform().runningInstances(deployed) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Invocation later = fn.invoke();

    assertThat(later.isCold()).as("after eviction").isTrue();
    assertThat(later.containerId()).isNotEqualTo(first.containerId());
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "nodejs"})
  void aTimeoutKillsTheInstanceAndFailsTheInvocation(String language) {
    FunctionInvoker fn = deploy(language, "60s");
    long pid = fn.invoke().output().path("pid").asLong();

    Invocation slow = fn.invoke(Map.of("sleep", 5));

    assertThat(slow.failed()).isTrue();
    assertThat(slow.failureReason()).hasValueSatisfying(r -> assertThat(r).contains("timeout").contains("2 s"));
    assertThat(slow.clientTime()).isBetween(Duration.ofMillis(1900), Duration.ofMillis(4500));
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("killed").isFalse();
    Invocation next = fn.invoke();
    assertThat(next.failed()).isFalse();
    assertThat(next.isCold()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "nodejs"})
  void aCrashFailsTheInvocationWithTheReasonAndTheNextRequestGetsAFreshInstance(String language) {
    FunctionInvoker fn = deploy(language, "60s");
    Invocation before = fn.invoke();

    Invocation crashed = fn.invoke(Map.of("crash", true));

    assertThat(crashed.failed()).isTrue();
    assertThat(crashed.failureReason()).hasValueSatisfying(r -> assertThat(r).contains("crashed").contains("code 3"));
    Invocation next = fn.invoke();
    assertThat(next.failed()).isFalse();
    assertThat(next.isCold()).isTrue();
    assertThat(next.containerId()).isNotEqualTo(before.containerId());
  }
}
