package io.sebs.junit.platform.azure;

import io.sebs.junit.benchmark.Language;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The libraries an Azure function needs for SeBS's modules {@code storage} and {@code nosql}, by language
 * (package to version constraint; for Java "groupId:artifactId" to version):
 * <ul>
 *   <li>Python: none. storage.py speaks Blob Storage's REST API with Shared Key signatures and nosql.py Cosmos
 *       DB's REST API with master-key signatures, both with the standard library: no azure-* packages to
 *       install or import at cold start.</li>
 *   <li>Node.js: {@code @azure/storage-blob} for storage.js and {@code @azure/cosmos} for nosql.js, as SeBS's
 *       Azure wrappers use them; the newest versions that still run on Node.js 20 (later ones want 22).</li>
 *   <li>Java: azure-storage-blob with azure-core's JDK HTTP client for {@code sebs.storage.Storage},
 *       azure-cosmos for {@code sebs.storage.NoSql}, in the versions this module is built and tested with (read
 *       from their own jars' Maven metadata, so they cannot drift from the pom's BOM).</li>
 * </ul>
 */
public final class AzureStorageModules {

  public static final String NODE_STORAGE = "@azure/storage-blob";
  public static final String NODE_STORAGE_VERSION = ">=12.28.0 <12.33.0";
  public static final String NODE_COSMOS = "@azure/cosmos";
  public static final String NODE_COSMOS_VERSION = ">=4.5.0 <4.10.0";
  public static final String JAVA_STORAGE = "com.azure:azure-storage-blob";
  public static final String JAVA_HTTP_CLIENT = "com.azure:azure-core-http-jdk-httpclient";
  public static final String JAVA_COSMOS = "com.azure:azure-cosmos";

  private AzureStorageModules() {}

  /** The dependencies for the modules a benchmark's config.json lists. */
  public static Map<String, String> dependencies(Language language, List<String> modules) {
    boolean storage = modules.contains("storage");
    boolean nosql = modules.contains("nosql");
    Map<String, String> deps = new LinkedHashMap<>();
    switch (language) {
      case NODEJS:
        if (storage) {
          deps.put(NODE_STORAGE, NODE_STORAGE_VERSION);
        }
        if (nosql) {
          deps.put(NODE_COSMOS, NODE_COSMOS_VERSION);
        }
        break;
      case JAVA:
        if (storage) {
          deps.put(JAVA_STORAGE, javaVersion(JAVA_STORAGE));
          deps.put(JAVA_HTTP_CLIENT, javaVersion(JAVA_HTTP_CLIENT));
        }
        if (nosql) {
          deps.put(JAVA_COSMOS, javaVersion(JAVA_COSMOS));
        }
        break;
      default: // Python: standard library only
        break;
    }
    return deps;
  }

  /** The version of an Azure library on this class path, from its jar's pom.properties. */
  static String javaVersion(String coordinates) {
    String[] parts = coordinates.split(":");
    String resource = "META-INF/maven/" + parts[0] + "/" + parts[1] + "/pom.properties";
    try (InputStream in = AzureStorageModules.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(coordinates + " is not on the class path (no " + resource + "): the "
            + "sebs-junit-azure dependency brings it; is the jar's Maven metadata stripped (shading)?");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + resource, e);
    }
  }
}
