package io.sebs.junit.benchmark;

import io.sebs.junit.process.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.logging.Logger;

/**
 * The Maven build of a Java function package: the benchmark's {@code java/} project (written to
 * {@code function/} with the platform's wrapper sources dropped into its source tree) compiled, and its
 * runtime dependencies copied beside the classes. One build for every platform that runs Java functions:
 * the local platform starts a JVM on the folders, the aws platform zips them in the layout Lambda's Java
 * runtime loads (classes at the root, jars under {@code lib/}).
 */
public final class JavaFunctionBuild {

  /** The compiled classes (wrapper and function), relative to the package folder. */
  public static final String CLASSES = "function/target/classes";
  /** The runtime-scope dependency jars, relative to the package folder. */
  public static final String DEPENDENCIES = "function/target/dependency";
  /** The benchmark's entry point, relative to {@link #CLASSES}. */
  public static final String FUNCTION_CLASS_FILE = "function/Function.class";

  /**
   * The Java release functions are compiled for, given to the build as {@code JAVA_VERSION} in the
   * environment: SeBS's Java poms read it ({@code <java.version>${env.JAVA_VERSION}</java.version>}), as its
   * build images set it. 17 runs on every JVM and Lambda Java runtime the platforms use.
   */
  public static final String JAVA_RELEASE = "17";

  private static final Logger LOG = Logger.getLogger(JavaFunctionBuild.class.getName());
  private static final String DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1";
  private static final String MAVEN_HINT =
      "Install Maven 3.8+ (Debian/Ubuntu: apt-get install maven) and make sure mvn is on PATH.";

  private JavaFunctionBuild() {}

  /**
   * Compiles the package's function/pom.xml and copies its runtime dependencies (not {@code provided} ones)
   * to {@link #DEPENDENCIES}, with the Maven on PATH. The pom needs nothing sebs-specific: any jar project
   * with Java 17 sources builds, SeBS's own Java poms (which take the release from {@code JAVA_VERSION})
   * included.
   *
   * @param dir the package folder, holding {@code function/pom.xml}
   * @param purpose who builds, for messages (e.g. "locally", "for AWS Lambda")
   */
  public static void compile(Path dir, String purpose) {
    Path pom = dir.resolve("function").resolve(Language.JAVA.dependencyFile());
    if (!Files.isRegularFile(pom)) {
      throw new IllegalStateException("The Java function has no pom.xml: a benchmark's java/ folder is a Maven"
          + " project (java/pom.xml and java/src/main/java/function/Function.java); see benchmarks/README.md");
    }
    if (Command.onPath("mvn").isEmpty()) {
      throw new IllegalStateException("mvn is not on PATH, so Java functions cannot be built " + purpose + ". "
          + MAVEN_HINT);
    }
    LOG.info(() -> "Building the Java function " + purpose + " with Maven in " + pom.getParent());
    Command.Result result = Command.of("mvn", "-B", "-q", "-f", pom.toString(), "-DskipTests",
            "-Dmaven.test.skip=true", "compile", DEPENDENCY_PLUGIN + ":copy-dependencies", "-DincludeScope=runtime")
        .env("JAVA_VERSION", JAVA_RELEASE).in(dir).timeout(Duration.ofMinutes(15)).run();
    if (!result.succeeded()) {
      throw new IllegalStateException("Building the Java function with Maven failed (exit code " + result.exitCode()
          + " from '" + String.join(" ", result.argv()) + "' in " + dir + "):\n"
          + tail(result.stdout() + "\n" + result.stderr(), 60));
    }
    if (!Files.isRegularFile(dir.resolve(CLASSES).resolve(FUNCTION_CLASS_FILE))) {
      throw new IllegalStateException("The Java function's Maven build made no " + CLASSES + "/"
          + FUNCTION_CLASS_FILE + ": the handler belongs in java/src/main/java/function/Function.java");
    }
  }

  private static String tail(String text, int lines) {
    String[] all = text.strip().split("\n");
    return String.join("\n", Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
  }
}
