package io.sebs.junit.benchmark;

import java.util.Locale;
import java.util.Set;

/**
 * Which of a function's dependency files is installed for a runtime, chosen as SeBS's builds choose it,
 * so a SeBS benchmark whose dependencies live only in its per-interpreter files (502.graph-mst lists igraph
 * only in {@code requirements.txt.3.x}) gets them:
 * <ul>
 *   <li>Python: {@code requirements.txt.arm.<version>} on arm64 when it exists, else {@code
 *       requirements.txt.<version>} when it exists, else {@code requirements.txt} (SeBS's Python installer
 *       installs that one file; its module packages are appended to it);
 *   <li>Node.js: {@code package.json.<version>} when it exists, else {@code package.json} (SeBS copies it
 *       over package.json);
 *   <li>Java: {@code pom.xml}.
 * </ul>
 * The version is written as SeBS writes it: Python "major.minor" ("3.11"), Node.js the major ("20").
 */
public final class DependencyFiles {

  private DependencyFiles() {}

  /**
   * The file to install among {@code files} (names in the function's folder).
   *
   * @param version the runtime's version ("3.11", "20"); empty when unknown, which selects the plain file
   * @param architecture "x86_64" or "arm64" (also "aarch64")
   */
  public static String choose(Language language, Set<String> files, String version, String architecture) {
    String plain = language.dependencyFile();
    if (version == null || version.isBlank() || language == Language.JAVA) {
      return plain;
    }
    if (language == Language.PYTHON && isArm(architecture) && files.contains(plain + ".arm." + version)) {
      return plain + ".arm." + version;
    }
    return files.contains(plain + "." + version) ? plain + "." + version : plain;
  }

  /** Whether an architecture name is 64-bit ARM ("arm64", "aarch64"). */
  public static boolean isArm(String architecture) {
    String a = architecture == null ? "" : architecture.toLowerCase(Locale.ROOT);
    return a.equals("arm64") || a.equals("aarch64");
  }

  /** This JVM's machine as SeBS names architectures: "arm64" or "x86_64". */
  public static String hostArchitecture() {
    return isArm(System.getProperty("os.arch")) ? "arm64" : "x86_64";
  }

  /** A version as SeBS writes it for a language: "3.11.7" becomes "3.11" (Python), "v20.1.0" becomes "20". */
  public static String sebsVersion(Language language, String fullVersion) {
    String v = fullVersion == null ? "" : fullVersion.strip().replaceFirst("^[vV]", "");
    String[] parts = v.split("[.+-]");
    return switch (language) {
      case PYTHON -> parts.length >= 2 ? parts[0] + "." + parts[1] : v;
      case NODEJS -> parts[0];
      case JAVA -> v;
    };
  }
}
