package io.sebs.junit.benchmark;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Function languages, named as in SeBS's config.json ({@code "languages": ["python", "nodejs", "java"]}).
 * A Java function is a small Maven project, so its dependency file is its {@code pom.xml}.
 */
public enum Language {
  PYTHON("python", "requirements.txt"),
  NODEJS("nodejs", "package.json"),
  JAVA("java", "pom.xml");

  private final String id;
  private final String dependencyFile;

  Language(String id, String dependencyFile) {
    this.id = id;
    this.dependencyFile = dependencyFile;
  }

  /** The name used in annotations, config.json and folder names. */
  public String id() {
    return id;
  }

  /** The file that lists the function's dependencies. */
  public String dependencyFile() {
    return dependencyFile;
  }

  public static Language of(String id) {
    String wanted = id.toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(l -> l.id.equals(wanted) || (l == NODEJS && wanted.equals("node")))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(
            "Unknown language '" + id + "': supported languages are "
                + Arrays.stream(values()).map(Language::id).collect(Collectors.joining(", "))));
  }
}
