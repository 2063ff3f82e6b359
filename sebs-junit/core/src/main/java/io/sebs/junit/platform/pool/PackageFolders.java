package io.sebs.junit.platform.pool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.benchmark.CodePackage;
import io.sebs.junit.benchmark.JavaFunctionBuild;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.process.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Package folders for platforms whose instances run a function from a folder (local processes, docker
 * containers with the folder mounted): built once per code hash in the cache, and the command lines their
 * runtimes share.
 */
public final class PackageFolders {

  private static final Logger LOG = Logger.getLogger(PackageFolders.class.getName());

  /** Written last into a complete package folder, holding its code hash. */
  public static final String READY_MARKER = ".sebs-ready";
  /** Where a Java package's classes and runtime dependencies are (see {@link JavaFunctionBuild}). */
  public static final String JAVA_CLASSES = JavaFunctionBuild.CLASSES;
  public static final String JAVA_DEPENDENCIES = JavaFunctionBuild.DEPENDENCIES;
  /** The main class of the HTTP wrapper for Java. */
  public static final String JAVA_WRAPPER_CLASS = "sebs.wrapper.Handler";

  private PackageFolders() {}

  /** Installs the dependencies of a package folder whose files are written. */
  @FunctionalInterface
  public interface DependencyInstaller {
    void install(Path packageDir) throws IOException;
  }

  /** A package folder with its dependencies installed; {@code reused} when an earlier build made it. */
  public record ReadyFolder(Path directory, boolean reused, Duration buildTime) {}

  /**
   * The folder {@code root/<functionName>-<hash prefix>} holding the code and its dependencies, built once
   * per code hash: the files are written and {@code installer} runs only when no earlier build (of this
   * or another JVM; a file lock serialises them) completed it.
   */
  public static ReadyFolder readyFolder(Path root, String functionName, CodePackage code,
      DependencyInstaller installer) {
    Path dir = root.resolve(functionName + "-" + code.codeHash().substring(0, 16));
    long start = System.nanoTime();
    try {
      Files.createDirectories(root);
      try (FileChannel channel = FileChannel.open(root.resolve(dir.getFileName() + ".lock"),
              StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        boolean reused = Files.exists(dir.resolve(READY_MARKER));
        if (!reused) {
          Command.deleteTree(dir);
          code.writeTo(dir);
          installer.install(dir);
          Files.writeString(dir.resolve(READY_MARKER), code.codeHash(), StandardCharsets.UTF_8);
        }
        return new ReadyFolder(dir, reused, Duration.ofNanos(System.nanoTime() - start));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot build the package of " + functionName + " in " + dir, e);
    }
  }

  /**
   * {@code npm install} (production dependencies) in the package's function folder when its package.json
   * lists dependencies, with the npm on PATH; a package npm cannot install is a {@link
   * io.sebs.junit.benchmark.BenchmarkConfigurationException} naming it and its pin in {@code code}'s file.
   */
  public static void installNodeModules(Path dir, CodePackage code) throws IOException {
    Path deps = dir.resolve("function").resolve(Language.NODEJS.dependencyFile());
    if (!Files.isRegularFile(deps)) {
      return;
    }
    JsonNode json = new ObjectMapper().readTree(deps.toFile());
    if (json.path("dependencies").isEmpty()) {
      return;
    }
    if (Command.onPath("npm").isEmpty()) {
      throw new IllegalStateException("npm is not on PATH, needed to install " + deps + ". "
          + Command.installHint("npm"));
    }
    LOG.info(() -> "Installing Node.js dependencies in " + deps.getParent());
    Command.Result npm = Command.of("npm", "install", "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error")
        .in(deps.getParent()).timeout(Duration.ofMinutes(15)).run();
    io.sebs.junit.benchmark.DependencyFailure.check(npm, Language.NODEJS, code, "npm install",
        "npm install in " + deps.getParent());
  }

  /**
   * JVM options and main class of a Java instance: a cold-start-friendly JVM as FaaS Java runtimes run
   * (serial GC, C1 only, the JDK's class-data sharing archive), the heap capped at the function's memory
   * (none when 0), headless AWT, UTF-8; the classes compiled by {@link JavaFunctionBuild#compile} and the
   * dependencies copied beside them (the launcher expands {@code dependency/*}).
   */
  public static List<String> javaArguments(int memoryMb) {
    return javaArguments(memoryMb, JAVA_CLASSES, List.of());
  }

  /**
   * {@link #javaArguments(int)} with the function's classes at {@code classes} (the classes folder or a jar of it)
   * and more JVM options before the class path ({@code options}, e.g. a class-data-sharing archive).
   */
  public static List<String> javaArguments(int memoryMb, String classes, List<String> options) {
    List<String> args = new ArrayList<>();
    if (memoryMb > 0) {
      args.add("-Xmx" + memoryMb + "m");
    }
    // the wrapper's own HTTP server sets TCP_NODELAY and never closes idle keep-alive connections: no options
    args.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:-UsePerfData",
        "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8"));
    args.addAll(options);
    args.addAll(List.of("-cp", classes + java.io.File.pathSeparator + JAVA_DEPENDENCIES + "/*", JAVA_WRAPPER_CLASS));
    return args;
  }
}
