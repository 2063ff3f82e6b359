package io.sebs.junit.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Versions of libraries that sebs-junit puts into functions (Jackson and the AWS SDK in Java functions,
 * dynalite for the local DynamoDB server, Lambda's Java library), read from a {@code versions.properties}
 * that the build fills in from its pom: one source of truth, so a function never gets a version the
 * library was not built and tested with.
 */
public final class LibraryVersions {

  private final Properties values = new Properties();
  private final String resource;

  /** The versions in the classpath resource {@code resource} (e.g. {@code io/sebs/junit/versions.properties}). */
  public LibraryVersions(String resource) {
    this.resource = resource;
    try (InputStream in = LibraryVersions.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("The sebs-junit jar lacks " + resource + ": it was not built by Maven");
      }
      values.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + resource, e);
    }
  }

  /** The core's versions: {@code jackson}, {@code awssdk}, {@code dynalite}. */
  public static LibraryVersions core() {
    return Holder.CORE;
  }

  /** The version of {@code library}; fails naming the resource when it has none or it was not filled in. */
  public String of(String library) {
    String version = values.getProperty(library);
    if (version == null || version.isBlank() || version.contains("${")) {
      throw new IllegalStateException("No version of " + library + " in " + resource + " (was '" + version
          + "'): the resource must be filtered by the Maven build");
    }
    return version.trim();
  }

  private static final class Holder {
    static final LibraryVersions CORE = new LibraryVersions("io/sebs/junit/versions.properties");
  }
}
