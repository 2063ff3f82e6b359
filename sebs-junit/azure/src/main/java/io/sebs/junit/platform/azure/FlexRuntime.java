package io.sebs.junit.platform.azure;

import io.sebs.junit.benchmark.Language;
import java.util.List;
import java.util.Map;

/**
 * The language stack of a function app on the Flex Consumption plan, as its {@code functionAppConfig.runtime}
 * names it: {@code {"name": "python", "version": "3.11"}}. Only the stacks sebs-junit's Azure wrappers are
 * built and tested for are offered: Python 3.11 and 3.12, Node.js 20 and 22, Java 17 and 21.
 *
 * @param name the runtime's name in {@code functionAppConfig.runtime.name} ({@code python}, {@code node},
 *     {@code java})
 * @param version its version in {@code functionAppConfig.runtime.version} ({@code 3.11}, {@code 20}, {@code 17})
 */
public record FlexRuntime(String name, String version) {

  /** Language to the versions offered, the first of each the default (what the local platform runs here). */
  static final Map<Language, List<String>> SUPPORTED = Map.of(
      Language.PYTHON, List.of("3.11", "3.12"),
      Language.NODEJS, List.of("20", "22"),
      Language.JAVA, List.of("17", "21"));

  private static final Map<Language, String> NAMES = Map.of(
      Language.PYTHON, "python", Language.NODEJS, "node", Language.JAVA, "java");

  /**
   * The runtime for a benchmark's language and the version its configuration asks for ({@code ""} = the
   * default: Python 3.11, Node.js 20, Java 17). A version may be written as SeBS does ("3.11", "20") or with a
   * trailing ".x" ("20.x").
   *
   * @throws IllegalArgumentException for a version the Azure wrappers do not support, naming those they do
   */
  public static FlexRuntime of(Language language, String languageVersion) {
    List<String> versions = SUPPORTED.get(language);
    String wanted = languageVersion == null ? "" : languageVersion.strip().replaceAll("\\.x$", "");
    if (wanted.isEmpty()) {
      return new FlexRuntime(NAMES.get(language), versions.get(0));
    }
    if (!versions.contains(wanted)) {
      throw new IllegalArgumentException(displayName(language) + " " + languageVersion + " is not a runtime"
          + " sebs-junit deploys to Azure Functions (Flex Consumption): use languageVersion "
          + String.join(" or ", versions) + ", or leave it empty for " + versions.get(0));
    }
    return new FlexRuntime(NAMES.get(language), wanted);
  }

  /** The language this runtime runs. */
  public Language language() {
    return NAMES.entrySet().stream().filter(e -> e.getValue().equals(name)).map(Map.Entry::getKey).findFirst()
        .orElseThrow(() -> new IllegalStateException("No language runs on the Flex Consumption runtime " + name));
  }

  /**
   * The version as SeBS writes it for choosing per-version dependency files ({@link
   * io.sebs.junit.benchmark.CodePackage#forRuntime}): "3.11", "20"; empty for Java, which has none.
   */
  public String sebsVersion() {
    return language() == Language.JAVA ? "" : version;
  }

  private static String displayName(Language language) {
    return switch (language) {
      case PYTHON -> "Python";
      case NODEJS -> "Node.js";
      case JAVA -> "Java";
    };
  }

  @Override
  public String toString() {
    return name + " " + version;
  }
}
