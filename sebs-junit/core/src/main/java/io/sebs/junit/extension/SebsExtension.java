package io.sebs.junit.extension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.Baseline;
import io.sebs.junit.BenchmarkInput;
import io.sebs.junit.Burst;
import io.sebs.junit.ColdStart;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Measurements;
import io.sebs.junit.WorkflowInvoker;
import io.sebs.junit.WorkflowMeasurements;
import io.sebs.junit.series.WorkflowSeries;
import io.sebs.junit.NoSqlStorage;
import io.sebs.junit.ObjectStorage;
import io.sebs.junit.Platform;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.experiment.Experiment;
import io.sebs.junit.run.ExperimentScope;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.PlatformRuns;
import io.sebs.junit.run.PreparedFunction;
import io.sebs.junit.report.AllureReport;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeClassTemplateInvocationCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContextProvider;
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
 * checks annotations for misuse, and delegates to the engine ({@link BenchmarkRun}). The runs live in
 * the root store ({@link PlatformRuns}, one per platform), so deployments are shared by all test classes
 * and every platform is closed (every instance stopped) when the test plan ends.
 *
 * <p>A class annotated with {@link ServerlessBenchmark} is a JUnit class template: this extension
 * provides one invocation per platform of {@code sebs.platform} (display name {@code [local]},
 * {@code [docker]}), and the invocation's store holds its platform, which every test inside reads.
 */
public final class SebsExtension implements ExecutionCondition, BeforeClassTemplateInvocationCallback, BeforeEachCallback,
    ParameterResolver, ClassTemplateInvocationContextProvider {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SebsExtension.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MEASUREMENTS = "measurements";
  /** Store key of the platform of the class-template invocation a test runs in. */
  private static final String PLATFORM = "platform";

  @Override
  public boolean supportsClassTemplate(ExtensionContext context) {
    return context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, ServerlessBenchmark.class))
        .isPresent();
  }

  @Override
  public Stream<ClassTemplateInvocationContext> provideClassTemplateInvocationContexts(ExtensionContext context) {
    return runs(context).platforms().stream().map(PlatformInvocation::new);
  }

  /** One run of a benchmark class on one platform. */
  private record PlatformInvocation(String platform) implements ClassTemplateInvocationContext {

    @Override
    public String getDisplayName(int invocationIndex) {
      return "[" + platform + "]";
    }

    @Override
    public void prepareInvocation(ExtensionContext context) {
      context.getStore(NAMESPACE).put(PLATFORM, platform);
    }
  }

  /**
   * Disables a test when its platform cannot run here in a side-by-side run ({@link PlatformRuns#skipped}),
   * or when its {@link Platform} restriction excludes the target platform.
   */
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<String> skipped = invocationPlatform(context).flatMap(p -> runs(context).skipped(p));
    if (skipped.isPresent()) {
      return ConditionEvaluationResult.disabled(skipped.get());
    }
    Optional<Platform> restriction = findPlatformAnnotation(context);
    if (restriction.isEmpty()) {
      return ConditionEvaluationResult.enabled("no @Platform restriction");
    }
    List<String> allowed = Arrays.asList(restriction.get().value());
    if (allowed.isEmpty()) {
      throw new ExtensionConfigurationException(
          "@Platform on " + context.getDisplayName() + " lists no platform: name at least one, e.g. @Platform(\"aws\")");
    }
    Optional<String> invocation = invocationPlatform(context);
    List<String> targets = invocation.map(List::of).orElseGet(() -> configuredPlatforms(context));
    if (targets.size() > 1) { // above the per-platform invocations: go on if any of them may run
      List<String> allowedTargets = targets.stream().filter(allowed::contains).toList();
      return allowedTargets.isEmpty()
          ? ConditionEvaluationResult.disabled("runs only on platform(s) " + allowed + " but the target platforms are "
              + targets + " (add one with -Dsebs.platform=" + String.join(",", targets) + "," + allowed.get(0) + ")")
          : ConditionEvaluationResult.enabled("target platform(s) " + allowedTargets + " are in @Platform" + allowed);
    }
    String target = targets.get(0);
    return allowed.contains(target)
        ? ConditionEvaluationResult.enabled("target platform '" + target + "' is in @Platform" + allowed)
        : ConditionEvaluationResult.disabled("runs only on platform(s) " + allowed + " but the target platform is '"
            + target + "' (select one with -Dsebs.platform=" + allowed.get(0) + ")");
  }

  /**
   * Deploys the class's benchmark on the invocation's platform before its tests, so a deployment failure
   * fails the class once per platform (a class annotated with {@link ServerlessBenchmark} is a class
   * template, whose before-all callbacks run once above all platforms). A platform skipped as unavailable
   * here, or excluded by the class's {@link Platform}, deploys nothing: its tests are each skipped, with the reason.
   */
  @Override
  public void beforeClassTemplateInvocation(ExtensionContext context) {
    Optional<ServerlessBenchmark> benchmark =
        AnnotationSupport.findAnnotation(context.getRequiredTestClass(), ServerlessBenchmark.class);
    Optional<Platform> restriction =
        AnnotationSupport.findAnnotation(context.getRequiredTestClass(), Platform.class);
    boolean excluded = restriction.isPresent() && invocationPlatform(context)
        .filter(p -> !Arrays.asList(restriction.get().value()).contains(p)).isPresent();
    boolean unavailable = invocationPlatform(context).flatMap(p -> runs(context).skipped(p)).isPresent();
    if (benchmark.isPresent() && !excluded && !unavailable) {
      prepare(context, benchmark.get(), context.getRequiredTestClass().getSimpleName());
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    invocationPlatform(context).ifPresent(AllureReport::platform);
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
    if (prepared.invoker() instanceof WorkflowInvoker) {
      measurements = WorkflowSeries.of(measurements);
    }
    context.getStore(NAMESPACE).put(MEASUREMENTS, measurements);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    Class<?> type = parameterContext.getParameter().getType();
    return type == FunctionInvoker.class || type == Measurements.class || type == WorkflowInvoker.class
        || type == WorkflowMeasurements.class || type == ObjectStorage.class
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
    if (type == WorkflowMeasurements.class) {
      Measurements measured = context.getStore(NAMESPACE).get(MEASUREMENTS, Measurements.class);
      if (!(measured instanceof WorkflowMeasurements workflow)) {
        throw new ParameterResolutionException(where(context.getRequiredTestMethod()) + " takes WorkflowMeasurements but "
            + benchmarkAnnotation(context).map(ServerlessBenchmark::value).orElse("its benchmark")
            + " is a function, not a workflow (no definition.json): take Measurements");
      }
      return workflow;
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
      if (prepared.invoker() instanceof WorkflowInvoker) {
        throw new ParameterResolutionException(benchmark.value() + " is a workflow (it has a definition.json): take a "
            + "WorkflowInvoker instead of a FunctionInvoker, and WorkflowMeasurements for measured runs");
      }
      return prepared.invoker();
    }
    if (type == WorkflowInvoker.class) {
      if (!(prepared.invoker() instanceof WorkflowInvoker workflow)) {
        throw new ParameterResolutionException(benchmark.value() + " is a function, not a workflow (its folder has no "
            + "definition.json): take a FunctionInvoker instead of a WorkflowInvoker");
      }
      return workflow;
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
      if ((p.getType() == Measurements.class || p.getType() == WorkflowMeasurements.class) && request.isEmpty()) {
        throw new ExtensionConfigurationException(where(method) + " takes " + p.getType().getSimpleName()
            + " but has nothing to measure: add @ColdStart, @Warm or @Burst to the method");
      }
      boolean needsBenchmark = p.getType() == FunctionInvoker.class || p.getType() == WorkflowInvoker.class
          || p.isAnnotationPresent(BenchmarkInput.class)
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

  /** The run of the platform this test runs on. */
  static BenchmarkRun run(ExtensionContext context) {
    PlatformRuns runs = runs(context);
    String platform = invocationPlatform(context).orElseGet(() -> {
      if (runs.sideBySide()) {
        throw new ExtensionConfigurationException(context.getDisplayName() + " needs a platform, but "
            + SebsConfig.PLATFORM + " lists several " + runs.platforms() + " and only a class annotated with"
            + " @ServerlessBenchmark runs once per platform: move @ServerlessBenchmark from the method to its class"
            + " (or a class of its own), or run with one platform, e.g. -D" + SebsConfig.PLATFORM + "="
            + runs.platforms().get(0));
      }
      return runs.platforms().get(0);
    });
    try {
      return runs.run(platform);
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException(e.getMessage(), e);
    }
  }

  /** The test plan's runs, one per configured platform, closed (comparison written) when the plan ends. */
  static PlatformRuns runs(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(PlatformRuns.class, key -> {
      try {
        return RunEnvironment.open(config(context));
      } catch (IllegalArgumentException e) {
        throw new ExtensionConfigurationException(e.getMessage(), e);
      }
    }, PlatformRuns.class);
  }

  /** The platform of the per-platform invocation that {@code context} is in, if any. */
  static Optional<String> invocationPlatform(ExtensionContext context) {
    return Optional.ofNullable(context.getStore(NAMESPACE).get(PLATFORM, String.class));
  }

  private static List<String> configuredPlatforms(ExtensionContext context) {
    try {
      return config(context).platforms();
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException(e.getMessage(), e);
    }
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
