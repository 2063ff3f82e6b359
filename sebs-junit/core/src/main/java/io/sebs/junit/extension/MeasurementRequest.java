package io.sebs.junit.extension;

import io.sebs.junit.AdaptiveRepetitions;
import io.sebs.junit.Burst;
import io.sebs.junit.ColdStart;
import io.sebs.junit.Measurements.Kind;
import io.sebs.junit.Warm;
import io.sebs.junit.series.StoppingRule;
import io.sebs.junit.run.SeriesPlan;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * What a test method's {@code @ColdStart}, {@code @Warm} or {@code @Burst} asks for, checked for misuse:
 * at most one of them, and counts in range.
 */
record MeasurementRequest(Kind kind, String annotationName, int repetitions, int warmup, int concurrency,
    String payloadMethod, AdaptiveRepetitions adaptive) {

  static Optional<MeasurementRequest> of(Method method) {
    List<MeasurementRequest> found = new ArrayList<>();
    ColdStart cold = method.getAnnotation(ColdStart.class);
    if (cold != null) {
      found.add(new MeasurementRequest(Kind.COLD, "ColdStart", cold.repetitions(), 0, 1, cold.payload(),
          method.getAnnotation(AdaptiveRepetitions.class)));
    }
    Warm warm = method.getAnnotation(Warm.class);
    if (warm != null) {
      found.add(new MeasurementRequest(Kind.WARM, "Warm", warm.repetitions(), warm.warmup(), 1, warm.payload(),
          method.getAnnotation(AdaptiveRepetitions.class)));
    }
    Burst burst = method.getAnnotation(Burst.class);
    if (burst != null) {
      found.add(new MeasurementRequest(Kind.BURST, "Burst", burst.repetitions(), 0, burst.concurrency(),
          burst.payload(), method.getAnnotation(AdaptiveRepetitions.class)));
    }
    if (found.size() > 1) {
      throw new ExtensionConfigurationException(SebsExtension.where(method) + " has "
          + found.stream().map(r -> "@" + r.annotationName()).toList()
          + ": a test measures one pattern; split it into one test method per annotation");
    }
    AdaptiveRepetitions adaptive = method.getAnnotation(AdaptiveRepetitions.class);
    if (adaptive != null && (found.isEmpty() || found.get(0).kind() == Kind.BURST)) {
      throw new ExtensionConfigurationException("@AdaptiveRepetitions on " + SebsExtension.where(method)
          + " needs @Warm or @ColdStart on the same method (their repetitions become the maximum)");
    }
    found.forEach(r -> r.check(method));
    return found.stream().findFirst();
  }

  private void check(Method method) {
    if (repetitions < 1) {
      throw misuse(method, "repetitions = " + repetitions + ": use at least 1");
    }
    if (warmup < 0) {
      throw misuse(method, "warmup = " + warmup + ": use 0 or more");
    }
    if (concurrency < 1) {
      throw misuse(method, "concurrency = " + concurrency + ": use at least 1");
    }
    if (adaptive != null && !(adaptive.relativeError() > 0 && adaptive.relativeError() < 1)) {
      throw new ExtensionConfigurationException("@AdaptiveRepetitions on " + SebsExtension.where(method)
          + " has relativeError = " + adaptive.relativeError() + ": use a fraction such as 0.05 for ±5%");
    }
    if (adaptive != null && !(adaptive.maxCostUsd() > 0)) {
      throw new ExtensionConfigurationException("@AdaptiveRepetitions on " + SebsExtension.where(method)
          + " has maxCostUsd = " + adaptive.maxCostUsd() + ": use a positive amount in USD such as 0.05, "
          + "or leave it out for no cap");
    }
    if (adaptive != null && !(adaptive.confidence() > 0 && adaptive.confidence() < 1)) {
      throw new ExtensionConfigurationException("@AdaptiveRepetitions on " + SebsExtension.where(method)
          + " has confidence = " + adaptive.confidence() + ": use a level in (0, 1) such as 0.95");
    }
  }

  private ExtensionConfigurationException misuse(Method method, String problem) {
    return new ExtensionConfigurationException(
        "@" + annotationName + " on " + SebsExtension.where(method) + " has " + problem);
  }

  /** The series this request asks the engine for. */
  SeriesPlan plan() {
    return new SeriesPlan(kind, repetitions, warmup, concurrency, stoppingRule(),
        hasCostCap() ? adaptive.maxCostUsd() : Double.POSITIVE_INFINITY, settings(), describe());
  }

  /** The rule that ends the series early, or {@link StoppingRule#FIXED}. */
  StoppingRule stoppingRule() {
    return adaptive == null ? StoppingRule.FIXED
        : StoppingRule.medianPrecision(adaptive.relativeError(), adaptive.confidence(), adaptive.minimum());
  }

  /** Whether the series has a spending cap ({@link AdaptiveRepetitions#maxCostUsd()}). */
  boolean hasCostCap() {
    return adaptive != null && Double.isFinite(adaptive.maxCostUsd());
  }

  /** The settings as they appear in result files. */
  Map<String, Object> settings() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("repetitions", repetitions);
    if (kind == Kind.WARM) {
      settings.put("warmup", warmup);
    }
    if (kind == Kind.BURST) {
      settings.put("concurrency", concurrency);
    }
    if (!payloadMethod.isEmpty()) {
      settings.put("payload", payloadMethod);
    }
    if (adaptive != null) {
      settings.put("adaptive_relative_error", adaptive.relativeError());
      settings.put("adaptive_confidence", adaptive.confidence());
      settings.put("adaptive_minimum", adaptive.minimum());
      if (hasCostCap()) {
        settings.put("max_cost_usd", adaptive.maxCostUsd());
      }
    }
    return settings;
  }

  String describe() {
    return switch (kind) {
      case COLD -> repetitions + " cold invocations";
      case WARM -> warmup + " warm-up + " + repetitions + " warm invocations";
      case BURST -> repetitions + " burst(s) of " + concurrency + " concurrent invocations";
      case SEQUENTIAL -> repetitions + " sequential invocations";
    };
  }
}
