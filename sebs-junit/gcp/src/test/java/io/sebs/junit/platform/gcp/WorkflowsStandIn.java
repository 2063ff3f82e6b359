package io.sebs.junit.platform.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.workflows.v1.OperationMetadata;
import com.google.cloud.workflows.v1.Workflow;
import com.google.longrunning.Operation;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google Workflows v1 ({@code projects/{p}/locations/{l}/workflows}: create, get, patch, delete, list, and their
 * operations, done at once) and the Executions API v1 ({@code .../workflows/{w}/executions}: create, get,
 * cancel) for the stand-in. A workflow's source (JSON) is checked strictly on deployment by {@link
 * GoogleWorkflowsInterpreter}, so a source Google would refuse is a 400 here as well; each execution runs the
 * interpreter on its own thread, calling the functions' URLs with an ID token {@link StandInTokens} minted for
 * the call's OIDC audience (the function stand-in checks it), and ends SUCCEEDED with its {@code result} (JSON
 * text) or FAILED with {@code error: {payload, context}}, the payload the raised error map as JSON text, as
 * Google reports it. YAML sources are not read (the platform deploys JSON).
 */
final class WorkflowsStandIn {

  private static final Pattern WORKFLOWS = Pattern.compile("/v1/(projects/[^/]+/locations/[^/]+)/workflows");
  private static final Pattern WORKFLOW = Pattern.compile("/v1/(projects/[^/]+/locations/[^/]+/workflows/[^/:]+)");
  private static final Pattern OPERATION = Pattern.compile("/v1/(projects/[^/]+/locations/[^/]+/operations/[^/]+)");
  private static final Pattern EXECUTIONS =
      Pattern.compile("/v1/(projects/[^/]+/locations/[^/]+/workflows/[^/]+)/executions");
  private static final Pattern EXECUTION =
      Pattern.compile("/v1/(projects/[^/]+/locations/[^/]+/workflows/[^/]+/executions/[^/:]+)(:cancel)?");
  private static final JsonFormat.TypeRegistry TYPES = JsonFormat.TypeRegistry.newBuilder()
      .add(Workflow.getDescriptor()).add(OperationMetadata.getDescriptor())
      .add(com.google.protobuf.Empty.getDescriptor()).build();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().usingTypeRegistry(TYPES);
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().usingTypeRegistry(TYPES).ignoringUnknownFields();

  private final Predicate<String> authorized;
  private final StandInTokens tokens;
  private final Map<String, Workflow> workflows = new ConcurrentHashMap<>();
  private final Map<String, Operation> operations = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> executions = new ConcurrentHashMap<>();
  private final AtomicInteger revisions = new AtomicInteger();
  private final AtomicInteger executionCount = new AtomicInteger();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final ExecutorService runs = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "gcp-standin-execution");
    t.setDaemon(true);
    return t;
  });

  WorkflowsStandIn(Predicate<String> authorized, StandInTokens tokens) {
    this.authorized = authorized;
    this.tokens = tokens;
  }

  /** Whether a {@code /v1/} path is this API's. */
  static boolean handles(String path) {
    return path.matches("/v1/projects/[^/]+/locations/[^/]+/(workflows|operations)(/.*)?");
  }

  /** The deployed workflows by full name. */
  Map<String, Workflow> workflows() {
    return Map.copyOf(workflows);
  }

  /** How many executions were started (a test's check that the orchestrator, not the client, ran the flow). */
  int executionCount() {
    return executionCount.get();
  }

  void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!authorized.test(exchange.getRequestHeaders().getFirst("Authorization"))) {
        StandInHttp.error(exchange, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      Map<String, String> query = query(exchange.getRequestURI());
      Matcher m;
      if ((m = EXECUTIONS.matcher(path)).matches() && method.equals("POST")) {
        startExecution(exchange, m.group(1));
      } else if ((m = EXECUTION.matcher(path)).matches()) {
        ObjectNode execution = executions.get(m.group(1));
        if (execution == null) {
          StandInHttp.error(exchange, 404, "NOT_FOUND", "Execution " + m.group(1) + " not found");
        } else if (m.group(2) != null && method.equals("POST")) {
          synchronized (execution) {
            if (execution.path("state").asText().equals("ACTIVE")) {
              execution.put("state", "CANCELLED");
              execution.put("endTime", Instant.now().toString());
            }
            StandInHttp.json(exchange, 200, execution.toString());
          }
        } else if (method.equals("GET")) {
          synchronized (execution) {
            StandInHttp.json(exchange, 200, execution.toString());
          }
        } else {
          StandInHttp.error(exchange, 405, "METHOD_NOT_ALLOWED", method + " " + path);
        }
      } else if ((m = OPERATION.matcher(path)).matches() && method.equals("GET")) {
        Operation op = operations.get(m.group(1));
        if (op == null) {
          StandInHttp.error(exchange, 404, "NOT_FOUND", "Operation " + m.group(1) + " not found");
        } else {
          StandInHttp.json(exchange, 200, PRINTER.print(op));
        }
      } else if ((m = WORKFLOWS.matcher(path)).matches()) {
        String parent = m.group(1);
        if (method.equals("GET")) {
          ArrayNode list = StandInHttp.JSON.createArrayNode();
          for (Workflow w : workflows.values()) {
            if (w.getName().startsWith(parent + "/workflows/")) {
              list.add(StandInHttp.JSON.readTree(PRINTER.print(w)));
            }
          }
          ObjectNode answer = StandInHttp.JSON.createObjectNode();
          answer.set("workflows", list);
          StandInHttp.json(exchange, 200, answer.toString());
        } else if (method.equals("POST")) {
          String id = query.get("workflowId");
          if (id == null || !id.matches("[A-Za-z][A-Za-z0-9_-]{0,63}")) {
            StandInHttp.error(exchange, 400, "INVALID_ARGUMENT", "workflowId " + id + " is not a valid workflow id");
            return;
          }
          String name = parent + "/workflows/" + id;
          if (workflows.containsKey(name)) {
            StandInHttp.error(exchange, 409, "ALREADY_EXISTS", "Workflow " + name + " already exists");
            return;
          }
          Workflow.Builder wanted = Workflow.newBuilder();
          PARSER.merge(new String(StandInHttp.body(exchange), StandardCharsets.UTF_8), wanted);
          deploy(exchange, parent, wanted.setName(name).build(), "create");
        } else {
          StandInHttp.error(exchange, 405, "METHOD_NOT_ALLOWED", method + " " + path);
        }
      } else if ((m = WORKFLOW.matcher(path)).matches()) {
        String name = m.group(1);
        String parent = name.substring(0, name.indexOf("/workflows/"));
        Workflow current = workflows.get(name);
        if (current == null) {
          StandInHttp.error(exchange, 404, "NOT_FOUND", "Resource '" + name + "' was not found");
        } else if (method.equals("GET")) {
          StandInHttp.json(exchange, 200, PRINTER.print(current));
        } else if (method.equals("PATCH")) {
          Workflow.Builder patch = Workflow.newBuilder();
          PARSER.merge(new String(StandInHttp.body(exchange), StandardCharsets.UTF_8), patch);
          Workflow.Builder updated = current.toBuilder();
          String mask = query.getOrDefault("updateMask", "");
          for (String field : mask.split(",")) {
            switch (field.trim()) {
              case "sourceContents", "source_contents" -> updated.setSourceContents(patch.getSourceContents());
              case "labels" -> updated.clearLabels().putAllLabels(patch.getLabelsMap());
              case "description" -> updated.setDescription(patch.getDescription());
              case "serviceAccount", "service_account" -> updated.setServiceAccount(patch.getServiceAccount());
              case "" -> { }
              default -> throw new IllegalArgumentException("updateMask field " + field + " is not supported here");
            }
          }
          deploy(exchange, parent, updated.build(), "update");
        } else if (method.equals("DELETE")) {
          workflows.remove(name);
          Operation op = operation(parent, name, "delete", com.google.protobuf.Empty.getDefaultInstance());
          StandInHttp.json(exchange, 200, PRINTER.print(op));
        } else {
          StandInHttp.error(exchange, 405, "METHOD_NOT_ALLOWED", method + " " + path);
        }
      } else {
        StandInHttp.error(exchange, 404, "NOT_FOUND", "The stand-in has no " + method + " " + path);
      }
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      StandInHttp.error(exchange, 400, "INVALID_ARGUMENT", "Invalid request: " + e.getMessage());
    }
  }

  /** Checks the source as Google's deployment does and stores the new revision. */
  private void deploy(HttpExchange exchange, String parent, Workflow wanted, String verb) throws IOException {
    JsonNode source;
    try {
      source = StandInHttp.JSON.readTree(wanted.getSourceContents());
    } catch (IOException e) {
      StandInHttp.error(exchange, 400, "INVALID_ARGUMENT", "Workflow source is not valid JSON: " + e.getMessage());
      return;
    }
    try {
      new GoogleWorkflowsInterpreter(source, (u, a, b, t) -> null).close();
    } catch (IllegalArgumentException e) {
      StandInHttp.error(exchange, 400, "INVALID_ARGUMENT", "Workflow source is invalid: " + e.getMessage());
      return;
    }
    wanted.getLabelsMap().forEach((k, v) -> {
      if (!k.matches("[a-z][a-z0-9_-]{0,62}") || !v.matches("[a-z0-9_-]{0,63}")) {
        throw new IllegalArgumentException("label " + k + "=" + v + " is not a valid label");
      }
    });
    Instant now = Instant.now();
    Workflow stored = wanted.toBuilder().setState(Workflow.State.ACTIVE)
        .setRevisionId(String.format("%06d-%s", revisions.incrementAndGet(), UUID.randomUUID().toString().substring(0, 3)))
        .setUpdateTime(timestamp(now)).setRevisionCreateTime(timestamp(now)).build();
    workflows.put(stored.getName(), stored);
    StandInHttp.json(exchange, 200, PRINTER.print(operation(parent, stored.getName(), verb, stored)));
  }

  private Operation operation(String parent, String target, String verb, com.google.protobuf.Message response) {
    String name = parent + "/operations/operation-" + UUID.randomUUID();
    OperationMetadata metadata = OperationMetadata.newBuilder().setTarget(target).setVerb(verb).setApiVersion("v1")
        .setCreateTime(timestamp(Instant.now())).setEndTime(timestamp(Instant.now())).build();
    Operation op = Operation.newBuilder().setName(name).setMetadata(Any.pack(metadata)).setDone(true)
        .setResponse(Any.pack(response)).build();
    operations.put(name, op);
    return op;
  }

  private void startExecution(HttpExchange exchange, String workflowName) throws IOException {
    Workflow workflow = workflows.get(workflowName);
    if (workflow == null) {
      StandInHttp.error(exchange, 404, "NOT_FOUND", "Workflow " + workflowName + " not found");
      return;
    }
    JsonNode request = StandInHttp.JSON.readTree(StandInHttp.body(exchange));
    JsonNode argument = null;
    if (request.hasNonNull("argument")) {
      try {
        argument = StandInHttp.JSON.readTree(request.get("argument").asText());
      } catch (IOException e) {
        StandInHttp.error(exchange, 400, "INVALID_ARGUMENT", "argument is not JSON text: " + e.getMessage());
        return;
      }
    }
    String name = workflowName + "/executions/" + UUID.randomUUID();
    ObjectNode execution = StandInHttp.JSON.createObjectNode();
    execution.put("name", name);
    execution.put("startTime", Instant.now().toString());
    execution.put("state", "ACTIVE");
    execution.put("argument", request.path("argument").asText("null"));
    execution.put("workflowRevisionId", workflow.getRevisionId());
    executions.put(name, execution);
    executionCount.incrementAndGet();
    JsonNode source = StandInHttp.JSON.readTree(workflow.getSourceContents());
    JsonNode input = argument;
    String answer;
    synchronized (execution) {
      answer = execution.toString();
    }
    runs.submit(() -> run(execution, source, input));
    StandInHttp.json(exchange, 200, answer);
  }

  private void run(ObjectNode execution, JsonNode source, JsonNode argument) {
    GoogleWorkflowsInterpreter interpreter = new GoogleWorkflowsInterpreter(source, this::post);
    String state;
    String result = null;
    ObjectNode error = null;
    try {
      JsonNode value = interpreter.run(argument);
      state = "SUCCEEDED";
      result = value.toString();
    } catch (GoogleWorkflowsInterpreter.WorkflowError e) {
      state = "FAILED";
      error = StandInHttp.JSON.createObjectNode();
      error.put("payload", e.error.toString());
      error.put("context", "RuntimeError: the workflow raised an exception that was not caught");
    } catch (RuntimeException e) {
      state = "FAILED";
      error = StandInHttp.JSON.createObjectNode();
      error.put("payload", String.valueOf(e));
      error.put("context", "the stand-in's interpreter failed");
    } finally {
      interpreter.close();
    }
    synchronized (execution) {
      if (!execution.path("state").asText().equals("ACTIVE")) {
        return; // cancelled meanwhile
      }
      execution.put("endTime", Instant.now().toString());
      execution.put("state", state);
      if (result != null) {
        execution.put("result", result);
      }
      if (error != null) {
        execution.set("error", error);
      }
    }
  }

  /** An http.post of the workflow, with an ID token for its OIDC audience. */
  private GoogleWorkflowsInterpreter.Answer post(String url, String audience, JsonNode body, int timeoutSeconds)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(timeoutSeconds))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (audience != null) {
      request.header("Authorization", "Bearer " + tokens.idToken(audience));
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new GoogleWorkflowsInterpreter.Answer(response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(null), response.body());
  }

  void close() {
    runs.shutdownNow();
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> query = new java.util.HashMap<>();
    String raw = uri.getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return query;
  }
}
