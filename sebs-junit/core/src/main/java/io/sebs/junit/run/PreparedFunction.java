package io.sebs.junit.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.InputBridge;
import io.sebs.junit.series.MeasurementSeries;
import io.sebs.junit.platform.DeployedFunction;
import io.sebs.junit.platform.InvocationResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A benchmark function deployed and given its input, ready to measure: what one
 * {@code @ServerlessBenchmark} resolves to. Knows how to check outputs with the benchmark's own
 * {@code validate_output}.
 *
 * @param deployTime how long packaging and deployment took (near zero when reused)
 * @param inputTime how long input generation took
 */
public record PreparedFunction(
    FunctionSpec spec,
    DeployedFunction deployed,
    InputBridge.GeneratedInput input,
    FunctionInvoker invoker,
    Duration deployTime,
    Duration inputTime,
    InputBridge bridge) {

  /**
   * The series with the provider's metrics that come after the answers (billing logs, REPORT lines: {@link
   * io.sebs.junit.platform.Platform#fetchMetrics}) filled in; unchanged for an invoker that is not the
   * platform's own.
   */
  public MeasurementSeries withProviderMetrics(MeasurementSeries series) {
    return invoker instanceof PlatformFunctionInvoker platformInvoker
        ? platformInvoker.withProviderMetrics(series)
        : series;
  }

  /**
   * Marks failed the invocations whose output the benchmark's {@code validate_output} rejects. As in SeBS,
   * the validator gets the function's whole return value ({@code {"result": ..., "measurement": ...}}, see
   * {@link InputBridge#sebsOutput}), so SeBS's validators ({@code output.get('result')}) run unchanged.
   * Identical returns are validated once.
   */
  public MeasurementSeries validate(MeasurementSeries series, JsonNode payload) {
    Map<String, JsonNode> distinct = new LinkedHashMap<>();
    for (Invocation i : series.invocations()) {
      if (!i.failed()) {
        JsonNode returned = InputBridge.sebsOutput(i.output(), i.measurement());
        distinct.putIfAbsent(returned.toString(), returned);
      }
    }
    if (distinct.isEmpty()) {
      return series;
    }
    List<String> keys = new ArrayList<>(distinct.keySet());
    Optional<List<InputBridge.Validation>> verdicts = bridge.validate(spec.benchmark(), spec.language(),
        input.dataDir(), payload, new ArrayList<>(distinct.values()));
    if (verdicts.isEmpty()) {
      return series;
    }
    Map<String, InputBridge.Validation> byOutput = new LinkedHashMap<>();
    for (int k = 0; k < keys.size(); k++) {
      byOutput.put(keys.get(k), verdicts.get().get(k));
    }
    if (byOutput.values().stream().allMatch(InputBridge.Validation::valid)) {
      return series; // nothing to mark: a long series is not copied
    }
    io.sebs.junit.series.SpilledInvocations.Builder checked = new io.sebs.junit.series.SpilledInvocations.Builder();
    for (Invocation i : series.invocations()) {
      InputBridge.Validation v =
          i.failed() ? null : byOutput.get(InputBridge.sebsOutput(i.output(), i.measurement()).toString());
      if (v != null && !v.valid() && i instanceof InvocationResult r) {
        checked.add(r.withFailure("invalid output: " + v.reason() + " (output: " + abbreviate(i.output()) + ")"));
      } else {
        checked.add(i);
      }
    }
    return series.withInvocations(checked.build());
  }

  /**
   * This function with an invoker that appends every invocation to {@code journal} as it returns (labelled
   * with the deployed function's name): how experiments keep their raw invocations when the JVM dies. An
   * invoker that is not the platform's own is kept as it is.
   */
  public PreparedFunction journaledTo(io.sebs.junit.report.InvocationJournal journal) {
    if (!(invoker instanceof PlatformFunctionInvoker platformInvoker)) {
      return this;
    }
    return new PreparedFunction(spec, deployed, input,
        platformInvoker.recordingTo(i -> journal.append(deployed.name(), i)), deployTime, inputTime, bridge);
  }

  private static String abbreviate(JsonNode output) {
    String text = output.toString();
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
