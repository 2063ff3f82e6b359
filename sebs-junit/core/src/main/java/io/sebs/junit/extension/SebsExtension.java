package io.sebs.junit.extension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.Baseline;
import io.sebs.junit.BenchmarkInput;
import io.sebs.junit.Burst;
import io.sebs.junit.ColdStart;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Measurements;
import io.sebs.junit.NoSqlStorage;
import io.sebs.junit.ObjectStorage;
import io.sebs.junit.Platform;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.experiment.Experiment;
import io.sebs.junit.run.ExperimentScope;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.PreparedFunction;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The one JUnit extension behind every sebs-junit annotation. It stays thin: it reads configuration,
 * checks annotations for misuse, and delegates to the engine ({@link BenchmarkRun}). The run lives in
 * the root store, so deployments are shared by all test classes and the platform is closed (every
 * instance stopped) when the test plan ends.
 */
public final class SebsExtension
    implements ExecutionCondition, BeforeAllCallback, BeforeEachCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SebsExtension.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MEASUREMENTS = "measurements";

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<Platform> restriction = findPlatformAnnotation(context);
    if (restriction.isEmpty()) {
      return ConditionEvaluationResult.enabled("no @Platform restriction");
    }
    String target = config(context).platform();
    List<String> allowed = Arrays.asList(restriction.get().value());
    if (allowed.isEmpty()) {
      throw new ExtensionConfigurationException(
          "@Platform on " + context.getDisplayName() + " lists no platform: name at least one, e.g. @Platform(\"aws\")");
    }
    return allowed.contains(target)
        ? ConditionEvaluationResult.enabled("target platform '" + target + "' is in @Platform" + allowed)
        : ConditionEvaluationResult.disabled("runs only on platform(s) " + allowed + " but the target platform is '"
            + target + "' (select one with -Dsebs.platform=" + allowed.get(0) + ")");
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    Optional<ServerlessBenchmark> benchmark =
        AnnotationSupport.findAnnotation(context.getRequiredTestClass(), ServerlessBenchmark.class);
    if (benchmark.isPresent()) {
      prepare(context, benchmark.get(), context.getRequiredTestClass().getSimpleName());
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Method method = context.getRequiredTestMethod();
    Optional<MeasurementRequest> request = MeasurementRequest.of(method);
    Optional<ServerlessBenchmark> benchmark = benchmarkAnnotation(context);
    boolean needsFunction = checkParameters(method, request, benchmark);
    if (request.isEmpty()) {
      if (needsFunction) {
        prepare(context, benchmark.orElseThrow(), where(method)); // fail here, not in parameter resolution
      }
      return;
    }
    if (benchmark.isEmpty()) {
      throw new ExtensionConfigurationException("@" + request.get().annotationName() + " on " + where(method)
          + " needs a benchmark to measure: annotate the method or its class with @ServerlessBenchmark(\"<id>\"), "
          + "e.g. @ServerlessBenchmark(\"110.dynamic-html\")");
    }
    PreparedFunction prepared = prepare(context, benchmark.get(), where(method));
    Measurements measurements = MeasuredTest.measure(run(context), prepared, request.get(), context);
    context.getStore(NAMESPACE).put(MEASUREMENTS, measurements);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    Class<?> type = parameterContext.getParameter().getType();
    return type == FunctionInvoker.class || type == Measurements.class || type == ObjectStorage.class
        || type == NoSqlStorage.class || type == Baseline.class || Experiment.class.isAssignableFrom(type)
        || parameterContext.isAnnotated(BenchmarkInput.class);
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
    Parameter parameter = parameterContext.getParameter();
    Class<?> type = parameter.getType();
    if (type == Measurements.class) {
      return context.getStore(NAMESPACE).get(MEASUREMENTS, Measurements.class);
    }
    if (type == ObjectStorage.class) {
      return run(context).platform().storage().objectStorage();
    }
    if (type == NoSqlStorage.class) {
      return run(context).platform().storage().noSqlStorage();
    }
    if (type == Baseline.class) {
      return BaselineParameter.resolve(context, benchmarkAnnotation(context));
    }
    ServerlessBenchmark benchmark = benchmarkAnnotation(context).orElseThrow(() -> new ParameterResolutionException(
        type.getSimpleName() + " parameters need a benchmark: annotate the test or its class with @ServerlessBenchmark"));
    PreparedFunction prepared = prepare(context, benchmark, context.getDisplayName());
    if (type == FunctionInvoker.class) {
      return prepared.invoker();
    }
    if (Experiment.class.isAssignableFrom(type)) {
      return ExperimentFactory.create(type, ExperimentScope.journaled(run(context), prepared, testName(context),
          context.getUniqueId()));
    }
    JsonNode input = prepared.invoker().input();
    if (type.isAssignableFrom(input.getClass())) {
      return input;
    }
    if (type == Map.class) {
      return JSON.convertValue(input, Map.class);
    }
    throw new ParameterResolutionException("@BenchmarkInput parameter " + parameter.getName() + " has type "
        + type.getName() + ": use JsonNode, ObjectNode or Map<String, Object>");
  }

  /** Checks the method's sebs parameters; true when it takes a function or its input. */
  private static boolean checkParameters(Method method, Optional<MeasurementRequest> request,
      Optional<ServerlessBenchmark> benchmark) {
    boolean needsFunction = false;
    for (Parameter p : method.getParameters()) {
      if (p.getType() == Measurements.class && request.isEmpty()) {
        throw new ExtensionConfigurationException(where(method) + " takes Measurements but has nothing to measure: "
            + "add @ColdStart, @Warm or @Burst to the method");
      }
      boolean needsBenchmark = p.getType() == FunctionInvoker.class || p.isAnnotationPresent(BenchmarkInput.class)
          || Experiment.class.isAssignableFrom(p.getType());
      if (needsBenchmark && benchmark.isEmpty()) {
        throw new ExtensionConfigurationException(where(method) + " takes " + p.getType().getSimpleName()
            + " but no benchmark is declared: annotate the method or its class with @ServerlessBenchmark(\"<id>\")");
      }
      needsFunction |= needsBenchmark;
    }
    return needsFunction;
  }

  static PreparedFunction prepare(ExtensionContext context, ServerlessBenchmark annotation, String where) {
    BenchmarkRun run = run(context);
    try {
      return run.prepare(run.spec(annotation.value(), annotation.language(), annotation.languageVersion(),
          annotation.size(), annotation.memory(), annotation.timeout()));
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException("@ServerlessBenchmark on " + where + ": " + e.getMessage(), e);
    }
  }

  static BenchmarkRun run(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(BenchmarkRun.class, key -> {
      try {
        return RunEnvironment.open(config(context));
      } catch (IllegalArgumentException e) {
        throw new ExtensionConfigurationException(e.getMessage(), e);
      }
    }, BenchmarkRun.class);
  }

  static SebsConfig config(ExtensionContext context) {
    return new SebsConfig(context::getConfigurationParameter);
  }

  private static Optional<ServerlessBenchmark> benchmarkAnnotation(ExtensionContext context) {
    Optional<ServerlessBenchmark> onMethod = context.getTestMethod()
        .flatMap(m -> AnnotationSupport.findAnnotation(m, ServerlessBenchmark.class));
    return onMethod.isPresent() ? onMethod
        : context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, ServerlessBenchmark.class));
  }

  private static Optional<Platform> findPlatformAnnotation(ExtensionContext context) {
    Optional<AnnotatedElement> element = context.getElement();
    Optional<Platform> direct = element.flatMap(e -> AnnotationSupport.findAnnotation(e, Platform.class));
    if (direct.isPresent() || context.getTestMethod().isEmpty()) {
      return direct;
    }
    return context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, Platform.class));
  }

  static String testName(ExtensionContext context) {
    return context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
  }

  static String where(Method method) {
    return method.getDeclaringClass().getSimpleName() + "." + method.getName() + "()";
  }
}
