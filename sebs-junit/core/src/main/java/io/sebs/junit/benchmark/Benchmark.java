package io.sebs.junit.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;

/** One benchmark of the catalogue: its folder (SeBS layout) and its config.json. */
public record Benchmark(String id, Path directory, BenchmarkConfig config) {

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

  /** A short name usable in function names: {@code 110.dynamic-html} becomes {@code 110-dynamic-html}. */
  public String slug() {
    return id.replaceAll("[^A-Za-z0-9-]", "-");
  }
}
