package io.sebs.junit.platform.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sebs.junit.benchmark.Language;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * One function app of the stand-in, on a loopback port of its own that serves as both its default host and its
 * SCM host: OneDeploy ({@code POST /api/publish}, then {@code /api/deployments/<id>}) unpacks the zip and checks
 * its layout as the Functions host would read it, and {@code POST /api/<function>} with the function key runs the
 * function in instances started with {@link AzureFunctionHost} (one request per instance, up to the app's
 * maximum instances, 429 beyond). Changing the app settings restarts the app: its instances retire {@link
 * #RESTART_DELAY_MS} later (requests in between may still reach them, as on Azure), and new instances see the
 * new settings. Every answered request is recorded for Application Insights ({@link AppInsightsStandIn}).
 */
final class FunctionAppStandIn implements AutoCloseable {

  /** How long instances keep answering after an app-settings change, before the restart reaches them. */
  static final long RESTART_DELAY_MS = 400;

  private final String name;
  private final String token;
  private final Path workDir;
  private final AppInsightsStandIn insights;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final String key = UUID.randomUUID().toString().replace("-", "");
  private final List<Instance> instances = new ArrayList<>();
  private final Map<String, ObjectNode> deploymentStatus = new LinkedHashMap<>();
  private volatile Map<String, String> settings = Map.of();
  private volatile Language language;
  private volatile int maxInstances = 100;
  private volatile Path appRoot;
  private volatile List<String> functions = List.of();
  /** host.json's functionTimeout in milliseconds; Flex Consumption's default is 30 minutes. */
  private volatile long timeoutMs = 30 * 60_000L;
  private int generation;
  /** Instances of this generation and older are retired (restarted away). */
  private int retiredUpTo = -1;
  private int starting;

  /** A running instance of the app: its host process, and the settings generation it started with. */
  private static final class Instance {
    final AzureFunctionHost host;
    final int generation;
    boolean busy = true;

    Instance(AzureFunctionHost host, int generation) {
      this.host = host;
      this.generation = generation;
    }
  }

  FunctionAppStandIn(String name, String token, Path workDir, AppInsightsStandIn insights) throws IOException {
    this.name = name;
    this.token = token;
    this.workDir = Files.createDirectories(workDir.resolve(name));
    this.insights = insights;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  private volatile String hostDown;
  /** Answers to key requests refused after a deployment, while the host "starts". */
  private final java.util.concurrent.atomic.AtomicInteger keyRefusals = new java.util.concurrent.atomic.AtomicInteger();

  String name() {
    return name;
  }

  /** The host shut down for this reason: every invocation is answered 503. */
  void hostDown(String reason) {
    this.hostDown = reason;
  }

  /** Whether the host is still starting after a deployment (the first key request after one is refused). */
  boolean hostStarting() {
    return keyRefusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
  }

  /** {@code 127.0.0.1:<port>}: the app's default host name and its SCM host name. */
  String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  String key() {
    return key;
  }

  /** Where the deployed package is unpacked (null before the first deployment). */
  Path appRoot() {
    return appRoot;
  }

  List<String> functions() {
    return functions;
  }

  String invokeUrl(String function) {
    return "http://" + host() + "/api/" + function;
  }

  /** The app's configuration from its site resource: runtime, scale, settings (a change restarts the app). */
  synchronized void configure(Language language, int maxInstances, Map<String, String> settings) {
    boolean restart = !settings.equals(this.settings) || this.language != language;
    this.language = language;
    this.maxInstances = maxInstances;
    if (restart) {
      updateSettings(settings);
    }
  }

  synchronized Map<String, String> settings() {
    return settings;
  }

  /** New settings: the running instances retire a moment later and the next ones start with these. */
  synchronized void updateSettings(Map<String, String> newSettings) {
    this.settings = Map.copyOf(newSettings);
    int retiring = generation++;
    executor.execute(() -> {
      AzurePlatform.sleep(RESTART_DELAY_MS);
      retire(retiring);
    });
  }

  private synchronized void retire(int upToGeneration) {
    retiredUpTo = Math.max(retiredUpTo, upToGeneration);
    instances.removeIf(i -> {
      if (i.generation <= upToGeneration && !i.busy) {
        i.host.close();
        return true;
      }
      return false;
    });
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/api/publish")) {
        publish(exchange);
      } else if (path.startsWith("/api/deployments/")) {
        deployment(exchange, path.substring("/api/deployments/".length()));
      } else if (path.startsWith("/api/") && exchange.getRequestMethod().equals("POST")) {
        invoke(exchange, path.substring("/api/".length()));
      } else {
        ArmHttp.send(exchange, 404, "text/plain", "Not Found".getBytes(StandardCharsets.UTF_8));
      }
    } catch (RuntimeException e) {
      ArmHttp.send(exchange, 500, "text/plain", e.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  /** OneDeploy: a zip with a bearer token; answers 202 with the deployment to poll. */
  private void publish(HttpExchange exchange) throws IOException {
    if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      ArmHttp.send(exchange, 401, "text/plain", "Unauthorized".getBytes(StandardCharsets.UTF_8));
      return;
    }
    Map<String, String> query = ArmHttp.query(exchange);
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (!"POST".equals(exchange.getRequestMethod()) || type == null || !type.startsWith("application/zip")
        || !query.containsKey("RemoteBuild") || !query.containsKey("Deployer")) {
      ArmHttp.send(exchange, 400, "text/plain", ("OneDeploy takes POST application/zip with RemoteBuild and"
          + " Deployer, not " + exchange.getRequestMethod() + " " + type + " " + query)
          .getBytes(StandardCharsets.UTF_8));
      return;
    }
    byte[] zip = ArmHttp.body(exchange);
    String id = UUID.randomUUID().toString();
    ObjectNode status = ArmHttp.JSON.createObjectNode().put("id", id).put("deployer", query.get("Deployer"))
        .put("complete", true).put("active", true);
    try {
      Path root = unzip(zip, workDir.resolve(id));
      List<String> found = layout(root, language);
      if (Boolean.parseBoolean(query.get("RemoteBuild"))) {
        AzureFunctionHost.remoteBuild(root, language);
      }
      JsonNode hostJson = ArmHttp.JSON.readTree(root.resolve("host.json").toFile());
      String timeout = hostJson.path("functionTimeout").asText("");
      synchronized (this) {
        appRoot = root;
        functions = found;
        timeoutMs = timeout.isEmpty() ? 30 * 60_000L
            : java.time.Duration.between(java.time.LocalTime.MIDNIGHT, java.time.LocalTime.parse(timeout)).toMillis();
        retiredUpTo = generation++;
        for (Instance i : instances) {
          i.host.close();
        }
        instances.clear();
      }
      keyRefusals.set(1);
      status.put("status", 4).put("status_text", "").put("message", "Deployed " + found);
    } catch (IllegalArgumentException | IllegalStateException e) {
      status.put("status", 3).put("status_text", e.getMessage()).put("message", e.getMessage())
          .put("active", false);
    }
    synchronized (this) {
      deploymentStatus.put(id, status);
      deploymentStatus.put("latest", status);
    }
    exchange.getResponseHeaders().set("Location", "/api/deployments/" + id);
    ArmHttp.send(exchange, 202, "text/plain", new byte[0]);
  }

  private void deployment(HttpExchange exchange, String id) throws IOException {
    if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      ArmHttp.send(exchange, 401, "text/plain", "Unauthorized".getBytes(StandardCharsets.UTF_8));
      return;
    }
    ObjectNode status;
    synchronized (this) {
      status = deploymentStatus.get(id);
    }
    if (status == null) {
      ArmHttp.send(exchange, 404, "text/plain", "No deployment".getBytes(StandardCharsets.UTF_8));
    } else {
      ArmHttp.json(exchange, 200, status);
    }
  }

  private static Path unzip(byte[] zip, Path target) throws IOException {
    Files.createDirectories(target);
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      ZipEntry entry;
      int entries = 0;
      while ((entry = in.getNextEntry()) != null) {
        entries++;
        Path file = target.resolve(entry.getName()).normalize();
        if (!file.startsWith(target)) {
          throw new IllegalArgumentException("Zip entry outside the app: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(file);
        } else {
          Files.createDirectories(file.getParent());
          Files.write(file, in.readAllBytes());
        }
      }
      if (entries == 0) {
        throw new IllegalArgumentException("The package is not a zip, or empty");
      }
    }
    return target;
  }

  /**
   * The functions the host would index: folders with a {@code function.json} holding an HTTP trigger (Python's v1
   * and Java's models), or, for Node.js' v4 model, registrations in code, which only running it reveals (the
   * stand-in reads the {@code app.http} calls of the file its package.json names as main). A package without {@code host.json} is no function app.
   */
  static List<String> layout(Path root, Language language) throws IOException {
    if (!Files.isRegularFile(root.resolve("host.json"))) {
      throw new IllegalArgumentException("No host.json at the root of the package: not a function app");
    }
    JsonNode host = ArmHttp.JSON.readTree(root.resolve("host.json").toFile());
    if (!"2.0".equals(host.path("version").asText())) {
      throw new IllegalArgumentException("host.json must say \"version\": \"2.0\", not " + host.path("version"));
    }
    List<String> found = new ArrayList<>();
    if (language == Language.NODEJS) {
      JsonNode pkg = ArmHttp.JSON.readTree(root.resolve("package.json").toFile());
      String main = pkg.path("main").asText("");
      if (main.isEmpty() || !Files.isRegularFile(root.resolve(main))) {
        throw new IllegalArgumentException("package.json's main (" + main + ") is not a file of the package");
      }
      // the host learns the v4 model's functions by running the app; the stand-in reads its app.http calls
      java.util.regex.Matcher http = java.util.regex.Pattern.compile("app\\.http\\(\\s*['\"]([^'\"]+)['\"]")
          .matcher(Files.readString(root.resolve(main)));
      while (http.find()) {
        found.add(http.group(1));
      }
      if (found.isEmpty()) {
        throw new IllegalArgumentException("package.json's main (" + main + ") declares no HTTP function (app.http)");
      }
      return found;
    }
    try (var dirs = Files.list(root)) {
      for (Path dir : dirs.sorted().toList()) {
        Path functionJson = dir.resolve("function.json");
        if (Files.isRegularFile(functionJson)) {
          JsonNode config = ArmHttp.JSON.readTree(functionJson.toFile());
          boolean http = false;
          for (JsonNode binding : config.path("bindings")) {
            http |= binding.path("type").asText().equals("httpTrigger");
          }
          String script = config.path("scriptFile").asText("");
          if (!http || script.isEmpty() || !Files.isRegularFile(dir.resolve(script).normalize())) {
            throw new IllegalArgumentException(root.relativize(functionJson) + " needs an httpTrigger binding and"
                + " a scriptFile that exists (" + script + ")");
          }
          found.add(dir.getFileName().toString());
        }
      }
    }
    if (found.isEmpty()) {
      throw new IllegalArgumentException("No function.json in any folder of the package: no functions");
    }
    return found;
  }

  /** The HTTP trigger: the function key, then an instance, then its answer; recorded for telemetry. */
  private void invoke(HttpExchange exchange, String function) throws IOException {
    long start = System.nanoTime();
    String given = exchange.getRequestHeaders().getFirst(AzurePlatform.KEY_HEADER);
    if (given == null) {
      given = ArmHttp.query(exchange).get("code");
    }
    if (!functions.contains(function)) {
      ArmHttp.send(exchange, 404, "text/plain", new byte[0]);
      return;
    }
    if (!key.equals(given)) {
      ArmHttp.send(exchange, 401, "text/plain", new byte[0]);
      return;
    }
    if (hostDown != null) {
      ArmHttp.send(exchange, 503, "text/plain", ("Function host is not running: " + hostDown)
          .getBytes(StandardCharsets.UTF_8));
      return;
    }
    byte[] body = ArmHttp.body(exchange);
    String invocationId = UUID.randomUUID().toString();
    Instance instance;
    try {
      instance = acquire();
    } catch (TooManyInstances e) {
      ArmHttp.send(exchange, 429, "text/plain", e.getMessage().getBytes(StandardCharsets.UTF_8));
      return;
    } catch (RuntimeException e) {
      ArmHttp.send(exchange, 503, "text/plain", ("Function host is not running: " + e.getMessage())
          .getBytes(StandardCharsets.UTF_8));
      return;
    }
    int status;
    byte[] answer;
    String contentType = "text/plain";
    long executionStart = System.nanoTime();
    boolean lost = false;
    try {
      HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + instance.host.port()
          + "/api/" + function).toURL().openConnection();
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setConnectTimeout(10_000);
      connection.setReadTimeout((int) timeoutMs);
      // the request's own headers reach the function, as through the Functions host
      exchange.getRequestHeaders().forEach((header, values) -> {
        if (!List.of("host", "content-length", "connection", "transfer-encoding")
            .contains(header.toLowerCase(java.util.Locale.ROOT))) {
          connection.setRequestProperty(header, String.join(",", values));
        }
      });
      connection.setRequestProperty("Content-Type", "application/json");
      connection.setRequestProperty("x-sebs-invocation-id", invocationId);
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body);
      }
      status = connection.getResponseCode();
      InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      answer = in == null ? new byte[0] : in.readAllBytes();
      if (connection.getContentType() != null) {
        contentType = connection.getContentType();
      }
    } catch (SocketTimeoutException e) {
      // past functionTimeout the host gives up on the invocation, answers a bare 500 and restarts the worker
      lost = true;
      status = 500;
      answer = new byte[0];
    } catch (IOException e) {
      lost = true;
      status = 500;
      answer = ("The function host failed: " + e).getBytes(StandardCharsets.UTF_8);
    } finally {
      release(instance, lost || !instance.host.alive());
    }
    long answered = System.nanoTime(); // before the send: the client may have the answer before send() returns
    double executionMs = (answered - executionStart) / 1e6;
    ArmHttp.send(exchange, status, contentType, answer);
    insights.record(name, invocationId, executionMs, (answered - start) / 1e6, status);
  }

  private static final class TooManyInstances extends RuntimeException {
    TooManyInstances(String message) {
      super(message);
    }
  }

  private Instance acquire() {
    int current;
    Path root;
    Map<String, String> env;
    synchronized (this) {
      instances.removeIf(i -> !i.host.alive());
      for (Instance i : instances) {
        if (!i.busy) {
          i.busy = true;
          return i;
        }
      }
      if (instances.size() + starting >= maxInstances) {
        throw new TooManyInstances("The app has " + maxInstances + " busy instances, its maximum");
      }
      starting++;
      current = generation;
      root = appRoot;
      env = new LinkedHashMap<>(settings);
    }
    try {
      // the stand-in's Cosmos DB (cosmosdb-server) has a self-signed certificate: the instances of this stand-in
      // accept it, as the storage contract test's do; the platform sets none of these
      env.put("SEBS_NOSQL_TLS_INSECURE", "1");
      env.put("NODE_TLS_REJECT_UNAUTHORIZED", "0");
      env.put("JAVA_TOOL_OPTIONS", "-DCOSMOS.EMULATOR_SERVER_CERTIFICATE_VALIDATION_DISABLED=true");
      env.put("WEBSITE_SITE_NAME", name);
      env.put("WEBSITE_INSTANCE_ID", UUID.randomUUID().toString().replace("-", ""));
      env.put("FUNCTIONS_WORKER_RUNTIME", language == Language.NODEJS ? "node" : language.name().toLowerCase());
      AzureFunctionHost host = AzureFunctionHost.start(root, language, env, workDir.resolve("instances"));
      Instance instance = new Instance(host, current);
      synchronized (this) {
        instances.add(instance);
      }
      return instance;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      synchronized (this) {
        starting--;
      }
    }
  }

  private synchronized void release(Instance instance, boolean lost) {
    instance.busy = false;
    if (lost || instance.generation <= retiredUpTo) {
      instance.host.close();
      instances.remove(instance);
    }
  }

  /** Stops every instance; the app stays (delete it through Resource Manager). */
  @Override
  public synchronized void close() {
    for (Instance i : instances) {
      i.host.close();
    }
    instances.clear();
    server.stop(0);
    executor.shutdownNow();
  }
}
