package io.sebs.junit.platform.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.benchmark.CodePackage;
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
 * {@code npm install} from package.json). An unchanged package is found ready and reused, also by later
 * runs and by other JVMs (a file lock serialises concurrent builds of the same hash).
 */
final class LocalPackageBuilder {

  private static final Logger LOG = Logger.getLogger(LocalPackageBuilder.class.getName());
  static final String READY_MARKER = ".sebs-ready";

  private final Path root;

  LocalPackageBuilder(Path cacheDir) {
    this.root = cacheDir.resolve("local").resolve("packages");
  }

  /** A ready package folder and the command line that starts one instance of it. */
  record BuiltPackage(Path directory, List<String> command, boolean reused, Duration buildTime) {}

  BuiltPackage build(String functionName, CodePackage code, Language language, String languageVersion) {
    String interpreter = interpreter(language, languageVersion);
    Path dir = root.resolve(functionName + "-" + code.codeHash().substring(0, 16));
    long start = System.nanoTime();
    try {
      Files.createDirectories(root);
      try (FileChannel channel = FileChannel.open(root.resolve(dir.getFileName() + ".lock"),
              StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        boolean reused = Files.exists(dir.resolve(READY_MARKER));
        if (!reused) {
          deleteRecursively(dir);
          code.writeTo(dir);
          installDependencies(dir, language, interpreter);
          Files.writeString(dir.resolve(READY_MARKER), code.codeHash(), StandardCharsets.UTF_8);
        }
        List<String> command = new ArrayList<>();
        command.add(runtime(dir, language, interpreter));
        command.add(language == Language.PYTHON ? "handler.py" : "handler.js");
        return new BuiltPackage(dir, command, reused, Duration.ofNanos(System.nanoTime() - start));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot build the local package of " + functionName + " in " + dir, e);
    }
  }

  private static String interpreter(Language language, String version) {
    String program = switch (language) {
      case PYTHON -> version.isEmpty() ? "python3" : "python" + version;
      case NODEJS -> "node";
    };
    if (Command.onPath(program).isEmpty()) {
      throw new IllegalStateException(program + " is not on PATH, so " + language.id()
          + (version.isEmpty() ? "" : " " + version) + " functions cannot run locally. "
          + Command.installHint(program));
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
      case NODEJS -> {
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
      default -> throw new IllegalStateException("No dependency installer for " + language);
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
