package io.sebs.junit.platform.cloudflare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sebs.junit.testing.Fixtures;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Cloudflare's API and workers.dev on one loopback port, for the cloudflare platform's tests: the Workers Scripts
 * endpoints the platform calls ({@code /client/v4/accounts/{id}/workers/...}), checked as Cloudflare checks them
 * (the bearer {@link #TOKEN}, the {@link #ACCOUNT}, the script name, the multipart upload: a metadata part whose
 * main_module is one of the parts, module content types, plain_text bindings) and answered in Cloudflare's envelope;
 * every API request is recorded. An upload writes the modules to a folder and (re)starts a workerd process serving
 * them ({@link WorkerdConfig}, {@link WorkerdInstance}): a new version is a new isolate, as on Cloudflare. The
 * Workers answer under {@code /workers/{script}/} (and {@code /dev/{subdomain}/workers/{script}/}, the form
 * {@link #workersUrl()} gives, so the platform reads the subdomain as on Cloudflare) once enabled on workers.dev,
 * proxied to their workerd. Bindings: plain_text and secret_text (text bindings in workerd), r2_bucket, service
 * (to another script's workerd, which must exist; a service binding reaches the version current at the binder's
 * upload) and durable_object_namespace (a class the script implements by a migration: {@code migrations} with
 * new_tag, old_tag, new_sqlite_classes, new_classes, deleted_classes are checked and applied as Cloudflare does;
 * objects are kept in memory, so they do not outlive a version). A script with Durable Objects, or named by a
 * service binding, is deleted only with {@code ?force=true}. R2: buckets are created and deleted through {@code /accounts/{id}/r2/buckets} on an
 * S3Proxy, which is R2's S3 API for the test side ({@link #settings()}), and r2_bucket bindings are served by
 * {@link R2BindingServer} over it. A static {@code @RegisterExtension} field starts it before the class and stops it, with
 * every workerd, after.
 */
final class CloudflareApiStandIn implements BeforeAllCallback, AfterAllCallback {

  static final String TOKEN = "stand-in-token-0123456789abcdef";
  static final String ACCOUNT = "0123456789abcdef0123456789abcdef";
  static final String SUBDOMAIN = "sebs-standin";
  /** The keys of R2's S3 API on the stand-in (an S3Proxy). */
  static final String R2_KEY = "standin-r2-key";
  static final String R2_SECRET = "standin-r2-secret";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] HEAD_END = {13, 10, 13, 10};
  private static final Pattern API = Pattern.compile(
      "^/client/v4/accounts/([^/]+)/workers/(subdomain|scripts/([^/]+)(/subdomain)?)$");
  private static final Pattern R2_BUCKETS = Pattern.compile("^/client/v4/accounts/([^/]+)/r2/buckets(?:/([^/]+))?$");
  private static final Pattern BUCKET_NAME = Pattern.compile("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$");
  private static final Pattern WORKERS = Pattern.compile("^(?:/dev/([^/]+))?/workers/([^/]+)(/.*)?$");
  private static final Pattern SCRIPT_NAME = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,62}$");
  private static final Set<String> MODULE_TYPES = Set.of(WorkerUpload.ES_MODULE, "text/javascript",
      WorkerUpload.JSON, WorkerUpload.DATA, "text/plain", "application/wasm");

  /** An API request as it arrived (header names in lower case), with its multipart parts when it had some. */
  record Request(String method, String path, String query, Map<String, String> headers, byte[] body,
      List<Part> parts) {

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    Optional<Part> part(String name) {
      return parts.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
      }
    }
  }

  /** One part of a multipart/form-data body. */
  record Part(String name, String filename, String contentType, byte[] content) {
    String text() {
      return new String(content, StandardCharsets.UTF_8);
    }
  }

  /** A script on the stand-in: its current version's folder and workerd, and whether workers.dev serves it. */
  private static final class Script {
    final String name;
    int versions;
    WorkerdInstance instance;
    boolean enabled;
    /** The Durable Object classes the script implements (created by migrations), and its last migration tag. */
    Set<String> classes = Set.of();
    String migrationTag;
    /** The scripts its service bindings name. */
    Set<String> services = Set.of();

    Script(String name) {
      this.name = name;
    }
  }

  private record Failure(String method, int status, int code, String message) {}

  private final List<Request> requests = new ArrayList<>();
  private final Map<String, Script> scripts = new ConcurrentHashMap<>();
  private final List<Failure> failures = new ArrayList<>();
  /** How many more workers.dev requests answer 404, as while a new script's route propagates. */
  private final java.util.concurrent.atomic.AtomicInteger unrouted = new java.util.concurrent.atomic.AtomicInteger();
  private final HttpClient proxy = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private HttpServer server;
  private ExecutorService executor;
  private Path workDir;
  private Path workerd;
  private io.sebs.junit.storage.local.S3ProxyServer s3proxy;
  private software.amazon.awssdk.services.s3.S3Client s3;
  private R2BindingServer r2Server;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  void start() throws IOException {
    workerd = WorkersTools.install(Fixtures.cacheDir(), Optional.empty()).workerd();
    workDir = Files.createTempDirectory("sebs-cloudflare-standin");
    s3proxy = io.sebs.junit.storage.local.S3ProxyServer.start(R2_KEY, R2_SECRET);
    s3 = software.amazon.awssdk.services.s3.S3Client.builder()
        .endpointOverride(s3proxy.endpoint())
        .forcePathStyle(true)
        .region(software.amazon.awssdk.regions.Region.of("auto"))
        .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(R2_KEY, R2_SECRET)))
        .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
        .build();
    r2Server = R2BindingServer.start(s3);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/", exchange -> {
      try {
        handle(exchange);
      } catch (RuntimeException | IOException e) {
        try {
          error(exchange, 500, 10013, "stand-in failure: " + e);
        } catch (IOException | RuntimeException ignored) {
          // the client left, or the answer was begun
        }
      } finally {
        exchange.close();
      }
    });
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.start();
  }

  void stop() {
    scripts.values().forEach(s -> {
      synchronized (s) {
        if (s.instance != null) {
          s.instance.kill();
        }
      }
    });
    scripts.clear();
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
    }
    if (r2Server != null) {
      r2Server.close();
      s3.close();
      s3proxy.close();
    }
    if (workDir != null) {
      try {
        io.sebs.junit.process.Command.deleteTree(workDir);
      } catch (IOException e) {
        System.err.println("cloudflare stand-in: cannot remove " + workDir + ": " + e);
      }
    }
  }

  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  String apiUrl() {
    return base() + "/client/v4";
  }

  /** Where the Workers answer, as a {@code sebs.cloudflare.workersUrl} template that names the subdomain. */
  String workersUrl() {
    return base() + "/dev/{subdomain}/workers/{script}/";
  }

  /** The platform's settings for this stand-in, as {@code key, value} pairs. */
  List<String> settings() {
    return List.of(CloudflareSettings.API_TOKEN, TOKEN, CloudflareSettings.ACCOUNT_ID, ACCOUNT,
        CloudflareSettings.API_URL, apiUrl(), CloudflareSettings.WORKERS_URL, workersUrl(),
        CloudflareSettings.COLD_START_TIMEOUT, "10s", CloudflareSettings.R2_ENDPOINT, s3proxy.endpoint().toString(),
        CloudflareSettings.R2_ACCESS_KEY_ID, R2_KEY, CloudflareSettings.R2_SECRET_ACCESS_KEY, R2_SECRET);
  }

  /** The API requests so far, oldest first. */
  synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  synchronized void clearRequests() {
    requests.clear();
  }

  /** Makes the next API request with this method fail with Cloudflare's error envelope. */
  synchronized void failNext(String method, int status, int code, String message) {
    failures.add(new Failure(method, status, code, message));
  }

  /** Makes the next {@code requests} workers.dev requests answer Cloudflare's 404 page (0: none). */
  void delayRouting(int requests) {
    unrouted.set(requests);
  }

  /** The scripts uploaded and not deleted. */
  List<String> scripts() {
    return List.copyOf(new TreeMap<>(scripts).keySet());
  }

  /** The R2 buckets on the stand-in. */
  List<String> buckets() {
    return s3.listBuckets().buckets().stream().map(b -> b.name()).sorted().toList();
  }

  /** The workerd process ids of the scripts' current versions. */
  List<Long> pids() {
    List<Long> pids = new ArrayList<>();
    scripts.values().forEach(s -> {
      synchronized (s) {
        if (s.instance != null) {
          pids.add(Long.parseLong(s.instance.id()));
        }
      }
    });
    return pids;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    Matcher workers = WORKERS.matcher(path);
    if (workers.matches()) {
      serveWorker(exchange, workers.group(1), workers.group(2), workers.group(3) == null ? "/" : workers.group(3));
      return;
    }
    byte[] body = exchange.getRequestBody().readAllBytes();
    Map<String, String> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
    String method = exchange.getRequestMethod();
    List<Part> parts = List.of();
    String contentType = headers.getOrDefault("content-type", "");
    if (contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      parts = parse(contentType, body);
    }
    Request request = new Request(method, path, exchange.getRequestURI().getRawQuery(), headers, body, parts);
    Failure failure;
    synchronized (this) {
      requests.add(request);
      failure = failures.stream().filter(f -> f.method().equals(method)).findFirst().orElse(null);
      failures.remove(failure);
    }
    if (!("Bearer " + TOKEN).equals(request.header("Authorization"))) {
      error(exchange, 403, 10000, "Authentication error");
      return;
    }
    Matcher buckets = R2_BUCKETS.matcher(path);
    if (buckets.matches()) {
      if (!buckets.group(1).equals(ACCOUNT)) {
        error(exchange, 403, 10000, "Authentication error");
      } else if (failure != null) {
        error(exchange, failure.status(), failure.code(), failure.message());
      } else if (buckets.group(2) == null && method.equals("POST")) {
        createBucket(exchange, request);
      } else if (buckets.group(2) != null && method.equals("DELETE")) {
        deleteBucket(exchange, buckets.group(2));
      } else {
        error(exchange, 405, 10000, "Method not allowed");
      }
      return;
    }
    Matcher api = API.matcher(path);
    if (!api.matches()) {
      error(exchange, 404, 7000, "No route for that URI");
      return;
    }
    if (!api.group(1).equals(ACCOUNT)) {
      error(exchange, 403, 10000, "Authentication error"); // a token of one account sees no other
      return;
    }
    if (failure != null) {
      error(exchange, failure.status(), failure.code(), failure.message());
      return;
    }
    String script = api.group(3);
    if (script == null) {
      if (!method.equals("GET")) {
        error(exchange, 405, 10000, "Method not allowed");
        return;
      }
      ObjectNode result = JSON.createObjectNode().put("subdomain", SUBDOMAIN);
      success(exchange, result);
    } else if (!SCRIPT_NAME.matcher(script).matches()) {
      error(exchange, 400, 10016, "Invalid Worker name: use at most 63 lowercase letters, digits, '-' and '_'");
    } else if (api.group(4) != null && method.equals("POST")) {
      enable(exchange, script, request);
    } else if (api.group(4) == null && method.equals("PUT")) {
      upload(exchange, script, request);
    } else if (api.group(4) == null && method.equals("DELETE")) {
      delete(exchange, script, "force=true".equals(request.query()));
    } else {
      error(exchange, 405, 10000, "Method not allowed");
    }
  }

  private void upload(HttpExchange exchange, String name, Request request) throws IOException {
    if (request.parts().isEmpty()) {
      error(exchange, 400, 10001, "Unsupported Content-Type: a script upload is multipart/form-data");
      return;
    }
    Optional<Part> metadataPart = request.part(WorkerUpload.METADATA);
    JsonNode metadata = null;
    try {
      metadata = metadataPart.isEmpty() ? null : JSON.readTree(metadataPart.get().content());
    } catch (IOException e) {
      // below
    }
    if (metadata == null || !metadata.isObject()) {
      error(exchange, 400, 10021, "could not read content for part metadata");
      return;
    }
    String main = metadata.path("main_module").asText("");
    List<Part> modules = request.parts().stream().filter(p -> !p.name().equals(WorkerUpload.METADATA)).toList();
    Optional<Part> mainPart = modules.stream().filter(p -> p.name().equals(main)).findFirst();
    if (mainPart.isEmpty()) {
      error(exchange, 400, 10021, "main_module '" + main + "' is not one of the uploaded parts");
      return;
    }
    if (!WorkerUpload.ES_MODULE.equals(mainPart.get().contentType())) {
      error(exchange, 400, 10021, "main_module '" + main + "' must be an ES module (application/javascript+module)");
      return;
    }
    for (Part part : modules) {
      if (!MODULE_TYPES.contains(part.contentType())) {
        error(exchange, 400, 10021, "unsupported module type '" + part.contentType() + "' of part " + part.name());
        return;
      }
    }
    LocalDate date;
    try {
      date = LocalDate.parse(metadata.path("compatibility_date").asText(""));
    } catch (RuntimeException e) {
      error(exchange, 400, 10021, "compatibility_date must be a date as YYYY-MM-DD");
      return;
    }
    Map<String, String> text = new LinkedHashMap<>();
    List<WorkerdConfig.R2Bucket> r2 = new ArrayList<>();
    List<WorkerdConfig.ExternalService> services = new ArrayList<>();
    Set<String> serviceScripts = new java.util.TreeSet<>();
    List<WorkerdConfig.DurableObjectBinding> durableObjects = new ArrayList<>();
    Script existing = scripts.get(name);
    Migrated migrated;
    try {
      migrated = migrate(existing, metadata.path("migrations"));
    } catch (IllegalArgumentException e) {
      error(exchange, 400, migrationCode(e), e.getMessage());
      return;
    }
    for (JsonNode binding : metadata.path("bindings")) {
      String type = binding.path("type").asText();
      String bindingName = binding.path("name").asText("");
      if (bindingName.isEmpty()) {
        error(exchange, 400, 10021, "a binding without a name: " + binding);
        return;
      }
      if ((type.equals("plain_text") || type.equals("secret_text")) && binding.path("text").isTextual()) {
        text.put(bindingName, binding.path("text").asText());
      } else if (type.equals("durable_object_namespace") && binding.path("class_name").isTextual()) {
        String className = binding.path("class_name").asText();
        String owner = binding.path("script_name").asText(name);
        if (!owner.equals(name)) {
          error(exchange, 400, 10021, "the stand-in binds Durable Objects of the uploaded script only, not of "
              + owner);
          return;
        }
        if (!migrated.classes().contains(className)) {
          error(exchange, 400, 10061, "Cannot create binding for class '" + className + "' because it is not"
              + " currently configured to implement Durable Objects. Did you forget to apply a Durable Object"
              + " migration?");
          return;
        }
        durableObjects.add(new WorkerdConfig.DurableObjectBinding(bindingName, className));
      } else if (type.equals("service") && binding.path("service").isTextual()) {
        String target = binding.path("service").asText();
        String environment = binding.path("environment").asText("production");
        Script bound = scripts.get(target);
        URI endpoint = null;
        if (bound != null) {
          synchronized (bound) {
            endpoint = bound.instance == null ? null : bound.instance.endpoint();
          }
        }
        if (target.equals(name) || endpoint == null || !environment.equals("production")
            || binding.has("entrypoint")) {
          error(exchange, 400, 10143, "could not resolve binding '" + bindingName + "': service '" + target + "'"
              + (target.equals(name) ? " is the script itself" : binding.has("entrypoint")
                  ? " with an entrypoint (not served by the stand-in)" : " does not exist in this account"));
          return;
        }
        services.add(WorkerdConfig.ExternalService.at(bindingName, endpoint));
        serviceScripts.add(target);
      } else if (type.equals("r2_bucket") && binding.path("bucket_name").isTextual()) {
        String bucket = binding.path("bucket_name").asText();
        if (!bucketExists(bucket)) {
          error(exchange, 400, 10085, "R2 bucket '" + bucket + "' of binding " + binding.path("name").asText()
              + " does not exist");
          return;
        }
        r2.add(new WorkerdConfig.R2Bucket(bindingName, bucket, r2Server.address()));
      } else {
        error(exchange, 400, 10021, "the stand-in takes plain_text, secret_text, r2_bucket, service and"
            + " durable_object_namespace bindings (with their fields) only, not " + binding);
        return;
      }
    }
    Script script = scripts.computeIfAbsent(name, Script::new);
    long startupMs;
    synchronized (script) {
      script.versions++;
      Path folder = workDir.resolve(name).resolve("v" + script.versions);
      List<WorkerdConfig.Module> config = new ArrayList<>();
      for (Part part : modules) {
        Path file = folder.resolve(part.name()).normalize();
        if (!file.startsWith(folder)) {
          error(exchange, 400, 10021, "invalid module name " + part.name());
          return;
        }
        Files.createDirectories(file.getParent());
        Files.write(file, part.content());
        config.add(new WorkerdConfig.Module(part.name(), kind(part.contentType()), part.name()));
      }
      config.sort((a, b) -> a.name().equals(main) ? -1 : b.name().equals(main) ? 1 : 0); // main module first
      Path capnp = folder.resolve("workerd.capnp");
      Files.writeString(capnp, WorkerdConfig.render(config, date, text, r2, services, durableObjects));
      if (script.instance != null) {
        script.instance.kill();
        script.instance = null;
      }
      long begin = System.nanoTime();
      try {
        script.instance = WorkerdInstance.start(workerd, capnp, Duration.ofSeconds(30), script.versions);
      } catch (io.sebs.junit.platform.pool.FunctionInstance.StartException e) {
        error(exchange, 400, 10021, "Uncaught error while starting the Worker: " + e.getMessage());
        return;
      }
      startupMs = (System.nanoTime() - begin) / 1_000_000;
      script.classes = migrated.classes();
      script.migrationTag = migrated.tag();
      script.services = serviceScripts;
    }
    ObjectNode result = JSON.createObjectNode().put("id", name).put("etag", Integer.toHexString(script.versions))
        .put("startup_time_ms", startupMs).put("usage_model", "standard")
        .put("compatibility_date", date.toString());
    success(exchange, result);
  }

  /** The Durable Object classes and migration tag a script has after an upload's migrations. */
  private record Migrated(Set<String> classes, String tag) {}

  /**
   * Applies the upload's {@code migrations} ({@code new_tag}, {@code old_tag}, {@code new_classes}, {@code
   * new_sqlite_classes}, {@code deleted_classes}) to the script's classes as Cloudflare does: a migration whose
   * new_tag is the script's tag already is applied already; old_tag must be the script's tag; a new class must not
   * exist and a deleted one must. A refusal is an IllegalArgumentException with Cloudflare's message.
   */
  private static Migrated migrate(Script script, JsonNode migrations) {
    Set<String> classes = new java.util.TreeSet<>();
    String tag = null;
    if (script != null) {
      synchronized (script) {
        classes.addAll(script.classes);
        tag = script.migrationTag;
      }
    }
    if (migrations.isMissingNode() || migrations.isNull()) {
      return new Migrated(Set.copyOf(classes), tag);
    }
    if (!migrations.isObject() || !migrations.path("new_tag").isTextual()) {
      throw new IllegalArgumentException("migrations must be an object with a new_tag (the stand-in takes a single"
          + " step): " + migrations);
    }
    String newTag = migrations.get("new_tag").asText();
    if (migrations.has("old_tag") && !migrations.get("old_tag").asText().equals(tag == null ? "" : tag)) {
      throw new IllegalArgumentException("10079 migration precondition failed: old_tag '"
          + migrations.get("old_tag").asText() + "' is not the script's current tag '" + tag + "'");
    }
    if (newTag.equals(tag)) {
      return new Migrated(Set.copyOf(classes), tag);
    }
    for (String field : List.of("new_classes", "new_sqlite_classes")) {
      for (JsonNode c : migrations.path(field)) {
        if (!classes.add(c.asText())) {
          throw new IllegalArgumentException("10074 Cannot apply new-class migration to class '" + c.asText()
              + "' that is already depended on by existing Durable Objects");
        }
      }
    }
    for (JsonNode c : migrations.path("deleted_classes")) {
      if (!classes.remove(c.asText())) {
        throw new IllegalArgumentException("10074 Cannot apply deleted-class migration to class '" + c.asText()
            + "' that does not exist");
      }
    }
    for (String field : List.of("renamed_classes", "transferred_classes")) {
      if (migrations.has(field)) {
        throw new IllegalArgumentException("the stand-in does not apply " + field);
      }
    }
    return new Migrated(Set.copyOf(classes), newTag);
  }

  private static int migrationCode(IllegalArgumentException e) {
    String message = e.getMessage();
    return message.startsWith("10079") ? 10079 : message.startsWith("10074") ? 10074 : 10021;
  }

  private boolean bucketExists(String bucket) {
    try {
      s3.headBucket(b -> b.bucket(bucket));
      return true;
    } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException e) {
      return false;
    }
  }

  private void createBucket(HttpExchange exchange, Request request) throws IOException {
    String name;
    try {
      name = request.json().path("name").asText("");
    } catch (IllegalStateException e) {
      name = "";
    }
    if (!BUCKET_NAME.matcher(name).matches()) {
      error(exchange, 400, 10005, "The specified bucket name is not valid.");
      return;
    }
    if (bucketExists(name)) {
      error(exchange, 409, 10004, "The bucket you tried to create already exists, and you own it.");
      return;
    }
    String bucket = name;
    s3.createBucket(b -> b.bucket(bucket));
    success(exchange, JSON.createObjectNode().put("name", name).put("location", "ENAM")
        .put("creation_date", java.time.Instant.now().toString()));
  }

  private void deleteBucket(HttpExchange exchange, String bucket) throws IOException {
    if (!bucketExists(bucket)) {
      error(exchange, 404, 10006, "The specified bucket does not exist.");
      return;
    }
    if (s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(1)).keyCount() > 0) {
      error(exchange, 409, 10008, "The bucket you tried to delete is not empty.");
      return;
    }
    s3.deleteBucket(b -> b.bucket(bucket));
    success(exchange, JSON.nullNode());
  }

  private static WorkerdConfig.Kind kind(String contentType) {
    return switch (contentType) {
      case WorkerUpload.ES_MODULE -> WorkerdConfig.Kind.ES_MODULE;
      case WorkerUpload.JSON -> WorkerdConfig.Kind.JSON;
      default -> WorkerdConfig.Kind.DATA;
    };
  }

  private void enable(HttpExchange exchange, String name, Request request) throws IOException {
    Script script = scripts.get(name);
    if (script == null) {
      error(exchange, 404, 10007, "This Worker does not exist on your account.");
      return;
    }
    JsonNode body;
    try {
      body = JSON.readTree(request.body());
    } catch (IOException e) {
      body = null;
    }
    if (body == null || !body.path("enabled").isBoolean()) {
      error(exchange, 400, 10026, "expected a JSON body with the boolean 'enabled'");
      return;
    }
    synchronized (script) {
      script.enabled = body.get("enabled").asBoolean();
    }
    success(exchange, JSON.createObjectNode().put("enabled", script.enabled).put("previews_enabled", false));
  }

  /**
   * Deletes a script; as on Cloudflare, one that implements Durable Objects (which go with it) or that another
   * script's service binding names is deleted only with {@code ?force=true}.
   */
  private void delete(HttpExchange exchange, String name, boolean force) throws IOException {
    Script found = scripts.get(name);
    if (found == null) {
      error(exchange, 404, 10007, "This Worker does not exist on your account.");
      return;
    }
    if (!force) {
      List<String> dependents = scripts.values().stream().filter(s -> s.services.contains(name)).map(s -> s.name)
          .sorted().toList();
      if (!found.classes.isEmpty() || !dependents.isEmpty()) {
        error(exchange, 400, 10064, "Cannot delete " + name + ": "
            + (found.classes.isEmpty() ? "" : "it implements Durable Objects " + found.classes + ", whose objects"
                + " would be deleted; ")
            + (dependents.isEmpty() ? "" : "the service bindings of " + dependents + " name it; ")
            + "use force=true");
        return;
      }
    }
    Script script = scripts.remove(name);
    if (script == null) {
      error(exchange, 404, 10007, "This Worker does not exist on your account.");
      return;
    }
    synchronized (script) {
      if (script.instance != null) {
        script.instance.kill();
        script.instance = null;
      }
    }
    success(exchange, JSON.nullNode());
  }

  /** workers.dev: the enabled script's current version answers (its workerd, through this proxy). */
  private void serveWorker(HttpExchange exchange, String subdomain, String name, String rest) throws IOException {
    Script script = scripts.get(name);
    URI endpoint = null;
    if (script != null && (subdomain == null || subdomain.equals(SUBDOMAIN))) {
      synchronized (script) {
        if (script.enabled && script.instance != null) {
          endpoint = script.instance.endpoint();
        }
      }
    }
    byte[] body = exchange.getRequestBody().readAllBytes();
    if (unrouted.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      endpoint = null;
    }
    if (endpoint == null) {
      send(exchange, 404, "text/plain", ("There is nothing here yet (no Worker " + name + " enabled on workers.dev)")
          .getBytes(StandardCharsets.UTF_8));
      return;
    }
    HttpRequest.Builder forward = HttpRequest.newBuilder(endpoint.resolve(rest.substring(1)))
        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    for (String header : List.of("Content-Type", "X-Request-Id", "Authorization",
        CloudflarePlatform.COLD_START_HEADER)) {
      String value = exchange.getRequestHeaders().getFirst(header);
      if (value != null) {
        forward.header(header, value);
      }
    }
    HttpResponse<byte[]> answer;
    try {
      answer = proxy.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      send(exchange, 502, "text/plain", ("error code: 502 (the Worker's workerd: " + e + ")")
          .getBytes(StandardCharsets.UTF_8));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    send(exchange, answer.statusCode(), answer.headers().firstValue("Content-Type").orElse("text/plain"),
        answer.body());
  }

  private static void success(HttpExchange exchange, JsonNode result) throws IOException {
    ObjectNode envelope = JSON.createObjectNode().put("success", true);
    envelope.putArray("errors");
    envelope.putArray("messages");
    envelope.set("result", result);
    send(exchange, 200, "application/json", JSON.writeValueAsBytes(envelope));
  }

  private static void error(HttpExchange exchange, int status, int code, String message) throws IOException {
    ObjectNode envelope = JSON.createObjectNode().put("success", false);
    envelope.putArray("errors").addObject().put("code", code).put("message", message);
    envelope.putArray("messages");
    envelope.putNull("result");
    send(exchange, status, "application/json", JSON.writeValueAsBytes(envelope));
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  /** The parts of a multipart/form-data body (RFC 7578); a malformed body has none. */
  static List<Part> parse(String contentType, byte[] body) {
    Matcher m = Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(contentType);
    if (!m.find()) {
      return List.of();
    }
    byte[] delimiter = ("--" + m.group(1)).getBytes(StandardCharsets.US_ASCII);
    List<Part> parts = new ArrayList<>();
    int at = indexOf(body, delimiter, 0);
    while (at >= 0) {
      int start = at + delimiter.length;
      if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
        break; // the closing delimiter
      }
      start += 2; // CRLF after the delimiter
      int next = indexOf(body, delimiter, start);
      if (next < 0) {
        return List.of();
      }
      int headEnd = indexOf(body, HEAD_END, start);
      if (headEnd < 0 || headEnd > next) {
        return List.of();
      }
      String head = new String(body, start, headEnd - start, StandardCharsets.UTF_8);
      byte[] content = java.util.Arrays.copyOfRange(body, headEnd + 4, next - 2); // CRLF before the delimiter
      String name = null;
      String filename = null;
      String type = "text/plain";
      for (String line : head.split("\r\n")) {
        String lower = line.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-disposition:")) {
          Matcher n = Pattern.compile("[; ]name=\"([^\"]*)\"").matcher(line);
          name = n.find() ? n.group(1) : null;
          Matcher f = Pattern.compile("filename=\"([^\"]*)\"").matcher(line);
          filename = f.find() ? f.group(1) : null;
        } else if (lower.startsWith("content-type:")) {
          type = line.substring("content-type:".length()).strip();
        }
      }
      if (name == null) {
        return List.of();
      }
      parts.add(new Part(name, filename, type, content));
      at = next;
    }
    return parts;
  }

  private static int indexOf(byte[] data, byte[] pattern, int from) {
    outer:
    for (int i = Math.max(0, from); i <= data.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
