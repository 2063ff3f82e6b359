package io.sebs.junit.storage;

import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.Language;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client libraries the function-side storage modules need, added to a function's dependencies when
 * its config.json lists the SeBS modules {@code storage} or {@code nosql}: boto3 for Python, the AWS SDK
 * v3 clients for Node.js. Java needs none: its wrapper's storage client (sebs.storage.Storage) is written
 * over the JDK alone, so it compiles into every Java function whatever its pom declares.
 */
public final class StorageModules {

  private StorageModules() {}

  /** Package name to version constraint ("" for any) for the function's language. */
  public static Map<String, String> dependencies(FunctionSpec spec) {
    List<String> modules = spec.benchmark().config().modules();
    Map<String, String> deps = new LinkedHashMap<>();
    boolean storage = modules.contains("storage");
    boolean nosql = modules.contains("nosql");
    if (spec.language() == Language.PYTHON && (storage || nosql)) {
      deps.put("boto3", "");
    }
    if (spec.language() == Language.NODEJS) {
      if (storage) {
        deps.put("@aws-sdk/client-s3", "^3");
      }
      if (nosql) {
        deps.put("@aws-sdk/client-dynamodb", "^3");
        deps.put("@aws-sdk/lib-dynamodb", "^3");
      }
    }
    return deps;
  }

  /** Whether the benchmark's code uses storage or NoSQL. */
  public static boolean used(FunctionSpec spec) {
    return usesObjectStorage(spec) || usesNoSql(spec);
  }

  public static boolean usesObjectStorage(FunctionSpec spec) {
    return spec.benchmark().config().modules().contains("storage");
  }

  public static boolean usesNoSql(FunctionSpec spec) {
    return spec.benchmark().config().modules().contains("nosql");
  }
}
