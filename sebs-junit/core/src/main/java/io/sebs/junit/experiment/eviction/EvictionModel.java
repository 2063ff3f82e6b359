package io.sebs.junit.experiment.eviction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.experiment.Experiment;
import io.sebs.junit.series.SeriesRunner;
import io.sebs.junit.platform.KeepAlive;
import io.sebs.junit.report.Charts;
import io.sebs.junit.run.ExperimentScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * SeBS's eviction model: how long does a platform keep idle instances? For each idle time {@code t} and
 * instance count {@code N}: retire the function's instances, start {@code N} of them with {@code N}
 * invocations released together, leave them idle for {@code t}, then invoke {@code N} times together
 * again and record, from the function's own {@code is_cold} report and container id, which of the second
 * round found a warm instance.
 *
 * <p>Where the platform enforces a known keep-alive rule (the local platform's
 * {@code sebs.local.keepAlive}), each point also carries the rule's prediction, so a run checks the
 * platform against its own rule. For {@code N} invocations to need {@code N} instances they must overlap:
 * use a function that runs for a while (010.sleep) or at least one whose start-up dominates.
 *
 * <pre>{@code
 * @Test
 * void keepAlive(EvictionModel eviction) {
 *   EvictionResult r = eviction.run(List.of(Duration.ofSeconds(1), Duration.ofSeconds(30)), List.of(1, 5));
 *   assertThat(r.contradictions()).isEmpty();
 * }
 * }</pre>
 */
public final class EvictionModel implements Experiment {

  private static final Logger LOG = Logger.getLogger(EvictionModel.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Timing noise allowed around the keep-alive rule before a prediction is definite. */
  static final Duration MIN_MARGIN = Duration.ofMillis(100);

  private final ExperimentScope scope;

  private EvictionModel(ExperimentScope scope) {
    this.scope = scope;
  }

  /** Built by the extension for the test's benchmark. */
  public static EvictionModel create(ExperimentScope scope) {
    return new EvictionModel(scope);
  }

  /** The platform's keep-alive rule, where it has a known one. */
  public Optional<KeepAlive> platformKeepAlive() {
    return scope.run().platform().keepAlive();
  }

  /** Runs every idle time with every instance count, invoking with the benchmark's generated input. */
  public EvictionResult run(List<Duration> idleTimes, List<Integer> instanceCounts) {
    return run(idleTimes, instanceCounts, scope.function().invoker().input());
  }

  /**
   * Runs every idle time (outer loop, in the given order) with every instance count, invoking with
   * {@code payload}, and writes {@code <Test.method>.eviction.json} and {@code .eviction.csv}, then the chart
   * {@code .eviction.warm-fraction.png} (idle time against the fraction found warm, keep-alive marked).
   *
   * @throws IllegalArgumentException for an empty list, a negative idle time or an instance count below 1
   */
  public EvictionResult run(List<Duration> idleTimes, List<Integer> instanceCounts, Object payload) {
    if (idleTimes.isEmpty() || instanceCounts.isEmpty()) {
      throw new IllegalArgumentException("Give at least one idle time and one instance count, e.g. "
          + "run(List.of(Duration.ofSeconds(1)), List.of(1))");
    }
    idleTimes.forEach(t -> {
      if (t.isNegative()) {
        throw new IllegalArgumentException("Idle times must not be negative, was " + t);
      }
    });
    instanceCounts.forEach(n -> {
      if (n < 1) {
        throw new IllegalArgumentException("Instance counts must be at least 1, was " + n);
      }
    });
    FunctionInvoker invoker = scope.function().invoker();
    JsonNode event = payload instanceof JsonNode node ? node : JSON.valueToTree(payload);
    Optional<KeepAlive> rule = platformKeepAlive();
    Duration margin = rule.map(EvictionModel::margin).orElse(Duration.ZERO);
    List<EvictionPoint> points = new ArrayList<>();
    for (Duration idle : idleTimes) {
      for (int n : instanceCounts) {
        EvictionPoint point = measure(invoker, event, idle, n, rule, margin);
        LOG.info(() -> String.format("eviction: idle %s, %d instances: %d warm, %d cold, %d failed (predicted %s)",
            idle, n, point.warmCount(), point.coldCount(), point.failedCount(), point.predicted()));
        points.add(point);
      }
    }
    EvictionResult result = new EvictionResult(invoker.platform(), invoker.functionName(), rule, margin, points);
    scope.writeResult("eviction.json", "application/json", result.toJson());
    scope.writeResult("eviction.csv", "text/csv", result.toCsv());
    EvictionCharts.write(scope, result, Charts.DEFAULT);
    return result;
  }

  /** 5% of the keep-alive, at least {@link #MIN_MARGIN}: scheduling, GC and process-kill delays. */
  static Duration margin(KeepAlive rule) {
    Duration relative = rule.keepAlive().dividedBy(20);
    return relative.compareTo(MIN_MARGIN) > 0 ? relative : MIN_MARGIN;
  }

  private static EvictionPoint measure(FunctionInvoker invoker, JsonNode event, Duration idle, int n,
      Optional<KeepAlive> rule, Duration margin) {
    SeriesRunner runner = new SeriesRunner(invoker, event, SeriesRunner.ProgressListener.NONE);
    invoker.enforceColdStart();
    List<Invocation> first = runner.bursts(1, n).invocations();
    long firstEnded = System.nanoTime();
    Invocation firstFailure = first.stream().filter(Invocation::failed).findFirst().orElse(null);
    if (firstFailure != null) {
      throw new IllegalStateException("The first round (starting " + n + " instances) failed, so there is nothing "
          + "to evict: " + firstFailure.failureReason().orElse("unknown reason"));
    }
    Set<String> started = new HashSet<>();
    first.forEach(i -> started.add(i.containerId()));
    int firstCold = (int) first.stream().filter(Invocation::isCold).count();
    sleep(idle);
    Duration measuredIdle = Duration.ofNanos(System.nanoTime() - firstEnded);
    List<SecondRoundInvocation> second = new ArrayList<>();
    for (Invocation i : runner.bursts(1, n).invocations()) {
      second.add(new SecondRoundInvocation(i.requestId(), i.isCold(), i.containerId(),
          started.contains(i.containerId()), i.failureReason().orElse(null)));
    }
    KeepAlive.Outcome predicted = rule.map(r -> r.predict(measuredIdle, margin)).orElse(null);
    return new EvictionPoint(idle, n, measuredIdle, new ArrayList<>(started), firstCold, second, predicted);
  }

  private static void sleep(Duration idle) {
    try {
      Thread.sleep(idle.toMillis(), idle.toNanosPart() % 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while the instances were idle", e);
    }
  }
}
