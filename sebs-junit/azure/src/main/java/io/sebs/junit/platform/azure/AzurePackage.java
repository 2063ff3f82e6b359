package io.sebs.junit.platform.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.benchmark.CodePackage;
import io.sebs.junit.benchmark.JavaFunctionBuild;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.benchmark.LibraryVersions;
import io.sebs.junit.process.Command;
import io.sebs.junit.storage.StorageModules;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The deployment package of a function app on the Flex Consumption plan: one app serving one function, {@value
 * #FUNCTION_NAME}, an HTTP trigger at {@value #ROUTE} (POST, authLevel function). The zip is the app root:
 * <ul>
 *   <li>every language: {@code host.json} (schema 2.0; request telemetry kept whole by Application Insights'
 *       sampling, since the platform reads provider times from it) and the benchmark's code under
 *       {@code function/};</li>
 *   <li>Python (v1 programming model): {@code handler/function.json} and {@code handler/__init__.py} (the
 *       wrapper, {@code main(req, context)}) and {@code requirements.txt}, the benchmark's requirements plus
 *       {@value #AZURE_FUNCTIONS_PYTHON}. Nothing is installed here: the Flex Consumption plan's remote build
 *       installs the requirements for Linux when the package is deployed with remote build on (pip here could
 *       not install {@value #AZURE_FUNCTIONS_PYTHON} in any case);</li>
 *   <li>Node.js (v4 programming model): {@code handler.js} (the wrapper, registering the function with
 *       {@code app.http}) and {@code package.json} whose {@code main} it is, with the benchmark's dependencies and
 *       {@value #AZURE_FUNCTIONS_NODE} {@value #AZURE_FUNCTIONS_NODE_VERSION}, installed here into
 *       {@code node_modules} with {@code npm install --omit=dev}: the package runs as deployed, with no build on
 *       Azure's side to depend on (remote build is what Microsoft documents for Python; a Node.js package is
 *       expected ready to run), and a stand-in runs exactly what would be deployed;</li>
 *   <li>Java: {@code handler/function.json} ({@code scriptFile ../function.jar}, {@code entryPoint
 *       sebs.wrapper.AzureHandler.run}), {@value #JAR} (wrapper and benchmark classes, compiled here with Maven by
 *       {@link JavaFunctionBuild} against {@value #AZURE_FUNCTIONS_JAVA_LIBRARY}, which the Java worker
 *       provides and is not packaged) and {@code lib/} with the runtime dependencies' jars, where the Java worker
 *       loads them from.</li>
 * </ul>
 * Node.js and Java packages are built once per code hash in {@code <cacheDir>/azure/packages}. The zip is
 * deterministic (entries sorted, times fixed at 1980-01-01), so equal code gives an equal {@link #sha256()}, the
 * label by which an unchanged deployment is recognised (for Node.js, within one cache: npm resolves the version
 * ranges when the cache entry is made).
 *
 * <p>Function-side modules (storage clients) are not part of this class: their files come with the wrapper and
 * their dependencies through {@link #code}'s {@code moduleDependencies}.
 *
 * @param zip the package
 * @param sha256 hex SHA-256 of the zip
 * @param size the zip's length in bytes
 */
public record AzurePackage(byte[] zip, String sha256, long size) {

  /** The function's name in the app; its URL is {@code https://<app>.azurewebsites.net/}{@value #ROUTE}. */
  public static final String FUNCTION_NAME = "handler";
  /** The function's route below the app's root. */
  public static final String ROUTE = "api/" + FUNCTION_NAME;
  /** The Java function's jar at the app root. */
  static final String JAR = "function.jar";
  /** The folder of dependency jars at the app root that Azure's Java worker puts on the function's class path. */
  static final String LIB = "lib";
  static final String AZURE_FUNCTIONS_PYTHON = "azure-functions";
  static final String AZURE_FUNCTIONS_NODE = "@azure/functions";
  static final String AZURE_FUNCTIONS_NODE_VERSION = "^4";
  /** Azure's Java function types: provided by the Java worker, compiled against. */
  static final String AZURE_FUNCTIONS_JAVA_LIBRARY = "com.microsoft.azure.functions:azure-functions-java-library";
  static final String AZURE_FUNCTIONS_JAVA_LIBRARY_VERSION =
      new LibraryVersions("io/sebs/junit/platform/azure/versions.properties").of("azure-functions-java-library");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long FIXED_TIME = 315532800000L; // 1980-01-01, the zip format's epoch
  private static final Duration NPM_TIMEOUT = Duration.ofMinutes(10);
  /** Marks a cache entry whose build finished. */
  private static final String READY = ".sebs-ready";

  public AzurePackage {
    zip = zip.clone();
  }

  /**
   * The code of a function for Azure: the Azure wrapper's files at the root, the benchmark's language folder
   * under {@code function/}, the dependency file chosen for the runtime (SeBS's per-version pins), and the
   * dependencies of the function-side modules the benchmark uses ({@code moduleDependencies}: the hook through
   * which the storage modules add their clients; {@code Map.of()} for none). Java code also gets jackson-databind
   * (the wrapper's) and {@value #AZURE_FUNCTIONS_JAVA_LIBRARY} as a provided dependency.
   *
   * @param wrapper the Azure wrapper's files for the language (e.g. {@code WrapperSource.files("azure", language)}),
   *     with any function-side module the benchmark does not use already left out
   */
  public static CodePackage code(Map<String, byte[]> wrapper, Path codeDirectory, FlexRuntime runtime,
      Map<String, String> moduleDependencies) {
    Language language = runtime.language();
    CodePackage code = CodePackage.assemble(wrapper, codeDirectory)
        .forRuntime(language, runtime.sebsVersion(), "x86_64")
        .withDependencies(language, moduleDependencies);
    if (language == Language.JAVA) {
      code = code.withDependencies(language, Map.of(StorageModules.JACKSON_DATABIND, StorageModules.JACKSON_VERSION))
          .withProvidedJavaDependencies(Map.of(AZURE_FUNCTIONS_JAVA_LIBRARY, AZURE_FUNCTIONS_JAVA_LIBRARY_VERSION));
    }
    return code;
  }

  /**
   * Builds the package of {@code code} (see {@link #code}) for a function app of {@code language}; Node.js and
   * Java builds are reused from {@code cacheDir} when the code is unchanged.
   *
   * @throws IllegalStateException when npm or Maven fails, with what it printed
   */
  public static AzurePackage build(Path cacheDir, CodePackage code, Language language) {
    return build(cacheDir, code, language, 0);
  }

  /**
   * {@link #build(Path, CodePackage, Language)} with the function timeout in {@code host.json}'s {@code
   * functionTimeout} (the host stops an invocation that runs longer); 0 leaves the plan's default (30 minutes on
   * Flex Consumption).
   */
  public static AzurePackage build(Path cacheDir, CodePackage code, Language language, int timeoutSeconds) {
    try {
      Map<String, byte[]> files = switch (language) {
        case PYTHON -> pythonLayout(code);
        case NODEJS -> nodeLayout(cacheDir, code);
        case JAVA -> javaLayout(cacheDir, code);
      };
      files.put("host.json", hostJson(timeoutSeconds));
      byte[] zip = zip(files);
      return new AzurePackage(zip, sha256(zip), zip.length);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot build the Azure Functions package of " + language.id() + " code "
          + code.codeHash().substring(0, 16), e);
    }
  }

  /** The orchestrator app's Durable Functions library for Node.js (the one the stand-in's tests run). */
  static final String DURABLE_FUNCTIONS_NODE = "durable-functions";
  static final String DURABLE_FUNCTIONS_NODE_VERSION = "3.5.0";
  /** The orchestrator app's code, beside its package.json and definition.json. */
  static final String WORKFLOW_SCRIPT = "sebs_workflow.js";
  /** The extension bundle that brings the Durable extension to non-.NET apps (Functions host 4.x). */
  static final String EXTENSION_BUNDLE = "Microsoft.Azure.Functions.ExtensionBundle";
  static final String EXTENSION_BUNDLE_VERSION = "[4.*, 5.0.0)";
  /** Activities one orchestrator instance runs at once: they only wait on the workflow's function apps. */
  static final int MAX_CONCURRENT_ACTIVITIES = 200;

  /**
   * The orchestrator app of a SeBS-Flow workflow on Durable Functions (Node.js, v4 programming model): {@value
   * #WORKFLOW_SCRIPT} (an HTTP starter, the orchestrator interpreting the definition and the activity that calls
   * the workflow's functions; see its header), {@code definition.json} as given, package.json with {@value
   * #AZURE_FUNCTIONS_NODE} and {@value #DURABLE_FUNCTIONS_NODE} {@value #DURABLE_FUNCTIONS_NODE_VERSION} installed
   * into node_modules (once per cache), and a host.json with the extension bundle, the app's own task hub
   * ({@code hubName}: apps sharing a storage account must not share a hub), {@value #MAX_CONCURRENT_ACTIVITIES}
   * concurrent activities per instance and the task hub's queues polled at most 1 s apart.
   */
  public static AzurePackage workflow(Path cacheDir, byte[] definitionJson, String hubName, int timeoutSeconds) {
    if (!hubName.matches("[A-Za-z][A-Za-z0-9]{2,44}")) {
      throw new IllegalArgumentException("A Durable Functions task hub name is 3-45 letters and digits, a letter"
          + " first: " + hubName);
    }
    try {
      byte[] script;
      try (var in = AzurePackage.class.getResourceAsStream("workflow/" + WORKFLOW_SCRIPT)) {
        if (in == null) {
          throw new IllegalStateException("The orchestrator app's script workflow/" + WORKFLOW_SCRIPT
              + " is missing from sebs-junit-azure's resources");
        }
        script = in.readAllBytes();
      }
      ObjectNode packageJson = JSON.createObjectNode();
      packageJson.put("name", "sebs-azure-workflow");
      packageJson.put("version", "1.0.0");
      packageJson.put("private", true);
      packageJson.put("main", WORKFLOW_SCRIPT);
      ObjectNode dependencies = packageJson.putObject("dependencies");
      dependencies.put(AZURE_FUNCTIONS_NODE, AZURE_FUNCTIONS_NODE_VERSION);
      dependencies.put(DURABLE_FUNCTIONS_NODE, DURABLE_FUNCTIONS_NODE_VERSION);
      byte[] packageBytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(packageJson);
      String key = sha256(packageBytes);
      Path dir = cached(cacheDir, "workflow-" + key.substring(0, 16), key, target -> {
        Files.createDirectories(target);
        Files.write(target.resolve("package.json"), packageBytes);
        npmInstall(target);
      });
      Map<String, byte[]> files = new TreeMap<>();
      try (Stream<Path> walk = Files.walk(dir.resolve("node_modules"))) {
        for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
          String name = dir.relativize(file).toString().replace('\\', '/');
          if (!name.startsWith("node_modules/.bin/") && !name.equals("node_modules/.package-lock.json")) {
            files.put(name, Files.readAllBytes(file));
          }
        }
      }
      files.put("package.json", packageBytes);
      files.put(WORKFLOW_SCRIPT, script);
      files.put("definition.json", definitionJson.clone());
      ObjectNode host = (ObjectNode) JSON.readTree(hostJson(timeoutSeconds));
      ObjectNode bundle = host.putObject("extensionBundle");
      bundle.put("id", EXTENSION_BUNDLE);
      bundle.put("version", EXTENSION_BUNDLE_VERSION);
      ObjectNode durable = host.putObject("extensions").putObject("durableTask");
      durable.put("hubName", hubName);
      // activities only wait on HTTP: a fan-out is not to queue behind the default of 10 per CPU
      durable.put("maxConcurrentActivityFunctions", MAX_CONCURRENT_ACTIVITIES);
      // the task hub's queues are polled at most a second apart, not up to 30 s after an idle spell
      durable.putObject("storageProvider").put("maxQueuePollingInterval", "00:00:01");
      files.put("host.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(host));
      byte[] zip = zip(files);
      return new AzurePackage(zip, sha256(zip), zip.length);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot build the orchestrator app's package", e);
    }
  }

  /** A package read back from its zip (e.g. what a stand-in received as a deployment), to look into or unpack. */
  public static AzurePackage of(byte[] zip) {
    return new AzurePackage(zip, sha256(zip), zip.length);
  }

  @Override
  public byte[] zip() {
    return zip.clone();
  }

  /** The files of the zip, path to content (for tests and for unpacking in a stand-in). */
  public Map<String, byte[]> files() {
    Map<String, byte[]> files = new TreeMap<>();
    try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        files.put(entry.getName(), in.readAllBytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the package's zip", e);
    }
    return files;
  }

  /** Writes the package's files into {@code appRoot} (created if needed), as the platform unpacks it. */
  public void unpackTo(Path appRoot) {
    try {
      for (Map.Entry<String, byte[]> file : files().entrySet()) {
        Path target = appRoot.resolve(file.getKey()).normalize();
        if (!target.startsWith(appRoot.normalize())) {
          throw new IllegalStateException("The package's entry " + file.getKey() + " leaves the app root");
        }
        Files.createDirectories(target.getParent());
        Files.write(target, file.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot unpack the Azure Functions package into " + appRoot, e);
    }
  }

  /**
   * host.json: the Functions host 2.0+ schema; Application Insights samples no requests away (each invocation's
   * request telemetry is what the platform reads provider times from).
   */
  static byte[] hostJson() throws IOException {
    return hostJson(0);
  }

  static byte[] hostJson(int timeoutSeconds) throws IOException {
    ObjectNode host = JSON.createObjectNode();
    host.put("version", "2.0");
    if (timeoutSeconds > 0) {
      host.put("functionTimeout", String.format("%02d:%02d:%02d", timeoutSeconds / 3600, timeoutSeconds / 60 % 60,
          timeoutSeconds % 60));
    }
    ObjectNode sampling = host.putObject("logging").putObject("applicationInsights").putObject("samplingSettings");
    sampling.put("isEnabled", true);
    sampling.put("excludedTypes", "Request");
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(host);
  }

  private static Map<String, byte[]> pythonLayout(CodePackage code) {
    Map<String, byte[]> files = new TreeMap<>(code.files());
    byte[] requirements = files.get("function/" + Language.PYTHON.dependencyFile());
    String text = requirements == null ? "" : new String(requirements, StandardCharsets.UTF_8);
    boolean listed = text.lines().map(l -> l.replaceAll("#.*", "").strip().toLowerCase(Locale.ROOT))
        .anyMatch(l -> l.split("[<>=!~;\\[ ]", 2)[0].replace('_', '-').equals(AZURE_FUNCTIONS_PYTHON));
    if (!listed) {
      text = text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + AZURE_FUNCTIONS_PYTHON + "\n";
    }
    files.put("requirements.txt", text.getBytes(StandardCharsets.UTF_8));
    return files;
  }

  /** The app's package.json: the wrapper as main, the benchmark's dependencies and the Azure Functions library. */
  static byte[] packageJson(CodePackage code) throws IOException {
    ObjectNode packageJson = JSON.createObjectNode();
    packageJson.put("name", "sebs-azure-function");
    packageJson.put("version", "1.0.0");
    packageJson.put("private", true);
    packageJson.put("main", "handler.js");
    ObjectNode dependencies = packageJson.putObject("dependencies");
    byte[] benchmark = code.files().get("function/" + Language.NODEJS.dependencyFile());
    if (benchmark != null) {
      JsonNode declared = JSON.readTree(benchmark).path("dependencies");
      declared.fields().forEachRemaining(e -> dependencies.set(e.getKey(), e.getValue()));
    }
    if (!dependencies.has(AZURE_FUNCTIONS_NODE)) {
      dependencies.put(AZURE_FUNCTIONS_NODE, AZURE_FUNCTIONS_NODE_VERSION);
    }
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(packageJson);
  }

  /** The code with package.json at the root, node_modules installed once per code hash. */
  private static Map<String, byte[]> nodeLayout(Path cacheDir, CodePackage code) throws IOException {
    Path dir = cached(cacheDir, "nodejs", code, target -> {
      code.writeTo(target);
      Files.write(target.resolve("package.json"), packageJson(code));
      npmInstall(target);
    });
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
        String name = dir.relativize(file).toString().replace('\\', '/');
        // npm's own records and the links to packages' executables are not needed to run the app
        if (name.equals(READY) || name.startsWith("node_modules/.bin/") || name.equals("node_modules/.package-lock.json")) {
          continue;
        }
        files.put(name, Files.readAllBytes(file));
      }
    }
    return files;
  }

  private static void npmInstall(Path target) {
    if (Command.onPath("npm").isEmpty()) {
      throw new IllegalStateException("npm is not on PATH, so the Node.js app's dependencies cannot be installed"
          + " into its Azure Functions package. " + Command.installHint("npm"));
    }
    String os = System.getProperty("os.name", "") + "/" + System.getProperty("os.arch", "");
    if (!os.toLowerCase(java.util.Locale.ROOT).matches("linux/(amd64|x86_64)")) {
      java.util.logging.Logger.getLogger(AzurePackage.class.getName()).warning(() -> "Installing the Node.js"
          + " app's dependencies on " + os + ": Flex Consumption runs Linux x64, so packages with native"
          + " code built here will not load there");
    }
    Command.of("npm", "install", "--omit=dev", "--no-audit", "--no-fund", "--no-package-lock")
        .in(target).timeout(NPM_TIMEOUT).run()
        .orThrow("npm install of the Azure Functions package's dependencies in " + target);
  }

  /** Wrapper and benchmark compiled once per code hash; function.jar, lib/ and the wrapper's root files. */
  private static Map<String, byte[]> javaLayout(Path cacheDir, CodePackage code) throws IOException {
    Path dir = cached(cacheDir, "java", code, target -> {
      code.writeTo(target);
      JavaFunctionBuild.compile(target, "for Azure Functions");
    });
    Map<String, byte[]> files = new TreeMap<>();
    code.files().forEach((path, content) -> {
      if (!path.startsWith("function/")) {
        files.put(path, content);
      }
    });
    Path dependencies = dir.resolve(JavaFunctionBuild.DEPENDENCIES);
    if (Files.isDirectory(dependencies)) {
      try (Stream<Path> jars = Files.list(dependencies)) {
        for (Path jar : (Iterable<Path>) jars.filter(p -> p.toString().endsWith(".jar")).sorted()::iterator) {
          files.put(LIB + "/" + jar.getFileName(), Files.readAllBytes(jar));
        }
      }
    }
    files.put(JAR, jar(dir.resolve(JavaFunctionBuild.CLASSES)));
    return files;
  }

  private interface Build {
    void into(Path dir) throws IOException;
  }

  /** {@code <cacheDir>/azure/packages/<language>-<code hash>}, built by {@code build} unless it is ready. */
  private static Path cached(Path cacheDir, String language, CodePackage code, Build build) throws IOException {
    return cached(cacheDir, language + "-" + code.codeHash().substring(0, 16), code.codeHash(), build);
  }

  private static Path cached(Path cacheDir, String folder, String hash, Build build) throws IOException {
    Path root = cacheDir.resolve("azure").resolve("packages");
    Path dir = root.resolve(folder);
    Files.createDirectories(root);
    try (FileChannel channel = FileChannel.open(root.resolve(dir.getFileName() + ".lock"), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        FileLock ignored = channel.lock()) {
      if (!Files.exists(dir.resolve(READY))) {
        Command.deleteTree(dir);
        build.into(dir);
        Files.writeString(dir.resolve(READY), hash);
      }
    }
    return dir;
  }

  /** A jar of the classes folder with fixed timestamps. */
  private static byte[] jar(Path classes) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(classes)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(out)) {
      JarEntry m = new JarEntry("META-INF/MANIFEST.MF");
      m.setTime(FIXED_TIME);
      jar.putNextEntry(m);
      manifest.write(jar);
      jar.closeEntry();
      for (Path file : files) {
        String name = classes.relativize(file).toString().replace('\\', '/');
        if (name.equals("META-INF/MANIFEST.MF")) {
          continue;
        }
        JarEntry entry = new JarEntry(name);
        entry.setTime(FIXED_TIME);
        jar.putNextEntry(entry);
        Files.copy(file, jar);
        jar.closeEntry();
      }
    }
    return out.toByteArray();
  }

  /** Entries sorted, timestamps fixed: equal files give equal bytes. */
  static byte[] zip(Map<String, byte[]> files) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> file : new TreeMap<>(files).entrySet()) {
        ZipEntry entry = new ZipEntry(file.getKey());
        entry.setTime(FIXED_TIME);
        zip.putNextEntry(entry);
        zip.write(file.getValue());
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AzurePackage p && sha256.equals(p.sha256);
  }

  @Override
  public int hashCode() {
    return sha256.hashCode();
  }

  @Override
  public String toString() {
    return "AzurePackage[" + size + " bytes, sha256 " + sha256 + "]";
  }
}
