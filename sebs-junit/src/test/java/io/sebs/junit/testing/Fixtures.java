package io.sebs.junit.testing;

import io.sebs.junit.config.SebsConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Configuration for framework tests: the fixture benchmarks, a shared cache, a temporary results folder. */
public final class Fixtures {

  private Fixtures() {}

  /** The fixture catalogue (src/test/resources/benchmarks). */
  public static Path benchmarksDir() {
    return Path.of("src", "test", "resources", "benchmarks").toAbsolutePath();
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
