package io.sebs.junit.platform.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.process.Command;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One instance of an unpacked Azure Functions app (see {@link AzurePackage}) served by a local process, for a
 * stand-in that runs deployed functions for real: the Azure Functions host cannot be installed here, so each
 * language gets a host of ours that loads the app as Azure's worker for it does and serves its HTTP functions at
 * {@code http://127.0.0.1:<port>/api/<function>}.
 * <ul>
 *   <li>Python: {@code azure_python_host.py} (standard library only) with a shim of {@code azure.functions}
 *       ({@code python_shim/}), since pip here has no azure-functions; it imports each function folder's
 *       scriptFile as {@code __app__.<folder>} and calls its entryPoint with {@code req} and {@code context}.</li>
 *   <li>Node.js: {@code azure_node_host.js} on the node on PATH, running the app's own {@code @azure/functions}
 *       4.x from its node_modules (the real library, as packaged) through a stand-in of the module the real
 *       worker provides to it, {@code @azure/functions-core}; {@code azure_durable_extension.js} beside it stands
 *       in for the Durable Functions extension (orchestrations, activities, sub-orchestrations and the durable
 *       client of the durable-functions 3.x SDK, in memory).</li>
 *   <li>Java: {@link AzureJavaHostMain} in a JVM of its own, with Azure's Java library (from this test class
 *       path) shared with the function's class loader of {@code function.jar} and {@code lib/*.jar}.</li>
 * </ul>
 * Every host takes the invocation id the front end chose from the header {@value #INVOCATION_HEADER} (the
 * function sees it as its context's invocation id), answers with the function's status, headers and body, and
 * answers 500 with the error when the function throws. The process runs with this JVM's environment beneath
 * {@code FUNCTIONS_WORKER_RUNTIME}, {@code AzureWebJobsScriptRoot} and the given environment (the app settings);
 * it writes what it prints to {@code <workDir>/logs}. {@link #remoteBuild} is the step between unpacking and the
 * first start that Azure's remote build takes for Python apps.
 *
 * <p>Each host runs one HTTP invocation at a time: the stand-in scales by starting more hosts (instances), not by
 * concurrency within one. The Node.js host's orchestrator and activity invocations are the exception: they run
 * beside that queue, activities concurrently, as the Durable extension dispatches them.
 */
final class AzureFunctionHost implements AutoCloseable {

  /** The request header that carries the invocation id to the host. */
  static final String INVOCATION_HEADER = "x-sebs-invocation-id";
  /** How long a host may take to listen: a JVM with a function's class path is the slowest. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] SCRIPTS = {"azure_python_host.py", "azure_node_host.js",
      "azure_durable_extension.js", "python_shim/azure/__init__.py", "python_shim/azure/functions/__init__.py"};
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private final Process process;
  private final int port;
  private final Path log;

  private AzureFunctionHost(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts one process serving the app in {@code appRoot} on a free loopback port and returns once the port
   * accepts connections.
   *
   * @param environment the app settings the functions see as environment variables
   * @param workDir where the host scripts and logs go (created if needed)
   * @throws IllegalStateException when the process exits first or is not listening within {@link #START_TIMEOUT},
   *     with the end of what it printed
   */
  static AzureFunctionHost start(Path appRoot, Language language, Map<String, String> environment, Path workDir)
      throws IOException {
    Path app = appRoot.toAbsolutePath();
    Path work = workDir.toAbsolutePath();
    Path scripts = scripts(work);
    int port = freePort();
    List<String> command = switch (language) {
      case PYTHON -> List.of("python3", scripts.resolve("azure_python_host.py").toString(), "--app", app.toString(),
          "--port", Integer.toString(port));
      case NODEJS -> List.of("node", scripts.resolve("azure_node_host.js").toString(), "--app", app.toString(),
          "--port", Integer.toString(port));
      case JAVA -> javaCommand(app, port);
    };
    Files.createDirectories(work.resolve("logs"));
    Path log = work.resolve("logs").resolve(app.getFileName() + "-" + language.id() + "-" + port + "-"
        + SEQUENCE.incrementAndGet() + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(app.toFile())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("FUNCTIONS_WORKER_RUNTIME", language == Language.NODEJS ? "node" : language.id());
    builder.environment().put("AzureWebJobsScriptRoot", app.toString());
    builder.environment().putAll(environment);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IOException("Cannot start the " + language.id() + " host (" + command.get(0) + "): "
          + e.getMessage() + ". " + Command.installHint(command.get(0)), e);
    }
    process.getOutputStream().close();
    AzureFunctionHost host = new AzureFunctionHost(process, port, log);
    try {
      host.awaitListening(START_TIMEOUT);
    } catch (RuntimeException e) {
      host.close();
      throw e;
    }
    return host;
  }

  /**
   * What the Flex Consumption plan's remote build does to an unpacked app before its first start. Python: the
   * requirements.txt lines, less azure-functions (the host's shim stands in for it; pip here cannot install it),
   * installed with pip as configured on this machine into {@code .python_packages/lib/site-packages}, where the
   * Python worker finds them; nothing when no other line remains. Node.js and Java: nothing, their packages hold
   * their dependencies. A failing pip fails the build with what it printed.
   */
  static void remoteBuild(Path appRoot, Language language) throws IOException {
    if (language != Language.PYTHON) {
      return;
    }
    Path requirements = appRoot.resolve("requirements.txt");
    if (!Files.isRegularFile(requirements)) {
      return;
    }
    List<String> wanted = Files.readAllLines(requirements, StandardCharsets.UTF_8).stream()
        .map(line -> line.replaceAll("#.*", "").strip()).filter(line -> !line.isEmpty())
        .filter(line -> !line.split("[<>=!~;\\[ ]", 2)[0].toLowerCase(Locale.ROOT).replace('_', '-')
            .equals(AzurePackage.AZURE_FUNCTIONS_PYTHON))
        .toList();
    if (wanted.isEmpty()) {
      return;
    }
    Path filtered = appRoot.resolve(".python_packages").resolve("requirements.sebs.txt");
    Files.createDirectories(filtered.getParent());
    Files.write(filtered, wanted, StandardCharsets.UTF_8);
    Command.of("python3", "-m", "pip", "install", "--no-input", "--disable-pip-version-check", "-r",
            filtered.toString(), "--target", appRoot.resolve(".python_packages/lib/site-packages").toString())
        .in(appRoot).timeout(Duration.ofMinutes(10)).run()
        .orThrow("pip install of " + requirements + " (the stand-in's remote build)");
  }

  /** The loopback port the app is served on. */
  int port() {
    return port;
  }

  /** Whether the process still runs. */
  boolean alive() {
    return process.isAlive();
  }

  /** The file that holds what the process printed. */
  Path log() {
    return log;
  }

  /** "its log (path) ends with:" and the last 40 lines, for messages. */
  String logTail() {
    try {
      String[] lines = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8).strip().split("\n")
          : new String[0];
      int from = Math.max(0, lines.length - 40);
      return "its log (" + log + ") ends with:\n" + String.join("\n", List.of(lines).subList(from, lines.length));
    } catch (IOException e) {
      return "its log (" + log + ") is unreadable: " + e.getMessage();
    }
  }

  /** Ends the process and every process it started. */
  @Override
  public void close() {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private void awaitListening(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("The function host exited with code " + process.exitValue()
            + " before listening on port " + port + "; " + logTail());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 250);
        return;
      } catch (IOException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("The function host is not listening on port " + port + " after "
            + timeout.toSeconds() + " s; " + logTail());
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for the function host on port " + port, e);
      }
    }
  }

  /** The Java worker's command: the function's values from its function.json, Azure's library from this class path. */
  private static List<String> javaCommand(Path app, int port) throws IOException {
    Path functionJson = app.resolve(AzurePackage.FUNCTION_NAME).resolve("function.json");
    if (!Files.isRegularFile(functionJson)) {
      throw new IllegalArgumentException("The Java app in " + app + " has no " + AzurePackage.FUNCTION_NAME
          + "/function.json: the Java worker finds the function's jar and entry point there");
    }
    JsonNode function = JSON.readTree(functionJson.toFile());
    String script = function.path("scriptFile").asText("");
    String entry = function.path("entryPoint").asText("");
    if (script.isEmpty() || entry.isEmpty()) {
      throw new IllegalArgumentException(functionJson + " lacks scriptFile or entryPoint");
    }
    List<String> methods = new ArrayList<>();
    for (JsonNode binding : function.path("bindings")) {
      if (binding.path("type").asText().equalsIgnoreCase("httpTrigger")) {
        binding.path("methods").forEach(m -> methods.add(m.asText().toUpperCase(Locale.ROOT)));
      }
    }
    String classPath = String.join(File.pathSeparator, location(AzureJavaHostMain.class),
        location(com.microsoft.azure.functions.ExecutionContext.class),
        location(com.microsoft.azure.functions.annotation.FunctionName.class));
    return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-cp", classPath, AzureJavaHostMain.class.getName(), "--app", app.toString(),
        "--port", Integer.toString(port), "--function", AzurePackage.FUNCTION_NAME,
        "--script", functionJson.getParent().resolve(script).normalize().toString(), "--entry", entry,
        "--methods", methods.isEmpty() ? "GET,POST" : String.join(",", methods));
  }

  private static String location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("Cannot tell where " + type.getName() + " was loaded from: the Java host"
          + " needs it on its class path (is com.microsoft.azure.functions:azure-functions-java-library a test"
          + " dependency?)", e);
    }
  }

  /** The host scripts, copied from the test resources into {@code <workDir>/hosts}. */
  private static Path scripts(Path workDir) throws IOException {
    Path dir = workDir.resolve("hosts");
    for (String script : SCRIPTS) {
      Path target = dir.resolve(script);
      Files.createDirectories(target.getParent());
      try (InputStream in = AzureFunctionHost.class.getResourceAsStream(script)) {
        if (in == null) {
          throw new IllegalStateException(script + " is missing from the test resources next to "
              + AzureFunctionHost.class.getName());
        }
        Files.write(target, in.readAllBytes());
      }
    }
    return dir;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free loopback port", e);
    }
  }

  @Override
  public String toString() {
    return "AzureFunctionHost[pid " + process.pid() + ", 127.0.0.1:" + port + "]";
  }
}
