package io.sebs.junit.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.platform.DeployedFunction;
import io.sebs.junit.platform.InvocationResult;
import io.sebs.junit.platform.Platform;
import io.sebs.junit.platform.PreparedInvocation;
import io.sebs.junit.series.PreparingInvoker;
import java.io.IOException;

/**
 * The {@link FunctionInvoker} users get: a deployed function on a platform, plus its generated input. It
 * prepares a burst's invocations where the platform can ({@link Platform#prepare}).
 */
final class PlatformFunctionInvoker implements FunctionInvoker, PreparingInvoker {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Platform platform;
  private final DeployedFunction function;
  private final ObjectNode input;
  private final java.util.Map<String, String> tables;
  private final java.util.function.Consumer<InvocationResult> recorder;

  PlatformFunctionInvoker(Platform platform, DeployedFunction function, ObjectNode input,
      java.util.Map<String, String> tables) {
    this(platform, function, input, tables, i -> { });
  }

  private PlatformFunctionInvoker(Platform platform, DeployedFunction function, ObjectNode input,
      java.util.Map<String, String> tables, java.util.function.Consumer<InvocationResult> recorder) {
    this.platform = platform;
    this.function = function;
    this.input = input;
    this.tables = java.util.Map.copyOf(tables);
    this.recorder = recorder;
  }

  /** The same function, telling {@code recorder} of every invocation as soon as it returns. */
  PlatformFunctionInvoker recordingTo(java.util.function.Consumer<InvocationResult> next) {
    return new PlatformFunctionInvoker(platform, function, input, tables, recorder.andThen(next));
  }

  @Override
  public String tableName(String logicalName) {
    String name = tables.get(logicalName);
    if (name == null) {
      throw new IllegalArgumentException("Benchmark " + function.spec().benchmark().id() + " declares no NoSQL table '"
          + logicalName + "'; its tables are " + new java.util.TreeSet<>(tables.keySet()));
    }
    return name;
  }

  @Override
  public InvocationResult invoke(Object payload) {
    return recorded(platform.invoke(function, toJson(payload)));
  }

  @Override
  public InvocationResult invoke() {
    return recorded(platform.invoke(function, input));
  }

  /** The platform's prepared invocation, recorded like {@link #invoke} when its answer is read. */
  @Override
  public java.util.Optional<PreparedInvocation> prepare(JsonNode payload) {
    return platform.prepare(function, payload).map(prepared -> new PreparedInvocation() {
      @Override
      public void send() {
        prepared.send();
      }

      @Override
      public InvocationResult await() {
        return recorded(prepared.await());
      }
    });
  }

  private InvocationResult recorded(InvocationResult result) {
    recorder.accept(result);
    return result;
  }

  /** The series with the platform's late metrics filled in (see {@link Platform#fetchMetrics}). */
  io.sebs.junit.series.MeasurementSeries withProviderMetrics(io.sebs.junit.series.MeasurementSeries series) {
    return series.withInvocations(platform.fetchMetrics(function, series.invocations()));
  }

  @Override
  public JsonNode input() {
    return input.deepCopy();
  }

  @Override
  public void enforceColdStart() {
    platform.enforceColdStart(function);
  }

  @Override
  public String functionName() {
    return function.name();
  }

  @Override
  public String platform() {
    return platform.name();
  }

  static JsonNode toJson(Object payload) {
    if (payload instanceof JsonNode node) {
      return node;
    }
    if (payload instanceof String text) {
      try {
        return JSON.readTree(text);
      } catch (IOException e) {
        throw new IllegalArgumentException("The payload string is not JSON: " + e.getMessage(), e);
      }
    }
    return JSON.valueToTree(payload);
  }
}
