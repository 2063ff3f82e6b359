package io.sebs.junit.platform.gcp;

import io.sebs.junit.benchmark.Language;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The libraries a Cloud Functions function needs for SeBS's modules {@code storage} and {@code nosql}, by
 * language (package to version constraint; for Java "groupId:artifactId" to version):
 * <ul>
 *   <li>Python: none. storage.py and nosql.py speak the JSON APIs with the standard library, which keeps the
 *       function's cold start free of google-cloud-* imports (and of their gRPC wheels).</li>
 *   <li>Node.js: {@code @google-cloud/storage} for storage.js. nosql.js speaks Datastore's REST API with
 *       Node's fetch: {@code @google-cloud/datastore} talks gRPC, to emulators too, which HTTP stand-ins do not
 *       answer. Major 7 of the storage client, the newest that supports Node.js 20 (8.x wants Node 22).</li>
 *   <li>Java: Google's clients in the versions this module is built and tested with (read from their own jars'
 *       Maven metadata, so they cannot drift from the pom's BOM).</li>
 * </ul>
 */
public final class GcpStorageModules {

  public static final String NODE_STORAGE = "@google-cloud/storage";
  public static final String NODE_STORAGE_VERSION = "^7.22.0";
  public static final String JAVA_STORAGE = "com.google.cloud:google-cloud-storage";
  public static final String JAVA_DATASTORE = "com.google.cloud:google-cloud-datastore";

  private GcpStorageModules() {}

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
        break;
      case JAVA:
        if (storage) {
          deps.put(JAVA_STORAGE, javaVersion(JAVA_STORAGE));
        }
        if (nosql) {
          deps.put(JAVA_DATASTORE, javaVersion(JAVA_DATASTORE));
        }
        break;
      default: // Python: standard library only
        break;
    }
    return deps;
  }

  /** The version of a Google client on this classpath, from its jar's pom.properties. */
  static String javaVersion(String coordinates) {
    String[] parts = coordinates.split(":");
    String resource = "META-INF/maven/" + parts[0] + "/" + parts[1] + "/pom.properties";
    try (InputStream in = GcpStorageModules.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(coordinates + " is not on the classpath (no " + resource + "): the "
            + "sebs-junit-gcp dependency brings it; is the jar's Maven metadata stripped (shading)?");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + resource, e);
    }
  }
}
