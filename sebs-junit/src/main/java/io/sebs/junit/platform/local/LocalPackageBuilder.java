package io.sebs.junit.platform.local;

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
 * Turns a {@link CodePackage} into a runnable folder in the cache, once per code hash: the files, plus
 * the dependencies installed beside them (a Python virtual environment from requirements.txt;
 * {@code npm install} from package.json; for Java, the function's Maven project compiled together with
 * the wrapper's sources, its runtime dependencies copied beside the classes). An unchanged package is
 * found ready and reused, also by later runs and by other JVMs (a file lock serialises concurrent builds
 * of the same hash).
 */
public final class LocalPackageBuilder {

  private static final Logger LOG = Logger.getLogger(LocalPackageBuilder.class.getName());
  static final String READY_MARKER = ".sebs-ready";

  private final Path root;

  LocalPackageBuilder(Path cacheDir) {
    this.root = cacheDir.resolve("local").resolve("packages");
  }

  /** A ready package folder and the command line that starts one instance of it. */
  record BuiltPackage(Path directory, List<String> command, boolean reused, Duration buildTime) {}

  /** Builds (or finds) the package; a Java instance gets the JVM's default heap limit. */
  BuiltPackage build(String functionName, CodePackage code, Language language, String languageVersion) {
    return build(functionName, code, language, languageVersion, 0);
  }

  /**
   * Builds (or finds) the package and the command that starts an instance. {@code memoryMb} is the
   * function's memory size: a Java instance's heap is capped at it ({@code -Xmx}), as a FaaS Java runtime
   * sizes its heap from the configured memory; 0 leaves the JVM's default. Python and Node.js read it from
   * the environment instead (SEBS_MEMORY_MB).
   */
  BuiltPackage build(String functionName, CodePackage code, Language language, String languageVersion,
      int memoryMb) {
    String interpreter = interpreter(language, languageVersion);
    ReadyFolder folder = readyFolder(root, functionName, code,
        dir -> installDependencies(dir, language, interpreter));
    Path dir = folder.directory();
    List<String> command = new ArrayList<>();
    command.add(runtime(dir, language, interpreter));
    switch (language) {
      case PYTHON -> command.add("handler.py");
      case NODEJS -> command.add("handler.js");
      case JAVA -> command.addAll(javaArguments(memoryMb));
      default -> throw new IllegalStateException("No local runtime for " + language);
    }
    return new BuiltPackage(dir, command, folder.reused(), folder.buildTime());
  }

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
   * or another JVM; a file lock serialises them) completed it. Shared by the platforms that run packages
   * from a folder (local, docker).
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

  private static String interpreter(Language language, String version) {
    String program = switch (language) {
      case PYTHON -> version.isEmpty() ? "python3" : "python" + version;
      case NODEJS -> "node";
      case JAVA -> "java";
    };
    if (Command.onPath(program).isEmpty()) {
      throw new IllegalStateException(program + " is not on PATH, so " + language.id()
          + (version.isEmpty() ? "" : " " + version) + " functions cannot run locally. "
          + (language == Language.JAVA ? JDK_HINT : Command.installHint(program)));
    }
    if (language == Language.JAVA && !version.isEmpty()) {
      String actual = javaVersion();
      String major = actual.startsWith("1.") ? actual.substring(2).split("\\.")[0] : actual.split("[.+-]")[0];
      if (!actual.equals(version) && !major.equals(version) && !actual.startsWith(version + ".")) {
        throw new IllegalStateException("Java " + version + " was requested but java on PATH is " + actual
            + ": remove languageVersion or put a JDK " + version + " first on PATH");
      }
    }
    if (language == Language.NODEJS && !version.isEmpty()) {
      String actual = Command.of("node", "--version").timeout(Duration.ofSeconds(30)).run().stdout().strip();
      if (!actual.equals("v" + version) && !actual.startsWith("v" + version + ".")) {
        throw new IllegalStateException("Node.js " + version + " was requested but node on PATH is " + actual
            + ": remove languageVersion or put node " + version + " first on PATH");
      }
    }
    return program;
  }

  private static String runtime(Path dir, Language language, String interpreter) {
    Path venvPython = dir.resolve(".venv").resolve("bin").resolve("python");
    return language == Language.PYTHON && Files.exists(venvPython) ? venvPython.toString() : interpreter;
  }

  private static void installDependencies(Path dir, Language language, String interpreter) throws IOException {
    Path deps = dir.resolve("function").resolve(language.dependencyFile());
    if (language == Language.JAVA) {
      JavaFunctionBuild.compile(dir, "locally");
      return;
    }
    if (!Files.isRegularFile(deps)) {
      return;
    }
    switch (language) {
      case PYTHON -> {
        boolean hasRequirements = Files.readAllLines(deps).stream()
            .map(String::strip).anyMatch(l -> !l.isEmpty() && !l.startsWith("#"));
        if (!hasRequirements) {
          return;
        }
        LOG.info(() -> "Installing Python dependencies into " + dir.resolve(".venv"));
        Command.of(interpreter, "-m", "venv", dir.resolve(".venv").toString())
            .timeout(Duration.ofMinutes(2)).run()
            .orThrow("Creating a virtual environment with " + interpreter
                + " (Debian/Ubuntu: apt-get install python3-venv)");
        Command.of(dir.resolve(".venv/bin/python").toString(), "-m", "pip", "install", "--quiet",
                "--disable-pip-version-check", "--no-input", "-r", deps.toString())
            .in(dir).timeout(Duration.ofMinutes(15)).run()
            .orThrow("pip install -r " + deps);
      }
      case NODEJS -> installNodeModules(dir);
      default -> throw new IllegalStateException("No dependency installer for " + language);
    }
  }

  /**
   * {@code npm install} (production dependencies) in the package's function folder when its package.json
   * lists dependencies, with the npm on PATH.
   */
  public static void installNodeModules(Path dir) throws IOException {
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
    Command.of("npm", "install", "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error")
        .in(deps.getParent()).timeout(Duration.ofMinutes(15)).run()
        .orThrow("npm install in " + deps.getParent());
  }

  // ------------------------------------------------------------------------------------------------ Java

  static final String JAVA_CLASSES = JavaFunctionBuild.CLASSES;
  static final String JAVA_DEPENDENCIES = JavaFunctionBuild.DEPENDENCIES;
  static final String JAVA_WRAPPER_CLASS = "sebs.wrapper.Handler";
  private static final String JDK_HINT =
      "Install a JDK 17+ (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless) and make sure java is on PATH.";

  /**
   * JVM options and main class of a Java instance: a cold-start-friendly JVM as FaaS Java runtimes run
   * (serial GC, C1 only, the JDK's class-data sharing archive), the heap capped at the function's memory,
   * headless AWT, UTF-8, TCP_NODELAY and long-lived keep-alive for the wrapper's HTTP server; the classes
   * compiled by {@link JavaFunctionBuild#compile} and the dependencies copied beside them (the launcher expands
   * {@code dependency/*}).
   */
  public static List<String> javaArguments(int memoryMb) {
    List<String> args = new ArrayList<>();
    if (memoryMb > 0) {
      args.add("-Xmx" + memoryMb + "m");
    }
    args.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:-UsePerfData",
        "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8",
        // the wrapper's com.sun.net.httpserver: TCP_NODELAY (Nagle's algorithm would hold back each response
        // behind its headers) and idle keep-alive connections kept for a day, so the server never closes one
        // under a client about to reuse it (the platform retires instances long before)
        "-Dsun.net.httpserver.nodelay=true", "-Dsun.net.httpserver.idleInterval=86400",
        "-cp", JAVA_CLASSES + java.io.File.pathSeparator + JAVA_DEPENDENCIES + "/*", JAVA_WRAPPER_CLASS));
    return args;
  }

  private static String javaVersion() {
    Command.Result result = Command.of("java", "-version").timeout(Duration.ofSeconds(30)).run();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("version \"([^\"]+)\"")
        .matcher(result.stderr() + result.stdout());
    return m.find() ? m.group(1) : "unknown";
  }
}
