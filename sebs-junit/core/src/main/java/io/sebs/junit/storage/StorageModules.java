package io.sebs.junit.storage;

import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.benchmark.LibraryVersions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The libraries the function-side wrapper and storage modules need, added to a function's dependencies
 * at packaging time: for Python, boto3 when its config.json lists the SeBS modules {@code storage} or
 * {@code nosql}; for Node.js, the AWS SDK v3 clients. The module {@code redis} adds the Redis client
 * ({@code redis} from pip or npm). For Java ("groupId:artifactId" to version, added to
 * the function's pom.xml): jackson-databind always (the cloud wrappers' JSON; the HTTP wrapper has its own), and
 * the AWS SDK for Java v2's
 * S3 client with its URLConnection HTTP client when it lists {@code storage} (sebs.storage.Storage).
 */
public final class StorageModules {

  /** The cloud wrappers' JSON library, in every Java function (functions may use it too). */
  public static final String JACKSON_DATABIND = "com.fasterxml.jackson.core:jackson-databind";
  /** The Jackson version of this build (from the pom). */
  public static final String JACKSON_VERSION = LibraryVersions.core().of("jackson");
  /** The AWS SDK for Java v2 modules sebs.storage.Storage compiles against. */
  public static final String AWS_S3 = "software.amazon.awssdk:s3";
  public static final String AWS_URL_CONNECTION_CLIENT = "software.amazon.awssdk:url-connection-client";
  /** The AWS SDK for Java v2 version of this build (from the pom). */
  public static final String AWS_SDK_VERSION = LibraryVersions.core().of("awssdk");

  private StorageModules() {}

  /**
   * Package name to version constraint ("" for any) for the function's language; for Java,
   * "groupId:artifactId" to version.
   */
  public static Map<String, String> dependencies(FunctionSpec spec) {
    List<String> modules = spec.benchmark().config().modules();
    Map<String, String> deps = new LinkedHashMap<>();
    boolean storage = modules.contains("storage");
    boolean nosql = modules.contains("nosql");
    boolean redis = modules.contains("redis");
    if (spec.language() == Language.PYTHON && (storage || nosql)) {
      deps.put("boto3", "");
    }
    if (spec.language() == Language.PYTHON && redis) {
      deps.put("redis", ">=4");
    }
    if (spec.language() == Language.NODEJS && redis) {
      deps.put("redis", "^4");
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
    if (spec.language() == Language.JAVA) {
      deps.put(JACKSON_DATABIND, JACKSON_VERSION);
      if (storage) {
        deps.put(AWS_S3, AWS_SDK_VERSION);
        deps.put(AWS_URL_CONNECTION_CLIENT, AWS_SDK_VERSION);
      }
    }
    return deps;
  }

  /** Whether the benchmark's code uses storage, NoSQL or Redis. */
  public static boolean used(FunctionSpec spec) {
    return usesObjectStorage(spec) || usesNoSql(spec) || usesRedis(spec);
  }

  public static boolean usesRedis(FunctionSpec spec) {
    return spec.benchmark().config().modules().contains("redis");
  }

  public static boolean usesObjectStorage(FunctionSpec spec) {
    return spec.benchmark().config().modules().contains("storage");
  }

  public static boolean usesNoSql(FunctionSpec spec) {
    return spec.benchmark().config().modules().contains("nosql");
  }

  /**
   * Whether a platform wrapper's file goes into the package of {@code spec}: the function-side modules ({@code
   * function/storage.py}, {@code nosql.js}, Java's {@code sebs/storage/Storage.java} and {@code NoSql.java}) only
   * when the benchmark lists the service they serve, so a function that uses no storage compiles and loads no
   * storage client.
   */
  public static boolean shipsWrapperFile(String path, FunctionSpec spec) {
    return shipsWrapperFile(path, usesObjectStorage(spec), usesNoSql(spec));
  }

  /** {@link #shipsWrapperFile(String, FunctionSpec)} for a benchmark using these services. */
  public static boolean shipsWrapperFile(String path, boolean objectStorage, boolean noSql) {
    if (!path.startsWith("function/")) {
      return true;
    }
    String file = path.substring(path.lastIndexOf('/') + 1);
    String stem = (file.contains(".") ? file.substring(0, file.indexOf('.')) : file).toLowerCase(java.util.Locale.ROOT);
    return stem.equals("storage") ? objectStorage : !stem.equals("nosql") || noSql;
  }
}
