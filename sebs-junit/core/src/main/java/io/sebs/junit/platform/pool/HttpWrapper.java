package io.sebs.junit.platform.pool;

import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.benchmark.WrapperSource;
import io.sebs.junit.platform.PlatformContext;
import io.sebs.junit.storage.StorageModules;
import java.util.Map;
import java.util.TreeMap;

/**
 * The files of the HTTP-serving wrapper ({@code wrappers/http/<language>/}) that pooled platforms run
 * around a function: it answers the function contract on a loopback port, one request at a time.
 */
public final class HttpWrapper {

  /** Java wrapper sources of sebs.storage (they compile only against the AWS SDK). */
  static final String JAVA_STORAGE_SOURCES = "function/src/main/java/sebs/storage/";

  private HttpWrapper() {}

  /**
   * The wrapper files for the function's language. The Java storage client (sebs.storage.Storage)
   * compiles only with the AWS SDK on the classpath, which the package gets only when config.json lists
   * "storage" (see StorageModules): without it, the client's sources are left out.
   */
  public static Map<String, byte[]> files(PlatformContext context, FunctionSpec spec) {
    return files(context.wrappers().files(WrapperSource.HTTP, spec.language()), spec.language(),
        StorageModules.usesObjectStorage(spec));
  }

  /** The wrapper files without the Java storage client's sources unless {@code objectStorage}. */
  public static Map<String, byte[]> files(Map<String, byte[]> wrapper, Language language, boolean objectStorage) {
    Map<String, byte[]> files = new TreeMap<>(wrapper);
    if (language == Language.JAVA && !objectStorage) {
      files.keySet().removeIf(path -> path.startsWith(JAVA_STORAGE_SOURCES));
    }
    return files;
  }
}
