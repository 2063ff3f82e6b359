package io.sebs.junit.platform.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.run.BenchmarkRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The platform contract, as tests every platform's module runs by extending this class (a TCK): a first
 * call is cold and the next warm on the same instance, an enforced cold start makes the next call cold on a
 * new instance, concurrent calls start new instances, a function error, a crash mid-request and a timeout
 * are failed invocations that say why (and the platform recovers), storage round-trips, and closing the run
 * leaves nothing behind. It runs the fixture benchmarks (901.echo, 903.storage-echo) in each of
 * {@link #languages()}. A platform that cannot show a behaviour says why in {@link #cannotShow}, and the
 * test is aborted with that reason rather than silently passing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PlatformTck {

  /**
   * Behaviours a platform (or its stand-in) may be unable to show: {@code STORAGE}, object and NoSQL storage
   * from the function; {@code SUB_MILLISECOND_CLOCK}, a function-side clock fine enough that a trivial call's
   * benchmark time is positive (Workers read time in whole milliseconds, so theirs may be 0).
   */
  public enum Behaviour { SCALE_OUT, CRASH, TIMEOUT, STORAGE, SUB_MILLISECOND_CLOCK }

  /** What a platform still holds of a run after it is closed, gathered before it closes. */
  @FunctionalInterface
  public interface Leftovers {
    /** Descriptions of what is left (processes, containers, functions); empty when nothing is. */
    List<String> afterClose();
  }

  @TempDir
  protected Path results;

  /** Where 901.echo raises its "fail" error, as each language's wrapper names the function's own frame. */
  private static final Map<String, String> USER_FRAME = Map.of(
      "python", "function.py:13 in handler",
      "nodejs", "function.js:10 in exports.handler",
      "java", "Function.java:22 in function.Function.handler");

  private BenchmarkRun run;
  private Leftovers leftovers;

  /** Configuration of a run on the platform under test (start from {@code Fixtures.config(results, ...)}). */
  protected abstract SebsConfig config(Path resultsDir);

  /** Called before the run closes: how to tell, afterwards, what the platform left behind. */
  protected abstract Leftovers leftovers(BenchmarkRun run);

  /** The languages the contract runs in. */
  protected List<String> languages() {
    return List.of("python", "nodejs");
  }

  /** Why this platform cannot show a behaviour; empty (the default) when it can. */
  protected Optional<String> cannotShow(Behaviour behaviour) {
    return Optional.empty();
  }

  /** The run of the current test, opened on first use. */
  protected final BenchmarkRun run() {
    if (run == null) {
      run = new BenchmarkRun(config(results));
    }
    return run;
  }

  private FunctionInvoker deploy(String benchmark, String language) {
    return run().prepare(run().spec(benchmark, language, "", "test", 0, 0)).invoker();
  }

  @AfterEach
  final void closingTheRunLeavesNothingBehind() {
    if (run != null) {
      leftovers = leftovers(run);
      String runId = run.runId();
      run.close();
      run = null;
      assertThat(leftovers.afterClose()).as("what run %s left behind", runId).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("languages")
  void theFirstCallIsColdAndTheNextWarmOnTheSameInstance(String language) {
    FunctionInvoker fn = deploy("901.echo", language);

    Invocation first = fn.invoke();
    Invocation second = fn.invoke(Map.of("message", "again"));

    assertThat(first.failed()).as("%s", first).isFalse();
    assertThat(first.isCold()).isTrue();
    assertThat(first.initTime()).as("init time of the cold call").isPresent();
    assertThat(second.failed()).as("%s", second).isFalse();
    assertThat(second.isCold()).isFalse();
    assertThat(second.initTime()).as("init time of the warm call").isEmpty();
    assertThat(second.containerId()).isEqualTo(first.containerId());
    assertThat(second.output().path("echo").path("message").asText()).isEqualTo("again");
    if (cannotShow(Behaviour.SUB_MILLISECOND_CLOCK).isEmpty()) {
      assertThat(second.benchmarkTime()).isLessThanOrEqualTo(second.clientTime());
      assertThat(second.benchmarkTime()).isPositive();
    } else {
      // two readings of a millisecond clock differ by up to 1 ms more than the time between them
      assertThat(second.benchmarkTime()).isGreaterThanOrEqualTo(Duration.ZERO)
          .isLessThanOrEqualTo(second.clientTime().plusMillis(1));
    }
  }

  @ParameterizedTest
  @MethodSource("languages")
  void anEnforcedColdStartMakesTheNextCallColdOnANewInstance(String language) {
    FunctionInvoker fn = deploy("901.echo", language);
    Invocation warmed = fn.invoke();

    fn.enforceColdStart();
    Invocation cold = fn.invoke();

    assertThat(cold.failed()).as("%s", cold).isFalse();
    assertThat(cold.isCold()).isTrue();
    assertThat(cold.containerId()).isNotEqualTo(warmed.containerId());
  }

  @ParameterizedTest
  @MethodSource("languages")
  void concurrentCallsStartNewInstances(String language) throws Exception {
    assume(Behaviour.SCALE_OUT);
    FunctionInvoker fn = deploy("901.echo", language);
    fn.invoke(); // one warm instance exists

    List<Invocation> burst = invokeConcurrently(fn, 3, Map.of("sleep", 0.5));

    assertThat(burst).noneMatch(Invocation::failed);
    Set<String> instances = burst.stream().map(Invocation::containerId).collect(Collectors.toSet());
    assertThat(instances).hasSize(3);
    assertThat(burst.stream().filter(Invocation::isCold).count()).isGreaterThanOrEqualTo(2);
  }

  @ParameterizedTest
  @MethodSource("languages")
  void aFunctionErrorIsAFailedInvocationWithTheFunctionsMessageAndKeepsTheInstance(String language) {
    FunctionInvoker fn = deploy("901.echo", language);
    Invocation before = fn.invoke();

    Invocation error = fn.invoke(Map.of("fail", "boom"));
    Invocation next = fn.invoke();

    assertThat(error.failed()).isTrue();
    assertThat(error.failureReason()).hasValueSatisfying(r -> assertThat(r).contains("boom"));
    assertThat(error.failureReason().orElseThrow().lines().findFirst().orElseThrow())
        .as("the summary line names the function's own frame, not the wrapper's")
        .endsWith("boom (at " + USER_FRAME.get(language) + ")");
    assertThat(next.failed()).as("%s", next).isFalse();
    assertThat(next.isCold()).isFalse();
    assertThat(next.containerId()).isEqualTo(before.containerId());
  }

  @ParameterizedTest
  @MethodSource("languages")
  void aCrashMidRequestIsAFailedInvocationAndTheNextCallGetsAFreshInstance(String language) {
    assume(Behaviour.CRASH);
    FunctionInvoker fn = deploy("901.echo", language);
    Invocation before = fn.invoke();

    Invocation crashed = fn.invoke(Map.of("crash", true));
    Invocation next = fn.invoke();

    assertThat(crashed.failed()).isTrue();
    assertThat(crashed.failureReason()).isPresent();
    assertThat(next.failed()).as("%s", next).isFalse();
    assertThat(next.isCold()).isTrue();
    assertThat(next.containerId()).isNotEqualTo(before.containerId());
  }

  @ParameterizedTest
  @MethodSource("languages")
  void aCallPastTheTimeoutFailsSoonAfterItAndThePlatformRecovers(String language) {
    assume(Behaviour.TIMEOUT);
    FunctionInvoker fn = deploy("901.echo", language); // 901.echo's config.json: "timeout": 2
    fn.invoke();

    Invocation slow = fn.invoke(Map.of("sleep", 6));
    Invocation next = fn.invoke();

    assertThat(slow.failed()).isTrue();
    assertThat(slow.failureReason()).hasValueSatisfying(r -> assertThat(r.toLowerCase()).contains("time"));
    assertThat(slow.clientTime()).isBetween(Duration.ofMillis(1900), Duration.ofMillis(5500));
    assertThat(next.failed()).as("%s", next).isFalse();
  }

  @ParameterizedTest
  @MethodSource("languages")
  void objectAndNoSqlStorageRoundTripFromTheFunction(String language) {
    assume(Behaviour.STORAGE);
    Assumptions.assumeTrue(run().catalog().find("903.storage-echo").config().languages().contains(language),
        () -> "903.storage-echo has no " + language + " implementation (the SeBS modules storage and nosql are"
            + " Python and Node.js interfaces)");
    FunctionInvoker fn = deploy("903.storage-echo", language);

    Invocation first = fn.invoke();

    assertThat(first.failed()).as("%s", first).isFalse();
    assertThat(first.output().path("seeded").asText()).isEqualTo("seeded");
    assertThat(first.output().path("versions").toString()).contains("v1", "v2");
  }

  private void assume(Behaviour behaviour) {
    Optional<String> reason = cannotShow(behaviour);
    Assumptions.assumeTrue(reason.isEmpty(), () -> behaviour + " not tested on this platform: " + reason.orElse(""));
  }

  private static List<Invocation> invokeConcurrently(FunctionInvoker fn, int n, Object payload) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Callable<Invocation>> calls = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        calls.add(() -> fn.invoke(payload));
      }
      List<Invocation> invocations = new ArrayList<>();
      for (Future<Invocation> f : pool.invokeAll(calls)) {
        invocations.add(f.get());
      }
      return invocations;
    } finally {
      pool.shutdownNow();
    }
  }
}
