package io.sebs.junit.platform.aws;

import io.sebs.junit.benchmark.CodePackage;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.JavaFunctionBuild;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.benchmark.LibraryVersions;
import io.sebs.junit.process.Command;
import io.sebs.junit.storage.StorageModules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a Java function needs to run on Lambda's managed Java runtime: the wrapper's handler string, the
 * Lambda library the runtime provides (compiled against, not packaged), and the zip layout the runtime
 * loads, which is the classes at the root and the dependency jars under {@code lib/}. The Maven build is
 * the local platform's ({@link JavaFunctionBuild}), so a benchmark's java/ project builds the same way
 * everywhere.
 */
final class LambdaJavaRuntime {

  /** The Lambda wrapper's entry point (benchmarks/wrappers/aws/java), in Lambda's class::method form. */
  static final String HANDLER = "sebs.wrapper.LambdaHandler::handleRequest";
  /** The handler of the Python and Node.js wrappers: handler.py / handler.js, function handler. */
  static final String SCRIPT_HANDLER = "handler.handler";
  /** RequestStreamHandler and Context: on the Java runtime's classpath, so {@code provided}. */
  static final String LAMBDA_CORE = "com.amazonaws:aws-lambda-java-core";
  static final String LAMBDA_CORE_VERSION =
      new LibraryVersions("io/sebs/junit/platform/aws/versions.properties").of("aws-lambda-java-core");
  /** Lambda's Java runtimes the packaged classes (compiled for Java 17) run on. */
  static final List<String> VERSIONS = List.of("17", "21");
  /** The folder (inside the package folder) that is zipped for a Java function. */
  static final String LAYOUT_DIR = "lambda-zip";

  private LambdaJavaRuntime() {}

  /** The handler string of the language's wrapper. */
  static String handler(Language language) {
    return language == Language.JAVA ? HANDLER : SCRIPT_HANDLER;
  }

  /** Lambda's runtime id for a Java version: {@code java17} by default, {@code java21} on request. */
  static String runtime(String version) {
    String v = version.strip();
    if (v.isEmpty()) {
      return "java17";
    }
    if (!VERSIONS.contains(v)) {
      throw new IllegalArgumentException("Java " + v + " is not a Java version sebs-junit deploys to AWS Lambda:"
          + " the benchmarks compile for Java 17, so use languageVersion " + String.join(" or ", VERSIONS)
          + " (Lambda runtimes java17, java21), or leave it empty for java17");
    }
    return "java" + v;
  }

  /**
   * The package of a Java function with the Lambda library as a provided dependency; other languages'
   * packages unchanged. Throws, naming what is missing, for SeBS modules the Java wrapper does not offer on
   * aws yet.
   */
  static CodePackage complete(CodePackage code, FunctionSpec spec) {
    if (spec.language() != Language.JAVA) {
      return code;
    }
    if (StorageModules.usesNoSql(spec)) {
      throw new UnsupportedOperationException("Java functions using the \"nosql\" module are not supported on the"
          + " aws platform yet: the Java wrappers have no sebs.nosql module (only sebs.storage.Storage); run "
          + spec.benchmark().id() + " in python or nodejs");
    }
    if (StorageModules.usesRedis(spec)) {
      throw new UnsupportedOperationException("The \"redis\" module is not offered on the aws platform (and the"
          + " Java wrappers have no Redis client): run " + spec.benchmark().id() + " on the local platform");
    }
    return code.withProvidedJavaDependencies(Map.of(LAMBDA_CORE, LAMBDA_CORE_VERSION));
  }

  /**
   * Builds the Java function written to {@code packageDir} with Maven and lays it out for Lambda in
   * {@code packageDir/lambda-zip}: the compiled classes (wrapper, function, resources) at the root and the
   * runtime dependency jars under {@code lib/}. Returns that folder.
   */
  static Path layout(Path packageDir) {
    JavaFunctionBuild.compile(packageDir, "for AWS Lambda");
    Path target = packageDir.resolve(LAYOUT_DIR);
    try {
      Command.deleteTree(target);
      copyTree(packageDir.resolve(JavaFunctionBuild.CLASSES), target);
      Path dependencies = packageDir.resolve(JavaFunctionBuild.DEPENDENCIES);
      if (Files.isDirectory(dependencies)) {
        Path lib = Files.createDirectories(target.resolve("lib"));
        try (Stream<Path> jars = Files.list(dependencies)) {
          for (Path jar : (Iterable<Path>) jars.filter(p -> p.toString().endsWith(".jar")).sorted()::iterator) {
            Files.copy(jar, lib.resolve(jar.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot lay out the Lambda package in " + target, e);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        Path copy = to.resolve(from.relativize(file).toString());
        Files.createDirectories(copy.getParent());
        Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
