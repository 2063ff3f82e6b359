package io.sebs.junit.benchmark;

import java.util.List;

/**
 * Everything that defines one deployment: which benchmark, in which language and version, with how much
 * memory and which timeout, fed which input size. Equal specs share a deployment.
 */
public record FunctionSpec(
    Benchmark benchmark, Language language, String languageVersion, String size, int memoryMb, int timeoutSeconds) {

  public static final List<String> SIZES = List.of("test", "small", "large");

  public FunctionSpec {
    if (!SIZES.contains(size)) {
      throw new IllegalArgumentException("Unknown size '" + size + "': use one of " + SIZES);
    }
    if (memoryMb < 1) {
      throw new IllegalArgumentException("memory must be at least 1 MB, was " + memoryMb);
    }
    if (timeoutSeconds < 1) {
      throw new IllegalArgumentException("timeout must be at least 1 s, was " + timeoutSeconds);
    }
    languageVersion = languageVersion == null ? "" : languageVersion;
  }

  /** This specification with another memory size, e.g. one point of a memory sweep. */
  public FunctionSpec withMemory(int memory) {
    return new FunctionSpec(benchmark, language, languageVersion, size, memory, timeoutSeconds);
  }

  /** This specification for one function of its workflow ({@link Benchmark#workflowFunction}). */
  public FunctionSpec forWorkflowFunction(String funcName) {
    return new FunctionSpec(benchmark.workflowFunction(funcName), language, languageVersion, size, memoryMb,
        timeoutSeconds);
  }

  /** A function name for platforms, e.g. {@code sebs-110-dynamic-html-python-128}. */
  public String functionName() {
    return "sebs-" + benchmark.slug() + "-" + language.id()
        + (languageVersion.isEmpty() ? "" : "-" + languageVersion.replace('.', '_')) + "-" + memoryMb;
  }

  /**
   * The name of the function's code package: its {@link #functionName()}, except that all functions of a
   * workflow share one package (the same code; each instance loads its own file), so its dependencies are
   * installed once, not once per function.
   */
  public String packageName() {
    if (benchmark.function() == null) {
      return functionName();
    }
    Benchmark workflow = new Benchmark(benchmark.id(), benchmark.directory(), benchmark.config());
    return new FunctionSpec(workflow, language, languageVersion, size, memoryMb, timeoutSeconds).functionName();
  }

  /** Key of the deployment cache: everything but the input size. */
  public String deploymentKey() {
    return benchmark.id() + (benchmark.function() == null ? "" : "/" + benchmark.function()) + "|" + language.id() + "|" + languageVersion + "|" + memoryMb + "|" + timeoutSeconds;
  }
}
