package io.sebs.junit.platform.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.process.Command;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs uploaded Cloud Functions (2nd gen) the way Google's runtimes do, for the stand-in: {@link #build} is what
 * Cloud Build does to the unzipped upload before the first start, {@link #start} one instance (a process of its
 * own serving HTTP on 127.0.0.1:port, the stand-in's Cloud Run). Each runtime is Google's own framework where
 * it can be had here, so the wrappers meet the request objects and loading rules they meet on Google:
 * <ul>
 *   <li>Node.js: the Functions Framework from npm ({@value #NODE_FUNCTIONS_FRAMEWORK}), installed once into
 *       {@code <workDir>/node-ff}; it loads {@code --source} as a module (package.json's "main"), so the
 *       function's own {@code node_modules} in the source dir resolve as usual and the framework's do not leak
 *       in.</li>
 *   <li>Java: Google's invoker (java-function-invoker, from the test classpath) with {@code --classpath} = the
 *       upload's jars; it shares only the com.google.cloud.functions API with the function's class loader.</li>
 *   <li>Python: {@code python_host.py}, a small Functions-Framework-compatible host of ours (the real framework
 *       needs Flask and gunicorn installed), which imports main.py with {@code .packages} (see
 *       {@link #build}) on sys.path.</li>
 * </ul>
 * The runtime id's version picks the interpreter only for Python (python3.12 for python312 when it runs here,
 * else python3); Node.js and Java run on the node on PATH and this JVM. Each process's stdout and stderr go to
 * a log file of its own under {@code <workDir>/logs} ({@link #log}), so a failure can show what it said.
 */
final class FunctionRuntimes implements AutoCloseable {

  /** The npm version of Google's Functions Framework for Node.js that the stand-in runs. */
  static final String NODE_FUNCTIONS_FRAMEWORK = "5.0.5";
  static final String INVOKER_CLASS = "com.google.cloud.functions.invoker.runner.Invoker";
  private static final Pattern RUNTIME = Pattern.compile("(python|nodejs|java)(\\d+)");
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** One npm install of the framework at a time per JVM (stand-ins of parallel tests may share a workDir). */
  private static final Object NODE_FRAMEWORK_LOCK = new Object();
  /** Runtime id -> the Python interpreter that runs it, probed once. */
  private static final Map<String, String> PYTHONS = new ConcurrentHashMap<>();

  private final Path workDir;
  private final Path pythonHost;
  private final Map<Process, Path> logs = new ConcurrentHashMap<>();
  private final AtomicInteger sequence = new AtomicInteger();

  private FunctionRuntimes(Path workDir, Path pythonHost) {
    this.workDir = workDir;
    this.pythonHost = pythonHost;
  }

  /** Runtimes keeping their logs, the Python host and the Node.js framework under {@code workDir}. */
  static FunctionRuntimes create(Path workDir) throws IOException {
    Path dir = workDir.toAbsolutePath();
    Files.createDirectories(dir.resolve("logs"));
    Path host = dir.resolve("python_host.py");
    try (InputStream in = FunctionRuntimes.class.getResourceAsStream("python_host.py")) {
      if (in == null) {
        throw new IllegalStateException("python_host.py is missing from the test resources next to "
            + FunctionRuntimes.class.getName());
      }
      Files.write(host, in.readAllBytes());
    }
    return new FunctionRuntimes(dir, host);
  }

  /**
   * What Cloud Build does to an upload before its first start. Python: the requirements, when
   * requirements.txt lists any, into {@code sourceDir/.packages} with pip as configured on this machine (its
   * indexes). Node.js: {@code npm install --omit=dev} when package.json has dependencies. Java: nothing, the
   * upload holds the jars. A failing tool fails the build with what it printed.
   */
  void build(Path sourceDir, String runtime) {
    switch (language(runtime)) {
      case "python":
        if (hasRequirements(sourceDir.resolve("requirements.txt"))) {
          Command.of(python(runtime), "-m", "pip", "install", "--no-input", "-r", "requirements.txt",
                  "--target", sourceDir.resolve(".packages").toString())
              .in(sourceDir).timeout(BUILD_TIMEOUT).run().orThrow("pip install of " + sourceDir + "/requirements.txt");
        }
        break;
      case "nodejs":
        if (hasDependencies(sourceDir.resolve("package.json"))) {
          Command.of("npm", "install", "--omit=dev", "--no-audit", "--no-fund")
              .in(sourceDir).timeout(BUILD_TIMEOUT).run().orThrow("npm install in " + sourceDir);
        }
        break;
      default: // java: the upload holds the function's jar and its dependencies' jars
        break;
    }
  }

  /**
   * Starts one instance of the function in {@code sourceDir} (built, see {@link #build}) on 127.0.0.1:port
   * (the Java invoker and the Node.js framework bind all interfaces) with the platform's environment {@code env} plus PORT and, unless
   * given, FUNCTION_TARGET and FUNCTION_SIGNATURE_TYPE=http. The process inherits this one's environment (PATH
   * and the like) beneath those. Returns at once: see {@link #waitUntilReady}. The caller ends the process
   * (or {@link #close()} ends all that are left).
   */
  Process start(Path sourceDir, String runtime, String entryPoint, Map<String, String> env, int port)
      throws IOException {
    Path source = sourceDir.toAbsolutePath();
    List<String> command;
    switch (language(runtime)) {
      case "python":
        command = List.of(python(runtime), pythonHost.toString(), "--source", source.toString(),
            "--target", entryPoint, "--port", Integer.toString(port));
        break;
      case "nodejs":
        command = List.of("node", nodeFramework().toString(), "--target=" + entryPoint, "--source=" + source,
            "--port=" + port, "--signature-type=http");
        break;
      default:
        command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
            invokerJar().toString(), "--classpath", functionClasspath(source), "--target", entryPoint,
            "--port", Integer.toString(port));
        break;
    }
    Path log = workDir.resolve("logs").resolve(source.getFileName() + "-" + runtime + "-" + port + "-"
        + sequence.incrementAndGet() + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(source.toFile())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    builder.environment().put("PORT", Integer.toString(port));
    builder.environment().putIfAbsent("FUNCTION_TARGET", entryPoint);
    builder.environment().putIfAbsent("FUNCTION_SIGNATURE_TYPE", "http");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IOException("Cannot start the " + runtime + " runtime (" + command.get(0) + "): " + e.getMessage()
          + ". " + Command.installHint(command.get(0)), e);
    }
    process.getOutputStream().close(); // no runtime reads its stdin
    logs.put(process, log);
    return process;
  }

  /**
   * Returns once the instance accepts connections on {@code port} (the runtimes listen only after loading the
   * function); fails with the end of its log when it exits first or is still not listening after
   * {@code timeout}. The port must have been free: another listener would look like this one.
   */
  void waitUntilReady(Process process, int port, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("The function's process exited with code " + process.exitValue()
            + " before listening on port " + port + "; " + logTail(process));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 250);
        return;
      } catch (IOException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("The function's process is not listening on port " + port + " after "
            + timeout.toMillis() + " ms; " + logTail(process));
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for the function on port " + port, e);
      }
    }
  }

  /** The file that holds what {@code process} (started here) wrote to stdout and stderr. */
  Path log(Process process) {
    Path log = logs.get(process);
    if (log == null) {
      throw new IllegalArgumentException("process " + process.pid() + " was not started by these runtimes");
    }
    return log;
  }

  /** "its log (path) ends with:" and the last 40 lines, for error messages. */
  String logTail(Process process) {
    Path log = log(process);
    try {
      String[] lines = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8).strip().split("\n")
          : new String[0];
      int from = Math.max(0, lines.length - 40);
      return "its log (" + log + ") ends with:\n" + String.join("\n", List.of(lines).subList(from, lines.length));
    } catch (IOException e) {
      return "its log (" + log + ") is unreadable: " + e.getMessage();
    }
  }

  /** Ends the processes started here that still run. */
  @Override
  public void close() {
    for (Process process : logs.keySet()) {
      process.destroy();
    }
    for (Process process : logs.keySet()) {
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  // ------------------------------------------------------------------------------------------ runtimes

  private static String language(String runtime) {
    Matcher m = RUNTIME.matcher(runtime == null ? "" : runtime);
    if (!m.matches()) {
      throw new IllegalArgumentException("Unsupported Cloud Functions runtime '" + runtime
          + "': use a runtime id such as python311, python312, nodejs20, java17 or java21");
    }
    return m.group(1);
  }

  /** python3.X for runtime pythonX when that interpreter runs here (pyenv shims may exist and fail), else python3. */
  private static String python(String runtime) {
    return PYTHONS.computeIfAbsent(runtime, id -> {
      String digits = id.substring("python".length());
      String versioned = "python" + digits.charAt(0) + "." + digits.substring(1);
      try {
        if (Command.onPath(versioned).isPresent()
            && Command.of(versioned, "-c", "pass").timeout(Duration.ofSeconds(20)).run().succeeded()) {
          return versioned;
        }
      } catch (IllegalStateException e) {
        // cannot run it: fall back
      }
      return "python3";
    });
  }

  /** main.js of the Node.js Functions Framework, installed into {@code <workDir>/node-ff} when missing. */
  private Path nodeFramework() throws IOException {
    Path dir = workDir.resolve("node-ff");
    Path main = dir.resolve("node_modules/@google-cloud/functions-framework/build/src/main.js");
    synchronized (NODE_FRAMEWORK_LOCK) {
      if (!Files.isRegularFile(main)) {
        Files.createDirectories(dir);
        // A package.json of its own, or npm would install into the nearest parent folder that has one.
        Files.writeString(dir.resolve("package.json"), "{\"name\": \"sebs-node-ff\", \"private\": true}\n");
        Command.of("npm", "install", "--no-audit", "--no-fund",
                "@google-cloud/functions-framework@" + NODE_FUNCTIONS_FRAMEWORK)
            .in(dir).timeout(BUILD_TIMEOUT).run()
            .orThrow("Installing the Node.js Functions Framework " + NODE_FUNCTIONS_FRAMEWORK + " into " + dir);
        if (!Files.isRegularFile(main)) {
          throw new IllegalStateException("npm installed @google-cloud/functions-framework@" + NODE_FUNCTIONS_FRAMEWORK
              + " into " + dir + " but " + main + " is not there: has the package's layout changed?");
        }
      }
    }
    return main;
  }

  /** The invoker's jar (shaded, runnable with java -jar), from the test classpath. */
  static Path invokerJar() {
    try {
      Class<?> invoker = Class.forName(INVOKER_CLASS, false, FunctionRuntimes.class.getClassLoader());
      Path jar = Path.of(invoker.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) {
        throw new IllegalStateException("Google's Java function invoker was loaded from " + jar
            + ", not from its jar: java -jar needs com.google.cloud.functions.invoker:java-function-invoker's jar");
      }
      return jar;
    } catch (ClassNotFoundException | URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("Google's Java function invoker (" + INVOKER_CLASS + ") is not on the test"
          + " classpath: add com.google.cloud.functions.invoker:java-function-invoker as a test dependency", e);
    }
  }

  /** Every jar of the upload (also in sub-folders such as lib/), in a stable order, ':'-joined. */
  private static String functionClasspath(Path source) throws IOException {
    List<String> jars = new ArrayList<>();
    try (Stream<Path> files = Files.walk(source)) {
      files.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted()
          .forEach(p -> jars.add(p.toString()));
    }
    if (jars.isEmpty()) {
      throw new IllegalArgumentException("The Java upload in " + source + " holds no jar: the Java runtime loads"
          + " the function (sebs.wrapper.GcpHandler) and its dependencies from the upload's jars");
    }
    return String.join(java.io.File.pathSeparator, jars);
  }

  private static boolean hasRequirements(Path requirements) {
    if (!Files.isRegularFile(requirements)) {
      return false;
    }
    try {
      return Files.readAllLines(requirements, StandardCharsets.UTF_8).stream().map(String::strip)
          .anyMatch(line -> !line.isEmpty() && !line.startsWith("#"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean hasDependencies(Path packageJson) {
    if (!Files.isRegularFile(packageJson)) {
      return false;
    }
    try {
      JsonNode dependencies = JSON.readTree(packageJson.toFile()).path("dependencies");
      return dependencies.isObject() && dependencies.size() > 0;
    } catch (IOException e) {
      throw new IllegalStateException("The upload's package.json is not valid JSON: " + packageJson + ": "
          + e.getMessage(), e);
    }
  }
}
