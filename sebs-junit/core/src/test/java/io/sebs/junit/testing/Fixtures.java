package io.sebs.junit.testing;

import io.sebs.junit.config.SebsConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Configuration for framework tests: the fixture benchmarks, a shared cache, a temporary results folder. */
public final class Fixtures {

  private Fixtures() {}

  private static Path extracted;

  /**
   * The fixture catalogue: the core's src/test/resources/benchmarks, found on the test classpath. In a
   * full build that is the core's test-classes folder; a platform module built alone (-pl) gets the core's
   * test jar instead, whose fixtures are copied once per JVM to target/sebs-fixtures.
   */
  public static synchronized Path benchmarksDir() {
    URL marker = Fixtures.class.getResource("/benchmarks/900.fixtures");
    if (marker == null) {
      throw new IllegalStateException("The fixture benchmarks are not on the test classpath: add the core's test"
          + " jar (io.sebs:sebs-junit, type test-jar) as a test dependency");
    }
    try {
      URI uri = marker.toURI();
      if (uri.getScheme().equals("file")) {
        return Path.of(uri).getParent();
      }
      if (extracted == null) {
        extracted = extract(uri, Path.of("target", "sebs-fixtures").toAbsolutePath());
      }
      return extracted;
    } catch (URISyntaxException | IOException e) {
      throw new IllegalStateException("Cannot read the fixture benchmarks at " + marker, e);
    }
  }

  private static Path extract(URI inJar, Path target) throws IOException {
    FileSystem jar;
    try {
      jar = FileSystems.newFileSystem(inJar, Map.of());
    } catch (FileSystemAlreadyExistsException e) {
      jar = FileSystems.getFileSystem(inJar);
    }
    Path source = jar.getPath("/benchmarks");
    Path destination = target.resolve("benchmarks");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path copy = destination.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return destination;
  }

  /**
   * The repository's benchmark catalogue (benchmarks/ at the top), for tests that run its real benchmarks:
   * each module's Surefire configuration sets {@code sebs.benchmarks.dir} to it.
   */
  public static Path catalogueDir() {
    String dir = System.getProperty(SebsConfig.BENCHMARKS_DIR);
    if (dir == null) {
      throw new IllegalStateException("-D" + SebsConfig.BENCHMARKS_DIR + " is not set: run the tests through Maven,"
          + " whose Surefire configuration points it at the repository's benchmarks folder");
    }
    return Path.of(dir).toAbsolutePath().normalize();
  }

  /** The package cache shared by the build (set by surefire), so venvs are built once per code hash. */
  public static Path cacheDir() {
    return Path.of(System.getProperty("sebs.cache.dir", "target/sebs-cache")).toAbsolutePath();
  }

  /** Configuration with the given overrides on top of the fixture defaults. */
  public static SebsConfig config(Path resultsDir, String... keyValues) {
    Map<String, String> values = new HashMap<>(configMap(resultsDir));
    for (int i = 0; i < keyValues.length; i += 2) {
      values.put(keyValues[i], keyValues[i + 1]);
    }
    return new SebsConfig(key -> Optional.ofNullable(values.get(key)));
  }

  /** The fixture defaults as configuration parameters (for EngineTestKit). */
  public static Map<String, String> configMap(Path resultsDir) {
    Map<String, String> values = new HashMap<>();
    values.put(SebsConfig.BENCHMARKS_DIR, benchmarksDir().toString());
    values.put(SebsConfig.CACHE_DIR, cacheDir().toString());
    values.put(SebsConfig.RESULTS_DIR, resultsDir.toString());
    values.put(SebsConfig.PLATFORM, "local");
    return values;
  }
}
