package io.sebs.junit.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements.Kind;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.ClientClock;
import io.sebs.junit.platform.InvocationResult;
import io.sebs.junit.platform.PreparedInvocation;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.MeasureStep;
import io.sebs.junit.run.PreparedFunction;
import io.sebs.junit.run.SeriesPlan;
import io.sebs.junit.series.MeasurementSeries;
import io.sebs.junit.series.PreparingInvoker;
import io.sebs.junit.series.SeriesRunner;
import io.sebs.junit.series.StoppingRule;
import io.sebs.junit.stats.SampleStatistics;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Two figures of issue 16 that {@link HarnessOverheadBenchmark} prints after its own (see its Javadoc for
 * each printed figure):
 *
 * <ul>
 *   <li>Burst release: {@code concurrency} invocations of 010.sleep released together by {@link
 *       SeriesRunner#bursts} (what {@code @Burst} runs); the spread is over the invocations' client send
 *       instants ({@link Invocation#clientBegin()}: for a warm invocation taken by the burst's sender
 *       right before it writes the request to the instance it prepared; for a cold one taken before the
 *       instance starts, so a cold client time includes the start-up), max - min, and the p50/p90 of each send's offset from the first. The first
 *       burst starts every instance (cold); the warm bursts that follow reuse them, prepared on their own
 *       threads and sent back to back by the releasing thread ({@code PreparingInvoker}). The release lines
 *       split the warm send spread: when the single sender reached each invocation, and each one's time from
 *       there to its send instant.
 *   <li>Heap of a long warm series: a no-op (010.sleep, sleep 0) measured through {@link MeasureStep} (what a
 *       {@code @Warm} test runs: journal, results files, charts); the heap the GC keeps after a full
 *       collection, read during the series after 1k and after all {@code sebs.perf.heapInvocations}
 *       (default 100,000) measured invocations, and once more after the series with its Measurements held.
 * </ul>
 *
 * <p>Run alone (after 3000 warm-up invocations, as HarnessOverheadBenchmark's figures before): the
 * README's command with {@code io.sebs.junit.perf.BurstAndHeapFigures} in place of HarnessOverheadBenchmark.
 * System properties: {@code sebs.perf.burstConcurrency} (100), {@code sebs.perf.warmBursts} (10), {@code
 * sebs.perf.heapInvocations} (100000).
 */
public final class BurstAndHeapFigures {

  private static final ObjectMapper JSON = new ObjectMapper();

  private BurstAndHeapFigures() {}

  public static void main(String[] args) throws Exception {
    allowInstances(100);
    try (BenchmarkRun run = new BenchmarkRun(SebsConfig.fromSystemProperties())) {
      PreparedFunction prepared = run.prepare(run.spec("010.sleep", "python", "", "test", 0, 0));
      for (int i = 0; i < 3000; i++) { // as HarnessOverheadBenchmark's figures before: the path compiled
        prepared.invoker().invoke(Map.of("sleep", 0));
      }
      print(run, prepared);
    }
  }

  /** Lets the local platform run {@code n} instances of a function (its default cap is lower). */
  static void allowInstances(int n) {
    if (System.getProperty(SebsConfig.LOCAL_MAX_INSTANCES) == null) {
      System.setProperty(SebsConfig.LOCAL_MAX_INSTANCES, Integer.toString(n));
    }
  }

  static void print(BenchmarkRun run, PreparedFunction prepared) {
    burst(prepared.invoker(), Integer.getInteger("sebs.perf.burstConcurrency", 100),
        Integer.getInteger("sebs.perf.warmBursts", 10));
    heap(run, prepared, Integer.getInteger("sebs.perf.heapInvocations", 100_000));
  }

  /**
   * One cold burst, then {@code warmBursts} warm ones with the function sleeping 50 ms and as many sleeping
   * 0 ms, then as many against an invoker that only takes the send instant (no instance, no wire): what the
   * release itself spreads. Prints the medians over the bursts of each kind.
   */
  static void burst(FunctionInvoker invoker, int concurrency, int warmBursts) {
    invoker.enforceColdStart();
    Spread cold = bursts(invoker, 50, concurrency, 1, true)[0];
    Spread[] warm50 = bursts(invoker, 50, concurrency, warmBursts, false);
    Spread[] warm0 = bursts(invoker, 0, concurrency, warmBursts, false);
    Spread[] bare = bursts(new SendInstantOnly(invoker), 0, concurrency, warmBursts, false);
    System.out.printf("burst%d_warm_send_spread_ms=%.2f (target <= 10; max - min of the client send instants, "
        + "010.sleep sleeping 50 ms, median of %d warm bursts, max %.2f; send offsets from the first p50 %.2f ms, "
        + "p90 %.2f ms)%n", concurrency, median(warm50, Spread::spreadMs), warmBursts, max(warm50, Spread::spreadMs),
        median(warm50, Spread::p50Ms), median(warm50, Spread::p90Ms));
    System.out.printf("burst%d_warm_release_spread_ms=%.2f (max - min of the instants the burst's single sender "
        + "reached the prepared invocations, the same bursts: the part of the send spread that arises before the "
        + "invocation's send)%n",
        concurrency, median(warm50, Spread::releaseSpreadMs));
    System.out.printf("burst%d_warm_release_to_send_ms=%.3f (p50 over the invocations of the time from the sender "
        + "reaching it to its send instant, the same bursts; max %.2f ms)%n", concurrency,
        median(warm50, Spread::releaseToSendP50Ms), median(warm50, Spread::releaseToSendMaxMs));
    System.out.printf("burst%d_warm_function_begin_spread_ms=%.2f (max - min of the instances' own begin "
        + "instants, the same bursts)%n", concurrency, median(warm50, Spread::functionBeginSpreadMs));
    System.out.printf("burst%d_warm_sleep0_send_spread_ms=%.2f (010.sleep sleeping 0 ms: the instances answer "
        + "during the release; p50 %.2f ms, p90 %.2f ms)%n", concurrency, median(warm0, Spread::spreadMs),
        median(warm0, Spread::p50Ms), median(warm0, Spread::p90Ms));
    System.out.printf("burst%d_release_only_send_spread_ms=%.2f (no instance, no wire: the single sender only "
        + "takes each send instant; p50 %.2f ms, p90 %.2f ms)%n", concurrency, median(bare, Spread::spreadMs),
        median(bare, Spread::p50Ms), median(bare, Spread::p90Ms));
    System.out.printf("burst%d_cold_send_spread_ms=%.2f (p50 %.2f ms, p90 %.2f ms; the first burst, which starts "
        + "all %d instances: an invocation's send instant is taken before its instance starts, so this is the "
        + "release among %d starting processes; the instances began over %.0f ms)%n", concurrency, cold.spreadMs,
        cold.p50Ms, cold.p90Ms, concurrency, concurrency, cold.functionBeginSpreadMs);
  }

  private static Spread[] bursts(FunctionInvoker invoker, int sleepMs, int concurrency, int count, boolean cold) {
    JsonNode payload = JSON.createObjectNode().put("sleep", sleepMs / 1000.0);
    ReleaseStamped stamped = new ReleaseStamped(invoker);
    SeriesRunner runner = new SeriesRunner(stamped, payload, SeriesRunner.ProgressListener.NONE);
    Spread[] spreads = new Spread[count];
    for (int b = 0; b < count; b++) {
      MeasurementSeries burst = runner.bursts(1, concurrency);
      if (burst.invocations().size() != concurrency) {
        throw new IllegalStateException("a burst returned " + burst.invocations().size() + " invocations");
      }
      for (Invocation i : burst.invocations()) {
        if (i.failed() || i.isCold() != cold) {
          throw new IllegalStateException("expected a " + (cold ? "cold" : "warm") + " success: " + i);
        }
      }
      spreads[b] = Spread.of(burst, stamped.takeReleased());
    }
    return spreads;
  }

  private static double median(Spread[] spreads, java.util.function.ToDoubleFunction<Spread> figure) {
    return SampleStatistics.of(Arrays.stream(spreads).mapToDouble(figure).toArray()).median();
  }

  private static double max(Spread[] spreads, java.util.function.ToDoubleFunction<Spread> figure) {
    return Arrays.stream(spreads).mapToDouble(figure).max().orElseThrow();
  }

  /** An invocation that is only its send instant, taken as the pool takes it: the release without the rest. */
  private static final class SendInstantOnly extends Delegating implements PreparingInvoker {
    SendInstantOnly(FunctionInvoker delegate) {
      super(delegate);
    }

    @Override
    public Invocation invoke(Object payload) {
      return sentNow();
    }

    /** Prepared like a pooled warm invocation, so the release is the same single sender loop. */
    @Override
    public Optional<PreparedInvocation> prepare(JsonNode payload) {
      return Optional.of(new PreparedInvocation() {
        private volatile InvocationResult sent;

        @Override
        public void send() {
          sent = sentNow();
        }

        @Override
        public InvocationResult await() {
          while (sent == null) {
            Thread.onSpinWait();
          }
          return sent;
        }
      });
    }

    private static InvocationResult sentNow() {
      long begin = ClientClock.start().beginEpochMicros();
      return new InvocationResult("", begin, 0, begin, begin, 0, -1, -1, false, "", null, null, null);
    }
  }

  /**
   * An invoker that notes when each invocation was released: for a prepared one (a warm invocation on a pooled
   * platform) when the burst's single sender reached it, before it took the send instant; for one invoked on
   * its own thread (a cold one) when it left the starting gate. What spread arises in the release itself and
   * what after it.
   */
  private static final class ReleaseStamped extends Delegating implements PreparingInvoker {
    // A lock-free queue: a synchronized map here was the most contended monitor of the run (JFR).
    private final java.util.Queue<Map.Entry<Invocation, Long>> stamps =
        new java.util.concurrent.ConcurrentLinkedQueue<>();

    ReleaseStamped(FunctionInvoker delegate) {
      super(delegate);
    }

    @Override
    public Invocation invoke(Object payload) {
      long left = ClientClock.nowEpochMicros();
      Invocation invocation = delegate.invoke(payload);
      stamps.add(Map.entry(invocation, left));
      return invocation;
    }

    @Override
    public Optional<PreparedInvocation> prepare(JsonNode payload) {
      if (!(delegate instanceof PreparingInvoker preparing)) {
        return Optional.empty();
      }
      return preparing.prepare(payload).map(prepared -> new PreparedInvocation() {
        private volatile long released;

        @Override
        public void send() {
          released = ClientClock.nowEpochMicros();
          prepared.send();
        }

        @Override
        public InvocationResult await() {
          InvocationResult invocation = prepared.await();
          stamps.add(Map.entry(invocation, released));
          return invocation;
        }
      });
    }

    /** When each invocation since the last call was released, by identity (release-only ones are equal). */
    Map<Invocation, Long> takeReleased() {
      Map<Invocation, Long> released = new java.util.IdentityHashMap<>();
      for (Map.Entry<Invocation, Long> e; (e = stamps.poll()) != null; ) {
        released.put(e.getKey(), e.getValue());
      }
      return released;
    }
  }

  /**
   * Max - min of a burst's client send instants and the p50/p90 of the sends' offsets from the first; the
   * spread of the instants the invocations left the gate and the p50/max of each one's time from there to its
   * send; and the spread of the instants the function instances began (their wrappers' {@code begin}).
   */
  private record Spread(double spreadMs, double p50Ms, double p90Ms, double functionBeginSpreadMs,
      double releaseSpreadMs, double releaseToSendP50Ms, double releaseToSendMaxMs) {
    static Spread of(MeasurementSeries series, Map<Invocation, Long> released) {
      double[] offsetsMs = offsetsMs(series.invocations().stream()
          .mapToDouble(i -> ((InvocationResult) i).clientBeginMicros()).toArray());
      double[] beginsMs = offsetsMs(series.invocations().stream()
          .mapToDouble(i -> ((InvocationResult) i).functionBeginMicros()).toArray());
      double[] releasedMs = offsetsMs(series.invocations().stream().mapToDouble(released::get).toArray());
      SampleStatistics toSend = SampleStatistics.of(series.invocations().stream()
          .mapToDouble(i -> (((InvocationResult) i).clientBeginMicros() - released.get(i)) / 1000.0).toArray());
      SampleStatistics s = SampleStatistics.of(offsetsMs);
      return new Spread(s.max(), s.percentile(50), s.percentile(90), Arrays.stream(beginsMs).max().orElseThrow(),
          Arrays.stream(releasedMs).max().orElseThrow(), toSend.percentile(50), toSend.max());
    }

    private static double[] offsetsMs(double[] micros) {
      double first = Arrays.stream(micros).min().orElseThrow();
      return Arrays.stream(micros).map(t -> (t - first) / 1000).toArray();
    }
  }

  /**
   * A warm series of {@code invocations} through {@link MeasureStep}, with the heap read (after a full GC,
   * during the series) after 1k and after the last measured invocation.
   */
  static void heap(BenchmarkRun run, PreparedFunction prepared, int invocations) {
    int early = Math.min(1000, invocations);
    int warmup = 100;
    long[] heap = new long[2];
    HeapProbe probe = new HeapProbe(prepared.invoker(), new long[] {warmup + early, warmup + invocations}, heap);
    PreparedFunction probed = new PreparedFunction(prepared.spec(), prepared.deployed(), prepared.input(), probe,
        prepared.deployTime(), prepared.inputTime(), prepared.bridge());
    SeriesPlan plan = new SeriesPlan(Kind.WARM, invocations, warmup, 1, StoppingRule.FIXED, Double.POSITIVE_INFINITY,
        Map.of("repetitions", invocations, "warmup", warmup), warmup + " warm-up + " + invocations + " warm");
    long t0 = System.nanoTime();
    MeasureStep.Measured measured = new MeasureStep(run).measure(probed, plan, JSON.createObjectNode().put("sleep", 0),
        "HarnessOverheadBenchmark.heap", "perf:heap", SebsConfig.Progress.NEVER);
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (measured.series().invocations().size() != invocations || !measured.series().failures().isEmpty()) {
      throw new IllegalStateException("the heap series did not measure " + invocations + " successes: "
          + measured.summary());
    }
    System.out.printf("heap_after_1k_mb=%.1f (heap in use after a full GC, during a warm series through MeasureStep, "
        + "after %d measured invocations)%n", heap[0] / 1e6, early);
    System.out.printf("heap_after_100k_mb=%.1f (the same after %d measured invocations; the series took %.0f s "
        + "including its results files and charts)%n", heap[1] / 1e6, invocations, seconds);
    System.out.printf("heap_100k_over_1k=%.2f%n", (double) heap[1] / heap[0]);
    long held = heapAfterFullGc(); // the series is still reachable: what a @Warm test's Measurements keep
    System.out.printf("heap_after_series_mb=%.1f (the same once MeasureStep returned, results files written, its "
        + "Measurements of %d invocations still held; %.1f bytes per invocation over the 1k figure)%n", held / 1e6,
        measured.series().invocations().size(), (double) (held - heap[0]) / (invocations - early));
    System.out.printf("heap_bytes_per_invocation=%.1f (heap growth from 1k to %d measured invocations, during the "
        + "series)%n", (double) (heap[1] - heap[0]) / (invocations - early), invocations);
  }

  /** An invoker that reads the heap after given invocation counts, before returning the invocation. */
  private static final class HeapProbe extends Delegating {
    private final long[] after;
    private final long[] heap;
    private long count;

    HeapProbe(FunctionInvoker delegate, long[] after, long[] heap) {
      super(delegate);
      this.after = after;
      this.heap = heap;
    }

    @Override
    public Invocation invoke(Object payload) {
      Invocation invocation = delegate.invoke(payload);
      count++;
      for (int k = 0; k < after.length; k++) {
        if (count == after[k]) {
          heap[k] = heapAfterFullGc();
        }
      }
      return invocation;
    }
  }

  /** An invoker that passes everything to another. */
  private abstract static class Delegating implements FunctionInvoker {
    final FunctionInvoker delegate;

    Delegating(FunctionInvoker delegate) {
      this.delegate = delegate;
    }

    @Override
    public Invocation invoke() {
      return invoke(delegate.input());
    }

    @Override
    public JsonNode input() {
      return delegate.input();
    }

    @Override
    public void enforceColdStart() {
      delegate.enforceColdStart();
    }

    @Override
    public String tableName(String logicalName) {
      return delegate.tableName(logicalName);
    }

    @Override
    public String functionName() {
      return delegate.functionName();
    }

    @Override
    public String platform() {
      return delegate.platform();
    }
  }

  /** Bytes the heap pools held right after the last of two full collections (the GC's own figure). */
  static long heapAfterFullGc() {
    System.gc();
    System.gc();
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
        used += pool.getCollectionUsage().getUsed();
      }
    }
    return used;
  }
}
