package io.sebs.junit.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One benchmark of the catalogue: its folder (SeBS layout) and its config.json. A folder with a
 * {@code definition.json} is a workflow (SeBS-Flow); each of its functions is deployed as a benchmark of
 * its own, {@link #workflowFunction(String)}, whose {@code function} names the file it runs.
 *
 * @param function for one function of a workflow, its {@code func_name} (the file {@code
 *     <language>/<func_name>.py} or {@code .js}); null for a function benchmark or a whole workflow
 */
public record Benchmark(String id, Path directory, BenchmarkConfig config, String function) {

  /** SeBS-Flow's workflow definition file. */
  public static final String WORKFLOW_DEFINITION = "definition.json";

  /** A function benchmark, or a whole workflow. */
  public Benchmark(String id, Path directory, BenchmarkConfig config) {
    this(id, directory, config, null);
  }

  /** Whether this folder is a workflow: it has a {@code definition.json}. */
  public boolean isWorkflow() {
    return Files.isRegularFile(directory.resolve(WORKFLOW_DEFINITION));
  }

  /** The workflow's definition file ({@link #isWorkflow()}). */
  public Path workflowDefinition() {
    return directory.resolve(WORKFLOW_DEFINITION);
  }

  /** One function of this workflow, deployed on its own: the file {@code <language>/<func_name>}. */
  public Benchmark workflowFunction(String funcName) {
    if (!funcName.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("Workflow " + id + ": func_name '" + funcName
          + "' is not a module name (letters, digits and _, as SeBS-Flow's files are named)");
    }
    return new Benchmark(id, directory, config, funcName);
  }

  /** The folder with the function code for a language, e.g. {@code python/}. */
  public Path codeDirectory(Language language) {
    Path dir = directory.resolve(language.id());
    if (!config.languages().contains(language.id()) || !Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "Benchmark " + id + " has no " + language.id() + " implementation: it supports "
              + config.languages() + " (folder " + directory + ")");
    }
    return dir;
  }

  /** SeBS's input generator, {@code input.py}. */
  public Path inputScript() {
    return directory.resolve("input.py");
  }

  /**
   * A short name usable in function names: {@code 110.dynamic-html} becomes {@code 110-dynamic-html}, and
   * the function {@code process} of {@code 630.parallel-sleep} {@code 630-parallel-sleep-process}.
   */
  public String slug() {
    return (function == null ? id : id + "-" + function).replaceAll("[^A-Za-z0-9-]", "-");
  }
}
