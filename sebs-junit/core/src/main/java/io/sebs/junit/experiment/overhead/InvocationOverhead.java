package io.sebs.junit.experiment.overhead;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.Invocation;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.experiment.Experiment;
import io.sebs.junit.experiment.clock.ClockExchange;
import io.sebs.junit.experiment.clock.ClockOffsetEstimate;
import io.sebs.junit.experiment.clock.ClockOffsetEstimator;
import io.sebs.junit.experiment.clock.TimestampServer;
import io.sebs.junit.platform.InvocationResult;
import io.sebs.junit.report.Charts;
import io.sebs.junit.run.ExperimentScope;
import io.sebs.junit.run.PreparedFunction;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;

/**
 * SeBS's invocation-overhead experiment (payload-size variant): how long a request takes from the client
 * sending it to the function starting, per payload size. Client and function stamp on different clocks,
 * so every invocation runs 030.clock-synchronization's exchanges with a {@link TimestampServer} in this
 * JVM, the function's clock offset is estimated from them ({@link ClockOffsetEstimator}), and the
 * invocation time is the function's {@code begin} read on the JVM's clock minus the client's send.
 *
 * <p>Works with any test benchmark: when the test's benchmark is not 030.clock-synchronization, that
 * benchmark is deployed in the test's language. On the local platform the function's true offset is
 * {@code sebs.local.clockOffsetMs}, and each estimate's error against it is recorded.
 *
 * <pre>{@code
 * @ServerlessBenchmark(value = "030.clock-synchronization", language = "python")
 * class OverheadTest {
 *   @Test
 *   void overhead(InvocationOverhead experiment) {
 *     InvocationOverheadResult result = experiment.payloadSizes(1024, 1 << 20).invocationsPerSize(5).run();
 *   }
 * }
 * }</pre>
 */
public final class InvocationOverhead implements Experiment {

  /** The benchmark whose function does the clock exchanges. */
  public static final String BENCHMARK = "030.clock-synchronization";
  /** Default payload sizes: 1 kB to 6 MB (AWS Lambda's synchronous payload limit). */
  public static final List<Integer> DEFAULT_PAYLOAD_SIZES = List.of(1_024, 16_384, 262_144, 1_048_576, 6_000_000);

  private final ExperimentScope scope;
  private List<Integer> payloadSizes = DEFAULT_PAYLOAD_SIZES;
  private int invocationsPerSize = 5;
  private int exchanges = 10;
  private boolean coldStarts;
  private ClockOffsetEstimator estimator = new ClockOffsetEstimator();

  private InvocationOverhead(ExperimentScope scope) {
    this.scope = scope;
  }

  /** Built by the extension for a test parameter. */
  public static InvocationOverhead create(ExperimentScope scope) {
    return new InvocationOverhead(scope);
  }

  /** The payload sizes (bytes of the event's {@code data} field) to sweep. */
  public InvocationOverhead payloadSizes(int... sizes) {
    List<Integer> list = new ArrayList<>();
    for (int size : sizes) {
      if (size < 0) {
        throw new IllegalArgumentException("Payload sizes must not be negative, got " + size);
      }
      list.add(size);
    }
    if (list.isEmpty()) {
      throw new IllegalArgumentException("Give at least one payload size");
    }
    this.payloadSizes = List.copyOf(list);
    return this;
  }

  /** Measured invocations per payload size (default 5). */
  public InvocationOverhead invocationsPerSize(int count) {
    this.invocationsPerSize = positive("invocationsPerSize", count);
    return this;
  }

  /** Clock exchanges per invocation (default 10; SeBS's {@code repetitions}). */
  public InvocationOverhead exchanges(int count) {
    this.exchanges = positive("exchanges", count);
    return this;
  }

  /** Whether every invocation is a cold start (default false: warm, after one warm-up invocation). */
  public InvocationOverhead coldStarts(boolean cold) {
    this.coldStarts = cold;
    return this;
  }

  /** The estimator for the exchanges (default {@link ClockOffsetEstimator#ClockOffsetEstimator()}). */
  public InvocationOverhead estimator(ClockOffsetEstimator estimator) {
    this.estimator = estimator;
    return this;
  }

  /**
   * Runs the sweep and writes {@code invocation-overhead.json} and {@code .csv} into the run's results, then
   * the charts {@code invocation-overhead.curve.png} and {@code .offsets.png}.
   */
  public InvocationOverheadResult run() {
    PreparedFunction function = clockSynchronizationFunction();
    OptionalDouble truth = scope.run().platform().injectedClockOffsetMicros();
    List<OverheadSample> samples = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    Random random = new Random(1410);
    try (TimestampServer server = TimestampServer.onLoopback()) {
      if (!coldStarts) {
        Invocation warmUp = function.invoker().invoke(event(function, server, "warm-up", ""));
        if (warmUp.failed()) {
          throw new IllegalStateException("The warm-up invocation of " + BENCHMARK + " failed: "
              + warmUp.failureReason().orElse(""));
        }
      }
      for (int size : payloadSizes) {
        String data = payload(size, random);
        for (int i = 0; i < invocationsPerSize; i++) {
          if (coldStarts) {
            function.invoker().enforceColdStart();
          }
          String requestId = "overhead-" + size + "-" + i;
          Invocation invocation = function.invoker().invoke(event(function, server, requestId, data));
          if (invocation.failed()) {
            failures.add(requestId + ": " + invocation.failureReason().orElse("failed"));
            continue;
          }
          if (!(invocation instanceof InvocationResult r)) {
            throw new IllegalStateException("The platform's invocations carry no raw timestamps ("
                + invocation.getClass().getName() + "): the overhead needs InvocationResult");
          }
          List<ClockExchange> raw = ClockExchange.fromResult(r.output());
          ClockOffsetEstimate estimate = estimator.estimate(raw);
          double invocationMicros = estimate.toServerClock(r.functionBeginMicros()) - r.clientBeginMicros();
          samples.add(new OverheadSample(size, i, r.requestId(), r.isCold(), r.clientBeginMicros(),
              r.functionBeginMicros(), invocationMicros, r.clientMicros(), estimate,
              truth.isPresent() ? estimate.errorAgainst(truth.getAsDouble()) : Double.NaN,
              truth.isPresent() ? estimate.sebsMeanErrorAgainst(truth.getAsDouble()) : Double.NaN, raw));
        }
      }
    }
    InvocationOverheadResult result = new InvocationOverheadResult(BENCHMARK, function.spec().language().id(),
        scope.run().platform().name(), samples, failures, truth);
    scope.writeResult("invocation-overhead.json", "application/json", result.toJson());
    scope.writeResult("invocation-overhead.csv", "text/csv", result.toCsv());
    scope.writeResult("invocation-overhead.exchanges.csv", "text/csv", result.exchangesCsv());
    OverheadCharts.write(scope, result, Charts.DEFAULT);
    return result;
  }

  private ObjectNode event(PreparedFunction function, TimestampServer server, String requestId, String data) {
    ObjectNode event = (ObjectNode) function.invoker().input();
    event.put("server-address", server.host());
    event.put("server-port", server.port());
    event.put("repetitions", exchanges);
    event.put("request-id", requestId);
    event.put("data", data);
    return event;
  }

  /** {@code size} characters of base64 text (random bytes, so nothing on the way can compress them). */
  static String payload(int size, Random random) {
    byte[] bytes = new byte[(size + 3) / 4 * 3];
    random.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes).substring(0, size);
  }

  private PreparedFunction clockSynchronizationFunction() {
    PreparedFunction test = scope.function();
    if (test.spec().benchmark().id().equals(BENCHMARK)) {
      return test;
    }
    FunctionSpec spec = test.spec();
    return scope.prepare(scope.run().spec(BENCHMARK, spec.language().id(), spec.languageVersion(), "test", 0, 0));
  }

  private static int positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
    return value;
  }
}
