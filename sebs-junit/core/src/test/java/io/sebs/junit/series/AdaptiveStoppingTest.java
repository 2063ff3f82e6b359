package io.sebs.junit.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.platform.InvocationResult;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

/**
 * Adaptive repetitions stop a series once the median's confidence interval is narrow enough, and say
 * why a series stopped either way. Driven by a scripted invoker whose client times are known.
 */
class AdaptiveStoppingTest {

  /** An invoker whose n-th invocation (0-based) takes {@code micros(n)} on the client. */
  static FunctionInvoker scripted(IntToLongFunction micros) {
    return new FunctionInvoker() {
      int n;

      @Override
      public InvocationResult invoke(Object payload) {
        long t = micros.applyAsLong(n++);
        return new InvocationResult("r" + n, 0, t, 1, 1 + t / 2, 0, -1, -1, false, "c1", null,
            JsonNodeFactory.instance.textNode("ok"), null);
      }

      @Override
      public InvocationResult invoke() {
        return invoke(null);
      }

      @Override
      public JsonNode input() {
        return JsonNodeFactory.instance.objectNode();
      }

      @Override
      public void enforceColdStart() {}

      @Override
      public String tableName(String logicalName) {
        throw new IllegalArgumentException(logicalName);
      }

      @Override
      public String functionName() {
        return "scripted";
      }

      @Override
      public String platform() {
        return "test";
      }
    };
  }

  @Test
  void aSteadyFunctionStopsAtTheMinimum() {
    SeriesRunner runner = new SeriesRunner(scripted(n -> 1000 + n % 3), null, SeriesRunner.ProgressListener.NONE);

    MeasurementSeries series = runner.warm(200, 0, StoppingRule.medianPrecision(0.05, 0.95, 10));

    assertThat(series.invocations()).hasSize(10);
    assertThat(series.stopReason()).startsWith("precise enough after 10 successful invocations")
        .contains("<= 5.00%");
  }

  @Test
  void aNoisyFunctionRunsUntilItsCapAndSaysSo() {
    // half the invocations take 1 ms, half 100 ms: the median's interval never narrows to 5%
    SeriesRunner runner = new SeriesRunner(scripted(n -> n % 2 == 0 ? 1_000 : 100_000), null,
        SeriesRunner.ProgressListener.NONE);

    MeasurementSeries series = runner.warm(60, 0, StoppingRule.medianPrecision(0.05, 0.95, 10));

    assertThat(series.invocations()).hasSize(60);
    assertThat(series.stopReason())
        .isEqualTo("reached the maximum of 60 repetitions before the median was precise enough");
  }

  @Test
  void aModeratelyNoisyFunctionStopsOnceEnoughSamplesNarrowTheInterval() {
    // client times cycle through 950..1049 us: the median's 95% interval needs a few dozen samples
    SeriesRunner runner = new SeriesRunner(scripted(n -> 950 + (n * 37) % 100), null,
        SeriesRunner.ProgressListener.NONE);

    MeasurementSeries series = runner.warm(200, 0, StoppingRule.medianPrecision(0.01, 0.95, 10));

    assertThat(series.invocations().size()).isBetween(11, 199);
    assertThat(series.stopReason()).startsWith("precise enough after " + series.invocations().size());
  }

  @Test
  void aFixedSeriesSaysItWasFixed() {
    MeasurementSeries series = new SeriesRunner(scripted(n -> 1000), null, SeriesRunner.ProgressListener.NONE)
        .warm(5, 1);

    assertThat(series.invocations()).hasSize(5);
    assertThat(series.stopReason()).isEqualTo("fixed number of repetitions (5)");
  }

  @Test
  void aNonPositiveTargetIsRejected() {
    assertThatThrownBy(() -> StoppingRule.medianPrecision(0, 0.95, 10))
        .hasMessage("relativeError must be positive, e.g. 0.05, but was 0.0");
  }
}
