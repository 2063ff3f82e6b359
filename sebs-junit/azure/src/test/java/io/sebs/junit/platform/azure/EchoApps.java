package io.sebs.junit.platform.azure;

import io.sebs.junit.benchmark.CodePackage;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.benchmark.WrapperSource;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The echo fixture (901.echo) as an Azure Functions package, built once per language and JVM the way the
 * platform builds it: the repository's Azure wrapper (benchmarks/wrappers/azure), the default Flex Consumption
 * runtime, no function-side modules; Node.js and Java builds are cached in the shared sebs cache.
 */
final class EchoApps {

  static final String ECHO = "900.fixtures/901.echo";
  private static final Map<Language, AzurePackage> BUILT = new ConcurrentHashMap<>();

  private EchoApps() {}

  /** The code of the echo fixture for {@code language} with the Azure wrapper. */
  static CodePackage code(Language language) {
    Map<String, byte[]> wrapper = new java.util.TreeMap<>(new WrapperSource(Fixtures.catalogueDir())
        .files("azure", language));
    wrapper.keySet().removeIf(path -> !io.sebs.junit.storage.StorageModules.shipsWrapperFile(path, false, false)); // no storage modules
    return AzurePackage.code(wrapper, Fixtures.benchmarksDir().resolve(ECHO).resolve(language.id()),
        FlexRuntime.of(language, ""), Map.of());
  }

  /** The echo fixture's package for {@code language}. */
  static AzurePackage echo(Language language) {
    return BUILT.computeIfAbsent(language, l -> AzurePackage.build(Fixtures.cacheDir(), code(l), l));
  }

  /** The echo fixture's package unpacked into {@code dir}, which is returned. */
  static Path unpacked(Language language, Path dir) {
    echo(language).unpackTo(dir);
    return dir;
  }
}
