package io.sebs.junit.experiment.perfcost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.platform.InvocationResult;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The batch discipline of perf-cost, against an invoker whose answers are scripted so that discards and
 * misclassifications are known exactly. (The real platform runs in {@code PerfCostExperimentTest}.)
 */
class BatchRunnerTest {

  /** Answers cold or warm by a script indexed by invocation number; counts cold-start enforcements. */
  static final class ScriptedInvoker implements FunctionInvoker {
    final boolean[] coldScript;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger enforced = new AtomicInteger();

    ScriptedInvoker(boolean... coldScript) {
      this.coldScript = coldScript;
    }

    @Override
    public Invocation invoke(Object payload) {
      int n = calls.getAndIncrement();
      boolean cold = coldScript[Math.min(n, coldScript.length - 1)];
      return new InvocationResult("r" + n, 0, 1000, 10, 500, 0, -1, -1, cold, "c", null, null, null);
    }

    @Override
    public Invocation invoke() {
      return invoke(null);
    }

    @Override
    public JsonNode input() {
      return JsonNodeFactory.instance.objectNode();
    }

    @Override
    public void enforceColdStart() {
      enforced.incrementAndGet();
    }

    @Override
    public String tableName(String logicalName) {
      throw new IllegalArgumentException("no tables");
    }

    @Override
    public String functionName() {
      return "fn-128";
    }

    @Override
    public String platform() {
      return "scripted";
    }
  }

  @Test
  void coldBatchesDiscardTheFirstAndSetWarmAnswersApart() {
    // batch 1 (discarded): r0, r1; batch 2: r2 cold, r3 warm -> 1 sample, 1 misclassified;
    // batch 3: r4, r5 cold -> 3 samples >= 3 asked (within a batch the order of answers is the threads')
    ScriptedInvoker invoker = new ScriptedInvoker(true, true, true, false, true, true);
    BatchRunner.KindRun run = new BatchRunner(invoker, null).run(RunKind.COLD, 3, 2);

    assertThat(run.discarded()).isEqualTo(2);
    assertThat(run.batches()).isEqualTo(3);
    assertThat(run.series().invocations()).extracting(Invocation::requestId)
        .containsExactlyInAnyOrder("r2", "r4", "r5");
    assertThat(run.series().misclassified()).extracting(Invocation::requestId).containsExactly("r3");
    assertThat(invoker.enforced.get()).isEqualTo(3);
    assertThat(run.series().stopReason()).contains("first discarded as warm-up");
  }

  @Test
  void sequentialWarmsUpOnceMoreAndTakesAnswersAsTheyCome() {
    // r0: extra warm-up, r1: discarded batch of one, then r2..r4 measured whatever their cold flag
    ScriptedInvoker invoker = new ScriptedInvoker(true, false, false, true, false);
    BatchRunner.KindRun run = new BatchRunner(invoker, null).run(RunKind.SEQUENTIAL, 3, 4);

    assertThat(run.discarded()).isEqualTo(2);
    assertThat(run.series().invocations()).extracting(Invocation::requestId).containsExactly("r2", "r3", "r4");
    assertThat(run.series().misclassified()).isEmpty();
    assertThat(invoker.enforced.get()).isZero();
  }

  @Test
  void aSeriesThatKeepsBeingMisclassifiedStopsAfterBoundedBatchesAndSaysSo() {
    ScriptedInvoker invoker = new ScriptedInvoker(false); // every answer warm: no cold sample ever
    BatchRunner.KindRun run = new BatchRunner(invoker, null).run(RunKind.COLD, 2, 1);

    assertThat(run.series().invocations()).isEmpty();
    assertThat(run.batches()).isEqualTo(1 + 3 * 2);
    assertThat(run.series().misclassified()).hasSize(6);
    assertThat(run.series().stopReason()).startsWith("stopped after 7 batches").contains("6 answers were misclassified");
  }
}
