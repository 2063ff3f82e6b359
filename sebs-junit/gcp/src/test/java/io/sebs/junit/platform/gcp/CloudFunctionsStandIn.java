package io.sebs.junit.platform.gcp;

import com.google.cloud.functions.v2.Environment;
import com.google.cloud.functions.v2.Function;
import com.google.cloud.functions.v2.GenerateUploadUrlRequest;
import com.google.cloud.functions.v2.ListFunctionsResponse;
import com.google.cloud.functions.v2.OperationMetadata;
import com.google.cloud.functions.v2.ServiceConfig;
import com.google.longrunning.Operation;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Status;
import com.sun.net.httpserver.HttpExchange;
import io.sebs.junit.process.Command;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Cloud Functions v2 as the stand-in plays it, over its REST (HTTP/JSON) API, and the functions themselves.
 * Requests are parsed strictly into the API's own protobuf messages (an unknown or misspelt field is a 400, as
 * Google's is) and checked as Google checks them (ids, runtimes, memory and CPU, concurrency, an uploaded source);
 * create, update and delete are long-running operations polled at {@code operations/*}. The upload URL takes the
 * zip with a PUT and no Authorization header (it is a signed URL). Deploying "builds" the source as Google's build
 * does (pip, npm; see {@link FunctionRuntimes}) and serves the function at {@code /run/<id>}, which requires an ID
 * token for exactly that URL, runs one request per instance, starts instances of the current revision on demand
 * up to the function's max instances (429 beyond), retires the previous revision's instances when a new revision
 * is deployed, answers 504 after the function's timeout (the instance is killed) and 503 when the instance dies
 * mid-request, and logs every request to {@link CloudLoggingStandIn} as Cloud Run does.
 */
final class CloudFunctionsStandIn implements AutoCloseable {

  private static final Pattern FUNCTION_ID = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern MEMORY = Pattern.compile("(\\d+)(Mi|Gi|M|G)");
  static final Set<String> RUNTIMES = Set.of("python311", "python312", "nodejs20", "nodejs22", "java17", "java21");
  private static final JsonFormat.TypeRegistry TYPES = JsonFormat.TypeRegistry.newBuilder()
      .add(Function.getDescriptor()).add(OperationMetadata.getDescriptor())
      .add(com.google.protobuf.Empty.getDescriptor()).build();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().usingTypeRegistry(TYPES);
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().usingTypeRegistry(TYPES);

  private final String project;
  private final StandInTokens tokens;
  private final CloudLoggingStandIn logging;
  private final FunctionRuntimes runtimes;
  private final Path workDir;
  private final Map<String, String> instanceEnvironment;
  private final Map<String, byte[]> uploads = new ConcurrentHashMap<>();
  private final Map<String, Deployed> functions = new ConcurrentHashMap<>();
  private final Map<String, Operation> operations = new ConcurrentHashMap<>();
  /** Cloud Run service id to its IAM policy (JSON), as set with setIamPolicy. */
  private final Map<String, String> policies = new ConcurrentHashMap<>();
  private final List<ApiRequest> requests = new CopyOnWriteArrayList<>();

  /** One call of the API as the stand-in received it. */
  record ApiRequest(String method, String path, String query, String body) {
    /** {@code METHOD path?query}. */
    String line() {
      return method + " " + path + (query == null ? "" : "?" + query);
    }
  }
  private final ExecutorService builds = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "standin-build");
    t.setDaemon(true);
    return t;
  });
  private final AtomicInteger operationIds = new AtomicInteger();
  private volatile String baseUrl;

  /** One deployed function: its API resource, revision, built source and instances. */
  private final class Deployed {
    final String id;
    volatile Function function;
    volatile int revision;
    volatile Path source;
    final List<Instance> instances = new ArrayList<>();
    /** Instances being started (counted against max instances before their process exists). */
    int starting;

    Deployed(String id) {
      this.id = id;
    }

    String revisionName() {
      return String.format("%s-%05d-std", id, revision);
    }
  }

  /** One instance: a process of the function's runtime serving one request at a time. */
  private static final class Instance {
    final Process process;
    final int port;
    final int revision;
    boolean busy = true;

    Instance(Process process, int port, int revision) {
      this.process = process;
      this.port = port;
      this.revision = revision;
    }

    void kill() {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  CloudFunctionsStandIn(String project, StandInTokens tokens, CloudLoggingStandIn logging, FunctionRuntimes runtimes,
      Path workDir, Map<String, String> instanceEnvironment) {
    this.project = project;
    this.tokens = tokens;
    this.logging = logging;
    this.runtimes = runtimes;
    this.workDir = workDir;
    this.instanceEnvironment = Map.copyOf(instanceEnvironment);
  }

  void baseUrl(String url) {
    baseUrl = url;
  }

  /** Every API request (and source upload), in order. */
  List<ApiRequest> requests() {
    return List.copyOf(requests);
  }

  /** "METHOD path?query" of every API request, in order. */
  List<String> requestLines() {
    return requests.stream().map(ApiRequest::line).toList();
  }

  /** Running instances of a function (all revisions). */
  synchronized int instances(String id) {
    Deployed d = functions.get(id);
    return d == null ? 0 : (int) d.instances.stream().filter(i -> i.process.isAlive()).count();
  }

  /** The zip uploaded as this object, if any. */
  java.util.Optional<byte[]> upload(String object) {
    return java.util.Optional.ofNullable(uploads.get(object)).filter(b -> b.length > 0);
  }

  Set<String> functionIds() {
    return Set.copyOf(functions.keySet());
  }

  // ------------------------------------------------------------------------------------------- the API

  void handleApi(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String override = exchange.getRequestHeaders().getFirst("X-HTTP-Method-Override");
    if (method.equals("POST") && override != null) {
      method = override; // Google's APIs honour it; the Java client's JDK transport sends PATCH this way
    }
    String path = exchange.getRequestURI().getRawPath();
    String query = exchange.getRequestURI().getRawQuery();
    String body = new String(StandInHttp.body(exchange), StandardCharsets.UTF_8);
    requests.add(new ApiRequest(method, path, query, body));
    if (!tokens.authorizes(exchange.getRequestHeaders().getFirst("Authorization"))) {
      StandInHttp.error(exchange, 401, "UNAUTHENTICATED", "Request is missing required authentication credential.");
      return;
    }
    String location = "/v2/projects/" + project + "/locations/";
    if (!path.startsWith(location)) {
      StandInHttp.error(exchange, 403, "PERMISSION_DENIED", "Permission denied on resource project " + path);
      return;
    }
    String rest = path.substring(location.length()); // <region>/functions..., <region>/operations/...
    int slash = rest.indexOf('/');
    String region = slash < 0 ? rest : rest.substring(0, slash);
    String tail = slash < 0 ? "" : rest.substring(slash + 1);
    String parent = "projects/" + project + "/locations/" + region;
    try {
      if (tail.equals("functions:generateUploadUrl") && method.equals("POST")) {
        generateUploadUrl(exchange, body);
      } else if (tail.equals("functions") && method.equals("POST")) {
        create(exchange, body, parent, queryParam(query, "functionId"));
      } else if (tail.equals("functions") && method.equals("GET")) {
        list(exchange, parent);
      } else if (tail.startsWith("functions/") && !tail.substring(10).contains("/")) {
        String id = tail.substring("functions/".length());
        switch (method) {
          case "GET" -> get(exchange, id);
          case "PATCH" -> update(exchange, body, parent, id, queryParam(query, "updateMask"));
          case "DELETE" -> delete(exchange, parent, id);
          default -> StandInHttp.error(exchange, 405, "METHOD_NOT_ALLOWED", method + " " + path);
        }
      } else if (tail.startsWith("services/") && tail.endsWith(":getIamPolicy") && method.equals("GET")) {
        String id = tail.substring("services/".length(), tail.length() - ":getIamPolicy".length());
        StandInHttp.json(exchange, 200, policies.getOrDefault(id, "{\"etag\": \"BwAAAA==\"}"));
      } else if (tail.startsWith("services/") && tail.endsWith(":setIamPolicy") && method.equals("POST")) {
        String id = tail.substring("services/".length(), tail.length() - ":setIamPolicy".length());
        com.fasterxml.jackson.databind.JsonNode policy = StandInHttp.JSON.readTree(body).path("policy");
        if (!functions.containsKey(id)) {
          StandInHttp.error(exchange, 404, "NOT_FOUND", "Service " + id + " not found");
        } else if (!policy.has("etag")) {
          StandInHttp.error(exchange, 400, "INVALID_ARGUMENT", "setIamPolicy without the etag of the policy read"
              + " overwrites concurrent changes: read it with getIamPolicy first");
        } else {
          policies.put(id, policy.toString());
          StandInHttp.json(exchange, 200, policy.toString());
        }
      } else if (tail.startsWith("operations/") && method.equals("GET")) {
        Operation op = operations.get(parent + "/" + tail);
        if (op == null) {
          StandInHttp.error(exchange, 404, "NOT_FOUND", "Operation " + tail + " not found");
        } else {
          StandInHttp.json(exchange, 200, PRINTER.print(op));
        }
      } else {
        StandInHttp.error(exchange, 404, "NOT_FOUND", "The stand-in has no " + method + " " + path);
      }
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      StandInHttp.error(exchange, 400, "INVALID_ARGUMENT", "Invalid request: " + e.getMessage());
    }
  }

  private void generateUploadUrl(HttpExchange exchange, String json) throws IOException {
    GenerateUploadUrlRequest.Builder request = GenerateUploadUrlRequest.newBuilder();
    PARSER.merge(json, request);
    if (request.getEnvironment() != Environment.GEN_2) {
      throw new IllegalArgumentException("environment must be GEN_2 for a 2nd-gen function's upload, was "
          + request.getEnvironment());
    }
    String object = UUID.randomUUID() + ".zip";
    uploads.put(object, new byte[0]);
    String answer = "{\"uploadUrl\": \"" + baseUrl + "/gcf-upload/" + object + "?GoogleAccessId=standin&Signature=x\","
        + " \"storageSource\": {\"bucket\": \"gcf-v2-uploads-standin\", \"object\": \"" + object + "\"}}";
    StandInHttp.json(exchange, 200, answer);
  }

  /** PUT of a source zip to the signed upload URL. */
  void handleUpload(HttpExchange exchange) throws IOException {
    String object = exchange.getRequestURI().getPath().substring("/gcf-upload/".length());
    requests.add(new ApiRequest(exchange.getRequestMethod(), "/gcf-upload/" + object, null, ""));
    if (!exchange.getRequestMethod().equals("PUT") || !uploads.containsKey(object)) {
      StandInHttp.error(exchange, 404, "NOT_FOUND", "No such upload URL");
    } else if (exchange.getRequestHeaders().containsKey("Authorization")) {
      StandInHttp.error(exchange, 400, "INVALID_ARGUMENT", "A signed URL takes no Authorization header");
    } else if (!"application/zip".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
      StandInHttp.error(exchange, 400, "INVALID_ARGUMENT", "The upload must be sent with Content-Type:"
          + " application/zip, as the upload URL was signed for it");
    } else {
      uploads.put(object, StandInHttp.body(exchange));
      StandInHttp.send(exchange, 200, "text/plain", new byte[0]);
    }
  }

  private void create(HttpExchange exchange, String json, String parent, String id) throws IOException {
    if (id == null || !FUNCTION_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("functionId '" + id + "' must match " + FUNCTION_ID);
    }
    Function.Builder body = Function.newBuilder();
    PARSER.merge(json, body);
    String name = parent + "/functions/" + id;
    if (!body.getName().isEmpty() && !body.getName().equals(name)) {
      throw new IllegalArgumentException("function.name " + body.getName() + " is not " + name);
    }
    validate(body.build(), true);
    Deployed d = new Deployed(id);
    if (functions.putIfAbsent(id, d) != null) {
      StandInHttp.error(exchange, 409, "ALREADY_EXISTS", "Function " + name + " already exists");
      return;
    }
    d.function = body.setName(name).setState(Function.State.DEPLOYING).build();
    Operation op = startOperation(parent, name, "create", () -> deploy(d, d.function, true));
    StandInHttp.json(exchange, 200, PRINTER.print(op));
  }

  private void update(HttpExchange exchange, String json, String parent, String id, String mask) throws IOException {
    Deployed d = functions.get(id);
    if (d == null) {
      StandInHttp.error(exchange, 404, "NOT_FOUND", "Function " + id + " does not exist");
      return;
    }
    Function.Builder body = Function.newBuilder();
    PARSER.merge(json, body);
    Function current = d.function;
    Function.Builder next = current.toBuilder();
    boolean newSource;
    if (mask == null || mask.isEmpty()) {
      validate(body.build(), true);
      newSource = !body.getBuildConfig().getSource().equals(current.getBuildConfig().getSource());
      next.setBuildConfig(body.getBuildConfig()).setServiceConfig(body.getServiceConfig()).clearLabels()
          .putAllLabels(body.getLabelsMap());
    } else {
      newSource = false;
      for (String path : mask.split(",")) {
        String field = path.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
        if (field.equals("service_config.environment_variables")) {
          next.setServiceConfig(next.getServiceConfig().toBuilder().clearEnvironmentVariables()
              .putAllEnvironmentVariables(body.getServiceConfig().getEnvironmentVariablesMap()));
        } else {
          throw new IllegalArgumentException("the stand-in does not update the field " + path);
        }
      }
      validate(next.build(), false);
    }
    Function wanted = next.setState(Function.State.DEPLOYING).build();
    d.function = wanted;
    boolean rebuild = newSource;
    Operation op = startOperation(parent, current.getName(), "update", () -> deploy(d, wanted, rebuild));
    StandInHttp.json(exchange, 200, PRINTER.print(op));
  }

  private void delete(HttpExchange exchange, String parent, String id) throws IOException {
    Deployed d = functions.remove(id);
    if (d == null) {
      StandInHttp.error(exchange, 404, "NOT_FOUND", "Function " + id + " does not exist");
      return;
    }
    synchronized (this) {
      d.instances.forEach(Instance::kill);
      d.instances.clear();
    }
    Operation op = startOperation(parent, d.function.getName(), "delete", () -> com.google.protobuf.Empty.getDefaultInstance());
    StandInHttp.json(exchange, 200, PRINTER.print(op));
  }

  private void get(HttpExchange exchange, String id) throws IOException {
    Deployed d = functions.get(id);
    if (d == null) {
      StandInHttp.error(exchange, 404, "NOT_FOUND", "Resource 'projects/" + project + "/locations/.../functions/"
          + id + "' was not found");
    } else {
      StandInHttp.json(exchange, 200, PRINTER.print(d.function));
    }
  }

  private void list(HttpExchange exchange, String parent) throws IOException {
    ListFunctionsResponse.Builder list = ListFunctionsResponse.newBuilder();
    functions.values().stream().map(d -> d.function).filter(f -> f.getName().startsWith(parent + "/"))
        .sorted(java.util.Comparator.comparing(Function::getName)).forEach(list::addFunctions);
    StandInHttp.json(exchange, 200, PRINTER.print(list));
  }

  /** Google's checks of a 2nd-gen function's configuration. */
  private void validate(Function f, boolean needsSource) {
    if (f.getEnvironment() != Environment.GEN_2) {
      throw new IllegalArgumentException("environment must be GEN_2, was " + f.getEnvironment());
    }
    if (!RUNTIMES.contains(f.getBuildConfig().getRuntime())) {
      throw new IllegalArgumentException("runtime '" + f.getBuildConfig().getRuntime() + "' is not one of " + RUNTIMES);
    }
    if (f.getBuildConfig().getEntryPoint().isEmpty()) {
      throw new IllegalArgumentException("buildConfig.entryPoint is required");
    }
    if (needsSource) {
      String object = f.getBuildConfig().getSource().getStorageSource().getObject();
      byte[] zip = uploads.get(object);
      if (zip == null || zip.length == 0) {
        throw new IllegalArgumentException("buildConfig.source.storageSource names '" + object + "', which was not"
            + " uploaded to an upload URL");
      }
    }
    ServiceConfig s = f.getServiceConfig();
    Matcher memory = MEMORY.matcher(s.getAvailableMemory());
    if (!memory.matches()) {
      throw new IllegalArgumentException("serviceConfig.availableMemory '" + s.getAvailableMemory() + "' is not a"
          + " quantity such as 256Mi or 1Gi");
    }
    double mib = Double.parseDouble(memory.group(1)) * (memory.group(2).startsWith("G") ? 1024 : 1);
    double cpu = Double.parseDouble(s.getAvailableCpu().isEmpty() ? "0.167" : s.getAvailableCpu());
    if (mib < 128 || mib > 32768) {
      throw new IllegalArgumentException("availableMemory must be between 128Mi and 32Gi");
    }
    if (cpu > 1 && cpu != Math.rint(cpu)) {
      throw new IllegalArgumentException("Invalid value specified for cpu. cpu must be a whole number above 1");
    }
    if ((mib > 512 && cpu < 0.5) || (mib > 1024 && cpu < 1)) {
      throw new IllegalArgumentException("Invalid value specified for cpu. Total memory of " + (int) mib + " Mi"
          + " requires at least " + (mib > 1024 ? "1" : "0.5") + " cpu");
    }
    if (cpu >= 1 && mib < 512) {
      throw new IllegalArgumentException("Invalid value specified for cpu. Total memory < 512 Mi is not supported"
          + " with cpu >= 1");
    }
    if (s.getMaxInstanceRequestConcurrency() > 1 && cpu < 1) {
      throw new IllegalArgumentException("maxInstanceRequestConcurrency > 1 requires at least 1 cpu");
    }
    if (s.getTimeoutSeconds() < 1 || s.getTimeoutSeconds() > 3600) {
      throw new IllegalArgumentException("timeoutSeconds must be between 1 and 3600");
    }
    f.getLabelsMap().forEach((k, v) -> {
      if (!k.matches("[a-z][a-z0-9_-]{0,62}") || !v.matches("[a-z0-9_-]{0,63}")) {
        throw new IllegalArgumentException("label " + k + "=" + v + " is not a valid label");
      }
    });
  }

  private Operation startOperation(String parent, String target, String verb, java.util.function.Supplier<Message> work) {
    String name = parent + "/operations/operation-" + operationIds.incrementAndGet() + "-" + UUID.randomUUID();
    Instant now = Instant.now();
    OperationMetadata metadata = OperationMetadata.newBuilder().setTarget(target).setVerb(verb).setApiVersion("v2")
        .setCreateTime(timestamp(now)).build();
    Operation op = Operation.newBuilder().setName(name).setMetadata(Any.pack(metadata)).setDone(false).build();
    operations.put(name, op);
    builds.submit(() -> {
      Operation.Builder done = op.toBuilder().setDone(true)
          .setMetadata(Any.pack(metadata.toBuilder().setEndTime(timestamp(Instant.now())).build()));
      try {
        done.setResponse(Any.pack(work.get()));
      } catch (RuntimeException e) {
        done.setError(Status.newBuilder().setCode(3).setMessage(e.getMessage() == null ? e.toString() : e.getMessage()));
      }
      operations.put(name, done.build());
    });
    return op;
  }

  /** Builds the source (when new), moves the function to a new revision and retires the old one's instances. */
  private Function deploy(Deployed d, Function wanted, boolean newSource) {
    try {
      if (newSource || d.source == null) {
        Path dir = workDir.resolve(d.id + "-" + (d.revision + 1));
        Command.deleteTree(dir);
        unzip(uploads.get(wanted.getBuildConfig().getSource().getStorageSource().getObject()), dir);
        runtimes.build(dir, wanted.getBuildConfig().getRuntime());
        d.source = dir;
      }
    } catch (RuntimeException | IOException e) {
      d.function = wanted.toBuilder().setState(Function.State.FAILED).build();
      throw new IllegalStateException("Build failed: " + e.getMessage(), e);
    }
    synchronized (this) {
      d.revision++;
      d.instances.removeIf(i -> {
        if (!i.busy) {
          i.kill();
          return true;
        }
        return false; // in flight: retired when its request is done
      });
      d.function = wanted.toBuilder().setState(Function.State.ACTIVE).setUpdateTime(timestamp(Instant.now()))
          .setUrl(baseUrl + "/run/" + d.id)
          // Google adds LOG_EXECUTION_ID=true to every 2nd-gen function's variables (since June 2024)
          .setServiceConfig(wanted.getServiceConfig().toBuilder().setUri(baseUrl + "/run/" + d.id)
              .putEnvironmentVariables("LOG_EXECUTION_ID", "true")
              .setService(wanted.getName().replace("/functions/", "/services/"))
              .setRevision(d.revisionName()))
          .build();
    }
    return d.function;
  }

  private static void unzip(byte[] zip, Path dir) throws IOException {
    Files.createDirectories(dir);
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        Path target = dir.resolve(e.getName()).normalize();
        if (!target.startsWith(dir)) {
          throw new IOException("zip entry outside the source: " + e.getName());
        }
        if (!e.isDirectory()) {
          Files.createDirectories(target.getParent());
          Files.copy(in, target);
        }
      }
    }
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  private static String queryParam(String query, String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  // ------------------------------------------------------------------------------------------- the functions

  /** A request to a function's URL, as Cloud Run's front end handles it. */
  void handleRun(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    String id = exchange.getRequestURI().getPath().substring("/run/".length());
    Deployed d = functions.get(id);
    String traceHeader = exchange.getRequestHeaders().getFirst(GcpPlatform.TRACE_HEADER);
    String trace = traceHeader == null ? UUID.randomUUID().toString().replace("-", "")
        : traceHeader.substring(0, traceHeader.indexOf('/') < 0 ? traceHeader.length() : traceHeader.indexOf('/'));
    if (d == null || d.function.getState() != Function.State.ACTIVE) {
      StandInHttp.send(exchange, 404, "text/html", "<h1>Error: Page not found</h1>".getBytes(StandardCharsets.UTF_8));
      return;
    }
    String url = baseUrl + "/run/" + id;
    if (!isPublic(id) && !tokens.authorizesIdToken(exchange.getRequestHeaders().getFirst("Authorization"), url)) {
      StandInHttp.send(exchange, 403, "text/html", ("<h1>Error: Forbidden</h1><h2>Your client does not have permission"
          + " to get URL /run/" + id + " from this server.</h2>").getBytes(StandardCharsets.UTF_8));
      return;
    }
    byte[] body = StandInHttp.body(exchange);
    int status = 0;
    // when the answer is ready to go: the request log's latency ends there. Taken before the send, not after, so the
    // logged span lies inside the client's even when this thread is descheduled between writing and reading the clock
    // (the client may have the answer before send() returns here)
    long answered = 0;
    // an idle instance that exited since its last request refuses the connection before the request is sent:
    // like Cloud Run's front end, the request then goes to another instance
    for (int attempt = 1; status == 0; attempt++) {
      Instance instance;
      Function function;
      synchronized (this) {
        function = d.function; // the revision being served, read with it
      }
      try {
        instance = acquire(d, function);
      } catch (TooManyInstances e) {
        status = 429;
        answered = System.nanoTime();
        StandInHttp.send(exchange, status, "text/plain", e.getMessage().getBytes(StandardCharsets.UTF_8));
        break;
      } catch (RuntimeException e) {
        status = 503;
        answered = System.nanoTime();
        StandInHttp.send(exchange, status, "text/plain", ("The instance could not start: " + e.getMessage())
            .getBytes(StandardCharsets.UTF_8));
        break;
      }
      // the instance is free again once its answer is read, before the answer goes back to the client: the
      // client's next request may arrive the moment it has the answer, and must find this instance idle (as on
      // Cloud Run, where the instance is done when it has sent its response)
      Forwarded answer = null;
      String failure = null;
      boolean instanceLost = false;
      try {
        answer = forward(exchange, instance, function, traceHeader, body);
        instanceLost = answer.instanceExits();
      } catch (java.net.ConnectException e) {
        instanceLost = true;
        if (attempt >= 3) {
          status = 503;
          failure = "No instance accepted the request: " + e;
        }
      } catch (SocketTimeoutException e) {
        instanceLost = true;
        status = 504;
        failure = "upstream request timeout";
      } catch (IOException e) {
        instanceLost = true;
        status = 503;
        failure = "The request failed because the HTTP connection to the instance had an error: " + e;
      } finally {
        release(d, instance, instanceLost);
      }
      if (answer != null) {
        status = answer.status();
        answered = System.nanoTime();
        StandInHttp.send(exchange, status, answer.contentType(), answer.body());
      } else if (failure != null) {
        answered = System.nanoTime();
        StandInHttp.send(exchange, status, "text/plain", failure.getBytes(StandardCharsets.UTF_8));
      }
    }
    logging.record(id, d.revisionName(), trace, status, (answered - start) / 1000);
  }

  /**
   * The instance's answer: its status, and whether the runtime said it is exiting (Google's Node.js Functions
   * Framework answers a function that calls process.exit with 500 and {@code X-Google-Status: crash}, then exits).
   */
  private record Forwarded(int status, String contentType, byte[] body, boolean instanceExits) {}

  /** Whether the service's policy lets allUsers invoke it. */
  private boolean isPublic(String id) {
    String policy = policies.get(id);
    if (policy == null) {
      return false;
    }
    try {
      for (com.fasterxml.jackson.databind.JsonNode b : StandInHttp.JSON.readTree(policy).path("bindings")) {
        if (b.path("role").asText().equals("roles/run.invoker") && b.path("members").toString().contains("\"allUsers\"")) {
          return true;
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  /** Sends the request to the instance and reads its answer. */
  private static Forwarded forward(HttpExchange exchange, Instance instance, Function function, String traceHeader,
      byte[] body) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + instance.port + "/").toURL()
        .openConnection();
    connection.setRequestMethod(exchange.getRequestMethod());
    connection.setDoOutput(true);
    connection.setConnectTimeout(10_000);
    connection.setReadTimeout(function.getServiceConfig().getTimeoutSeconds() * 1000);
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (contentType != null) {
      connection.setRequestProperty("Content-Type", contentType);
    }
    if (traceHeader != null) {
      connection.setRequestProperty(GcpPlatform.TRACE_HEADER, traceHeader);
    }
    try (OutputStream out = connection.getOutputStream()) {
      out.write(body);
    }
    int status = connection.getResponseCode();
    InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
    byte[] answer = in == null ? new byte[0] : in.readAllBytes();
    String type = connection.getContentType();
    boolean exits = "crash".equals(connection.getHeaderField("X-Google-Status"));
    return new Forwarded(status, type == null ? "application/octet-stream" : type, answer, exits);
  }

  private static final class TooManyInstances extends RuntimeException {
    TooManyInstances(String message) {
      super(message);
    }
  }

  /** An idle instance of the current revision, or a new one when the function may have another. */
  private Instance acquire(Deployed d, Function function) {
    int revision;
    synchronized (this) {
      d.instances.removeIf(i -> !i.process.isAlive());
      revision = d.revision;
      for (Instance i : d.instances) {
        if (!i.busy && i.revision == revision) {
          i.busy = true;
          return i;
        }
      }
      long current = d.instances.stream().filter(i -> i.revision == revision).count() + d.starting;
      if (current >= function.getServiceConfig().getMaxInstanceCount()) {
        throw new TooManyInstances("Rate exceeded: the function has " + current + " busy instances, its maximum");
      }
      d.starting++;
    }
    try {
      return start(d, function, revision);
    } finally {
      synchronized (this) {
        d.starting--;
      }
    }
  }

  private Instance start(Deployed d, Function function, int revision) {
    int port = freePort();
    Map<String, String> env = new LinkedHashMap<>(instanceEnvironment);
    env.putAll(function.getServiceConfig().getEnvironmentVariablesMap());
    env.put("PORT", Integer.toString(port));
    env.put("K_SERVICE", d.id);
    env.put("K_REVISION", d.revisionName());
    env.put("K_CONFIGURATION", d.id);
    env.put("FUNCTION_TARGET", function.getBuildConfig().getEntryPoint());
    env.put("FUNCTION_SIGNATURE_TYPE", "http");
    Process process;
    try {
      process = runtimes.start(d.source, function.getBuildConfig().getRuntime(),
          function.getBuildConfig().getEntryPoint(), env, port);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start an instance of " + d.id, e);
    }
    Instance instance = new Instance(process, port, revision);
    synchronized (this) {
      d.instances.add(instance);
    }
    try {
      runtimes.waitUntilReady(process, port, Duration.ofSeconds(90));
    } catch (RuntimeException e) {
      instance.kill();
      synchronized (this) {
        d.instances.remove(instance);
      }
      throw e;
    }
    return instance;
  }

  private synchronized void release(Deployed d, Instance instance, boolean lost) {
    instance.busy = false;
    if (lost || instance.revision != d.revision || !functions.containsKey(d.id)) {
      instance.kill();
      d.instances.remove(instance);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() {
    for (Deployed d : functions.values()) {
      d.instances.forEach(Instance::kill);
      d.instances.clear();
    }
    builds.shutdownNow();
    runtimes.close();
  }
}
