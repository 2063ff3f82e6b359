package io.sebs.junit.platform.local;

import io.sebs.junit.benchmark.CodePackage;
import io.sebs.junit.benchmark.DependencyFailure;
import io.sebs.junit.benchmark.DependencyFiles;
import io.sebs.junit.benchmark.JavaFunctionBuild;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.platform.pool.PackageFolders;
import io.sebs.junit.platform.pool.PackageFolders.ReadyFolder;
import io.sebs.junit.process.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Turns a {@link CodePackage} into a runnable folder in the cache, once per code hash: the files, plus
 * the dependencies installed beside them (a Python virtual environment from requirements.txt, or the
 * per-interpreter file SeBS would pick, see {@link CodePackage#forRuntime}; {@code npm install} from
 * package.json; a dependency pip or npm cannot install is a {@link
 * io.sebs.junit.benchmark.BenchmarkConfigurationException} naming it; for Java, the function's Maven project compiled together with
 * the wrapper's sources, its runtime dependencies copied beside the classes). An unchanged package is
 * found ready and reused, also by later runs and by other JVMs (a file lock serialises concurrent builds
 * of the same hash).
 */
public final class LocalPackageBuilder {

  private static final Logger LOG = Logger.getLogger(LocalPackageBuilder.class.getName());

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
    return build(functionName, code, language, languageVersion, memoryMb, false);
  }

  /**
   * {@link #build(String, CodePackage, Language, String, int)}; with {@code javaCds}, a Java instance starts from
   * the package's class-data-sharing archive ({@link JavaClassDataSharing}, made on first use).
   */
  BuiltPackage build(String functionName, CodePackage code, Language language, String languageVersion,
      int memoryMb, boolean javaCds) {
    String interpreter = interpreter(language, languageVersion);
    ReadyFolder folder = PackageFolders.readyFolder(root, functionName, code,
        dir -> installDependencies(dir, code, language, interpreter));
    Path dir = folder.directory();
    List<String> command = new ArrayList<>();
    command.add(runtime(dir, language, interpreter));
    switch (language) {
      case PYTHON -> command.add("handler.py");
      case NODEJS -> command.add("handler.js");
      case JAVA -> command.addAll(javaCds
          ? JavaClassDataSharing.arguments(dir, memoryMb, jdkIdentity(), Duration.ofMinutes(2))
          : PackageFolders.javaArguments(memoryMb));
      default -> throw new IllegalStateException("No local runtime for " + language);
    }
    return new BuiltPackage(dir, command, folder.reused(), folder.buildTime());
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
    return language == Language.PYTHON ? pythonExecutable(program) : program;
  }

  private static final java.util.Map<String, String> PYTHON_EXECUTABLES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The interpreter {@code program} on PATH really is ({@code sys.executable}), asked once per JVM. A version
   * manager's shim (pyenv's {@code python3} is a bash script that runs {@code pyenv exec}) would otherwise start
   * with every instance: measured here, it made a bare {@code python3 -c pass} take 0.36-0.44 s instead of 0.05-0.07
   * s, inside every cold start and in no provider's. Falls back to {@code program} when the answer is not an
   * executable file.
   */
  static String pythonExecutable(String program) {
    return PYTHON_EXECUTABLES.computeIfAbsent(program, p -> {
      Command.Result result = Command.of(p, "-c", "import sys; print(sys.executable or '')")
          .timeout(Duration.ofSeconds(30)).run();
      String executable = result.succeeded() ? result.stdout().strip() : "";
      if (!executable.isEmpty() && Files.isExecutable(Path.of(executable))) {
        LOG.fine(() -> p + " on PATH is " + executable + "; instances start it directly");
        return executable;
      }
      return p;
    });
  }

  private static String runtime(Path dir, Language language, String interpreter) {
    Path venvPython = dir.resolve(".venv").resolve("bin").resolve("python");
    return language == Language.PYTHON && Files.exists(venvPython) ? venvPython.toString() : interpreter;
  }

  /**
   * The version of the runtime that runs {@code language} here, as SeBS writes it ("3.11", "20"), which
   * selects per-interpreter dependency files ({@link CodePackage#forRuntime}): the requested one, else the
   * interpreter's own; asked once per interpreter.
   */
  String runtimeVersion(Language language, String languageVersion) {
    if (language == Language.JAVA) {
      return languageVersion;
    }
    if (!languageVersion.isEmpty()) {
      return DependencyFiles.sebsVersion(language, languageVersion);
    }
    return versions.computeIfAbsent(language, l -> {
      String program = interpreter(l, "");
      Command.Result result = (l == Language.PYTHON
          ? Command.of(program, "-c", "import sys; print('%d.%d' % sys.version_info[:2])")
          : Command.of(program, "--version")).timeout(Duration.ofSeconds(30)).run()
          .orThrow("Asking " + program + " for its version");
      return DependencyFiles.sebsVersion(l, result.stdout().strip());
    });
  }

  private final java.util.Map<Language, String> versions = new java.util.concurrent.ConcurrentHashMap<>();

  private static void installDependencies(Path dir, CodePackage code, Language language, String interpreter)
      throws IOException {
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
        Command.Result pip = Command.of(dir.resolve(".venv/bin/python").toString(), "-m", "pip", "install",
                "--quiet", "--disable-pip-version-check", "--no-input", "-r", deps.toString())
            .in(dir).timeout(Duration.ofMinutes(15)).run();
        DependencyFailure.check(pip, language, code, "pip install", "pip install -r " + deps);
      }
      case NODEJS -> PackageFolders.installNodeModules(dir, code);
      default -> throw new IllegalStateException("No dependency installer for " + language);
    }
  }

  // ------------------------------------------------------------------------------------------------ Java

  private static final String JDK_HINT =
      "Install a JDK 17+ (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless) and make sure java is on PATH.";

  private static volatile String javaVersion;
  private static volatile String jdkIdentity;

  /**
   * The java on PATH as a class-data-sharing archive needs it told apart: its version and a hash of the binary's
   * real path, size and time (two JDK builds of one version string get archives of their own); asked once per JVM.
   */
  private static String jdkIdentity() {
    if (jdkIdentity == null) {
      String id = javaVersion();
      try {
        Path binary = Command.onPath("java").orElseThrow().toRealPath();
        String facts = binary + "|" + Files.size(binary) + "|" + Files.getLastModifiedTime(binary).toMillis();
        id += "-" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
            .digest(facts.getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 8);
      } catch (IOException | java.security.NoSuchAlgorithmException | RuntimeException e) {
        // the version alone: a JVM ignores an archive another build made (-Xshare:auto)
      }
      jdkIdentity = id;
    }
    return jdkIdentity;
  }

  /** The version of the java on PATH, asked once per JVM. */
  private static String javaVersion() {
    if (javaVersion == null) {
      javaVersion = askJavaVersion();
    }
    return javaVersion;
  }

  private static String askJavaVersion() {
    Command.Result result = Command.of("java", "-version").timeout(Duration.ofSeconds(30)).run();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("version \"([^\"]+)\"")
        .matcher(result.stderr() + result.stdout());
    return m.find() ? m.group(1) : "unknown";
  }
}
