package io.sebs.junit.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The benchmarks found in a directory laid out like SeBS's {@code benchmarks/}: a benchmark is any folder
 * holding a config.json, at depth one or two ({@code 000.microbenchmarks/010.sleep}), found by its own
 * folder name ({@code 010.sleep}).
 */
public final class BenchmarkCatalog {

  private final Path root;
  private final Map<String, Path> benchmarks;

  public BenchmarkCatalog(Path root) {
    this.root = root;
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException(
          "Benchmarks directory " + root + " does not exist: set -Dsebs.benchmarks.dir to the benchmark catalogue");
    }
    try (Stream<Path> files = Files.find(root, 3,
        (p, a) -> p.getFileName().toString().equals("config.json") && !p.startsWith(root.resolve("wrappers")))) {
      this.benchmarks = files.map(Path::getParent)
          .filter(dir -> !dir.equals(root))
          .collect(Collectors.toMap(d -> d.getFileName().toString(), d -> d, (a, b) -> a, TreeMap::new));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list benchmarks in " + root, e);
    }
  }

  public Path root() {
    return root;
  }

  /** Ids of all benchmarks, sorted. */
  public List<String> ids() {
    return List.copyOf(benchmarks.keySet());
  }

  /** The benchmark with this id; an unknown id fails with the list of known ones. */
  public Benchmark find(String id) {
    Path dir = benchmarks.get(id);
    if (dir == null) {
      List<String> similar = benchmarks.keySet().stream()
          .filter(k -> k.contains(id) || id.contains(k.replaceFirst("^\\d+\\.", "")))
          .toList();
      throw new IllegalArgumentException(
          "Unknown benchmark '" + id + "' in " + root + "."
              + (similar.isEmpty() ? "" : " Did you mean " + similar + "?")
              + " Known benchmarks: " + ids());
    }
    return new Benchmark(id, dir, BenchmarkConfig.read(dir.resolve("config.json")));
  }
}
