package io.sebs.junit.extension;

import io.sebs.junit.Burst;
import io.sebs.junit.ColdStart;
import io.sebs.junit.Measurements.Kind;
import io.sebs.junit.Warm;
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
    String payloadMethod) {

  static Optional<MeasurementRequest> of(Method method) {
    List<MeasurementRequest> found = new ArrayList<>();
    ColdStart cold = method.getAnnotation(ColdStart.class);
    if (cold != null) {
      found.add(new MeasurementRequest(Kind.COLD, "ColdStart", cold.repetitions(), 0, 1, cold.payload()));
    }
    Warm warm = method.getAnnotation(Warm.class);
    if (warm != null) {
      found.add(new MeasurementRequest(Kind.WARM, "Warm", warm.repetitions(), warm.warmup(), 1, warm.payload()));
    }
    Burst burst = method.getAnnotation(Burst.class);
    if (burst != null) {
      found.add(new MeasurementRequest(Kind.BURST, "Burst", burst.repetitions(), 0, burst.concurrency(),
          burst.payload()));
    }
    if (found.size() > 1) {
      throw new ExtensionConfigurationException(SebsExtension.where(method) + " has "
          + found.stream().map(r -> "@" + r.annotationName()).toList()
          + ": a test measures one pattern; split it into one test method per annotation");
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
  }

  private ExtensionConfigurationException misuse(Method method, String problem) {
    return new ExtensionConfigurationException(
        "@" + annotationName + " on " + SebsExtension.where(method) + " has " + problem);
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
    return settings;
  }

  String describe() {
    return switch (kind) {
      case COLD -> repetitions + " cold invocations";
      case WARM -> warmup + " warm-up + " + repetitions + " warm invocations";
      case BURST -> repetitions + " burst(s) of " + concurrency + " concurrent invocations";
    };
  }
}
