package io.sebs.junit.experiment.perfcost;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.series.MeasurementSeries;
import io.sebs.junit.series.StartingGate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one {@link RunKind} against one deployed function the way SeBS's perf-cost does: batches of
 * {@code concurrency} invocations released together (one at a time for {@link RunKind#SEQUENTIAL}), the
 * instances retired before each cold or burst batch, the first batch discarded as warm-up, and batches
 * repeated until {@code repetitions} samples are measured. Unlike SeBS there is no pause between batches
 * (SeBS waits 5 s for the cloud to settle); failed invocations count as samples, so a failing function ends
 * the series instead of looping, and a series that keeps being misclassified stops after a bounded number
 * of batches, saying so in its stop reason.
 */
final class BatchRunner {

  private final FunctionInvoker invoker;
  private final JsonNode payload;

  BatchRunner(FunctionInvoker invoker, JsonNode payload) {
    this.invoker = invoker;
    this.payload = payload;
  }

  /** The measured series and what was discarded on the way. */
  record KindRun(MeasurementSeries series, int discarded, int batches) {}

  KindRun run(RunKind kind, int repetitions, int concurrency) {
    int batchSize = kind == RunKind.SEQUENTIAL ? 1 : concurrency;
    int maxBatches = 1 + 3 * ((repetitions + batchSize - 1) / batchSize);
    int discarded = 0;
    if (kind == RunKind.SEQUENTIAL) {
      invoker.invoke(payload); // SeBS warms the instance up once more before a sequential series
      discarded++;
    }
    List<Invocation> measured = new ArrayList<>();
    List<Invocation> misclassified = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(batchSize, r -> {
      Thread t = new Thread(r, "sebs-perf-cost");
      t.setDaemon(true);
      return t;
    });
    int batches = 0;
    try {
      while (measured.size() < repetitions && batches < maxBatches) {
        if (kind == RunKind.COLD || kind == RunKind.BURST) {
          invoker.enforceColdStart();
        }
        List<Invocation> batch = batch(pool, batchSize);
        batches++;
        if (batches == 1) {
          discarded += batch.size();
          continue;
        }
        for (Invocation i : batch) {
          boolean wrongStart = !i.failed() && (kind == RunKind.COLD && !i.isCold() || kind == RunKind.WARM && i.isCold());
          (wrongStart ? misclassified : measured).add(i);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    String reason = measured.size() >= repetitions
        ? batches + " batches of " + batchSize + " (the first discarded as warm-up) gave " + measured.size()
            + " samples for the " + repetitions + " asked"
        : "stopped after " + batches + " batches of " + batchSize + " with " + measured.size() + " of "
            + repetitions + " samples: " + misclassified.size() + " answers were misclassified";
    return new KindRun(new MeasurementSeries(kind.seriesKind(), invoker.functionName(), invoker.platform(), measured,
        misclassified, reason), discarded, batches);
  }

  private List<Invocation> batch(ExecutorService pool, int size) {
    if (size == 1) {
      return List.of(invoker.invoke(payload));
    }
    CountDownLatch ready = new CountDownLatch(size);
    StartingGate go = new StartingGate();
    List<Future<Invocation>> futures = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      futures.add(pool.submit(() -> {
        ready.countDown();
        go.await();
        return invoker.invoke(payload);
      }));
    }
    List<Invocation> batch = new ArrayList<>();
    try {
      ready.await();
      go.open();
      for (Future<Invocation> f : futures) {
        batch.add(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted during a perf-cost batch", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("A perf-cost invocation threw instead of returning a result", e.getCause());
    }
    return batch;
  }
}
