package io.sebs.junit.series;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements.Kind;
import io.sebs.junit.cost.SpendingLimit;
import io.sebs.junit.platform.PreparedInvocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the invocation patterns of {@code @ColdStart}, {@code @Warm} and {@code @Burst} against a function,
 * in JMH's vocabulary: warm-up invocations are discarded, measured invocations are kept, and each
 * measured invocation is checked against what was asked (cold or warm) from the function's own report.
 */
public final class SeriesRunner {

  private final FunctionInvoker invoker;
  private final JsonNode payload;
  private final ProgressListener progress;
  private final SpendingLimit spendingLimit;
  private final Recorder recorder;

  /** @param payload the event of every invocation */
  public SeriesRunner(FunctionInvoker invoker, JsonNode payload, ProgressListener progress) {
    this(invoker, payload, progress, null, Recorder.NONE);
  }

  private SeriesRunner(FunctionInvoker invoker, JsonNode payload, ProgressListener progress,
      SpendingLimit spendingLimit, Recorder recorder) {
    this.invoker = invoker;
    this.payload = payload;
    this.progress = progress;
    this.spendingLimit = spendingLimit;
    this.recorder = recorder;
  }

  /**
   * This runner telling {@code recorder} of every measured or misclassified invocation the moment it is
   * classified, before the next one starts (a burst's after the burst): what makes a series that never
   * ends still readable.
   */
  public SeriesRunner recordingTo(Recorder recorder) {
    return new SeriesRunner(invoker, payload, progress, spendingLimit, recorder);
  }

  /**
   * This runner with a cap on the estimated spend: every invocation (warm-ups included) adds its cost, and a
   * cold or warm series stops after the invocation that brings the spend to the cap (a burst series after
   * the burst), with the cap as its stop reason. A warm-up phase that reaches the cap ends before measuring.
   */
  public SeriesRunner withSpendingLimit(SpendingLimit limit) {
    return new SeriesRunner(invoker, payload, progress, limit, recorder);
  }

  private Invocation invoke() {
    return spent(invoker.invoke(payload));
  }

  private Invocation spent(Invocation invocation) {
    if (spendingLimit != null) {
      spendingLimit.spent(invocation);
    }
    return invocation;
  }

  private boolean capReached() {
    return spendingLimit != null && spendingLimit.reached();
  }

  /** Before each measured invocation the function's instances are retired; warm answers are misclassified. */
  public MeasurementSeries coldStarts(int repetitions) {
    return coldStarts(repetitions, StoppingRule.FIXED);
  }

  /** Cold starts until the rule is satisfied or {@code maxRepetitions} were measured. */
  public MeasurementSeries coldStarts(int maxRepetitions, StoppingRule rule) {
    requireAtLeast("repetitions", maxRepetitions, 1);
    SpilledInvocations.Builder measured = kept(rule);
    SpilledInvocations.Builder misclassified = new SpilledInvocations.Builder();
    for (int i = 0; i < maxRepetitions; i++) {
      invoker.enforceColdStart();
      Invocation invocation = invoke();
      keep(invocation, invocation.failed() || invocation.isCold(), measured, misclassified);
      progress.invoked(i + 1, maxRepetitions);
      Optional<String> stop = rule.stopAfter(rule == StoppingRule.FIXED ? List.of() : measured.snapshot());
      if (stop.isPresent()) {
        return series(Kind.COLD, measured, misclassified, stop.get());
      }
      if (capReached()) {
        return series(Kind.COLD, measured, misclassified, spendingLimit.reason());
      }
    }
    return series(Kind.COLD, measured, misclassified, capReason(rule, maxRepetitions));
  }

  /** Discarded warm-ups, then sequential measured invocations; cold answers are misclassified. */
  public MeasurementSeries warm(int repetitions, int warmup) {
    return warm(repetitions, warmup, StoppingRule.FIXED);
  }

  /** Warm invocations until the rule is satisfied or {@code maxRepetitions} were measured. */
  public MeasurementSeries warm(int maxRepetitions, int warmup, StoppingRule rule) {
    requireAtLeast("repetitions", maxRepetitions, 1);
    requireAtLeast("warmup", warmup, 0);
    SpilledInvocations.Builder measured = kept(rule);
    SpilledInvocations.Builder misclassified = new SpilledInvocations.Builder();
    for (int i = 0; i < warmup; i++) {
      invoke();
      if (capReached()) {
        return series(Kind.WARM, measured, misclassified, spendingLimit.reason() + " (during warm-up)");
      }
    }
    for (int i = 0; i < maxRepetitions; i++) {
      Invocation invocation = invoke();
      keep(invocation, invocation.failed() || invocation.isWarm(), measured, misclassified);
      progress.invoked(i + 1, maxRepetitions);
      Optional<String> stop = rule.stopAfter(rule == StoppingRule.FIXED ? List.of() : measured.snapshot());
      if (stop.isPresent()) {
        return series(Kind.WARM, measured, misclassified, stop.get());
      }
      if (capReached()) {
        return series(Kind.WARM, measured, misclassified, spendingLimit.reason());
      }
    }
    return series(Kind.WARM, measured, misclassified, capReason(rule, maxRepetitions));
  }

  /**
   * Where measured invocations go: past {@link SpilledInvocations#IN_MEMORY} to a file, so a long fixed series
   * keeps the heap flat; a stopping rule reads every measured invocation after each one, so under one they stay
   * on the heap until the series ends (reading them back from the file each time would be quadratic I/O).
   */
  private static SpilledInvocations.Builder kept(StoppingRule rule) {
    return rule == StoppingRule.FIXED ? new SpilledInvocations.Builder()
        : new SpilledInvocations.Builder(Integer.MAX_VALUE);
  }

  private void keep(Invocation invocation, boolean asked, SpilledInvocations.Builder measured,
      SpilledInvocations.Builder misclassified) {
    (asked ? measured : misclassified).add(invocation);
    recorder.recorded(asked ? Recorder.MEASURED : Recorder.MISCLASSIFIED, invocation);
  }

  private static String capReason(StoppingRule rule, int maxRepetitions) {
    return rule == StoppingRule.FIXED ? "fixed number of repetitions (" + maxRepetitions + ")"
        : "reached the maximum of " + maxRepetitions + " repetitions before the median was precise enough";
  }

  /**
   * {@code repetitions} bursts of {@code concurrency} invocations released together. Each invocation's thread
   * first prepares it ({@link PreparingInvoker}); once all are ready, this thread sends the prepared ones back
   * to back (their threads already wait for the answers), then opens the gate for those that could not be
   * prepared, which invoke on their own threads.
   */
  public MeasurementSeries bursts(int repetitions, int concurrency) {
    requireAtLeast("repetitions", repetitions, 1);
    requireAtLeast("concurrency", concurrency, 1);
    PreparingInvoker preparing = invoker instanceof PreparingInvoker p ? p : event -> Optional.empty();
    SpilledInvocations.Builder measured = new SpilledInvocations.Builder();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
      Thread t = new Thread(r, "sebs-burst");
      t.setDaemon(true);
      return t;
    });
    try {
      for (int burst = 0; burst < repetitions; burst++) {
        CountDownLatch ready = new CountDownLatch(concurrency);
        StartingGate go = new StartingGate();
        PreparedInvocation[] prepared = new PreparedInvocation[concurrency];
        List<Future<Invocation>> futures = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
          int slot = i;
          futures.add(pool.submit(() -> {
            try {
              prepared[slot] = preparing.prepare(payload).orElse(null);
            } finally {
              ready.countDown();
            }
            if (prepared[slot] != null) {
              return spent(prepared[slot].await());
            }
            go.await();
            return invoke();
          }));
        }
        ready.await();
        for (PreparedInvocation invocation : prepared) {
          if (invocation != null) {
            invocation.send();
          }
        }
        go.open();
        for (Future<Invocation> f : futures) {
          Invocation invocation = f.get();
          measured.add(invocation);
          recorder.recorded(Recorder.MEASURED, invocation);
        }
        progress.invoked((burst + 1) * concurrency, repetitions * concurrency);
        if (capReached()) {
          return series(Kind.BURST, measured, new SpilledInvocations.Builder(), spendingLimit.reason());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted during a burst", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("A burst invocation threw instead of returning a result", e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return series(Kind.BURST, measured, new SpilledInvocations.Builder(),
        "fixed number of bursts (" + repetitions + ")");
  }

  private MeasurementSeries series(Kind kind, SpilledInvocations.Builder measured,
      SpilledInvocations.Builder misclassified, String stopReason) {
    return new MeasurementSeries(kind, invoker.functionName(), invoker.platform(), measured.build(),
        misclassified.build(), stopReason);
  }

  private static void requireAtLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
    }
  }

  /** Told of each kept invocation as it is classified, e.g. to journal it (warm-ups are not told). */
  @FunctionalInterface
  public interface Recorder {
    String MEASURED = "measured";
    String MISCLASSIFIED = "misclassified";
    Recorder NONE = (sample, invocation) -> { };

    /** @param sample {@link #MEASURED} or {@link #MISCLASSIFIED} */
    void recorded(String sample, Invocation invocation);
  }

  /** Told after each measured invocation, for progress lines on long runs. */
  @FunctionalInterface
  public interface ProgressListener {
    ProgressListener NONE = (done, total) -> { };

    void invoked(int done, int total);
  }
}
