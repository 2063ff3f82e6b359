package io.sebs.junit.platform.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * A local stand-in for the AWS Step Functions API, on loopback, speaking its protocol (AWS JSON 1.0, {@code
 * X-Amz-Target: AWSStepFunctions.<operation>}) for the calls the aws platform makes, and recording every
 * request so tests can check them. It checks what Step Functions checks at the door: the definition must be
 * a valid state machine of the States Language (JSON; StartAt, transitions and state names valid, names
 * unique in the whole machine, every Task a Lambda ARN, paths that are paths), and the role must be one the
 * IAM stand-in has, trusting states.amazonaws.com.
 *
 * <p>And it REALLY EXECUTES state machines: an interpreter of the States Language (JSONPath) for Task
 * (a Lambda function invoked through the Lambda stand-in with the AWS SDK, by its ARN, the way Step
 * Functions does; a function error becomes error = its errorType, cause = Lambda's error JSON), Pass,
 * Choice (And/Or/Not, String*, Numeric*, BooleanEquals, IsNull/IsPresent/IsNumeric/IsString/IsBoolean,
 * StringMatches), Succeed, Fail, Map (ItemsPath, ItemSelector or Parameters, ItemProcessor or Iterator,
 * MaxConcurrency: 1 runs the items one by one, else all at once) and Parallel, with InputPath, Parameters,
 * ResultSelector, ResultPath, OutputPath, Catch and the machine's TimeoutSeconds; paths {@code $}, {@code
 * $.a.b}, {@code $[0]}, {@code $[0].x} and the context {@code $$.Map.Item.Value}/{@code Index}, {@code
 * $$.Execution.Id}, {@code $$.State.Name}; intrinsic functions States.StringToJson and States.JsonMerge.
 * Express machines run with StartSyncExecution (answered at the end), any with StartExecution (then
 * DescribeExecution, StopExecution).
 */
final class StepFunctionsStub implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final String ACCOUNT = "123456789012";
  static final String REGION = "us-east-1";
  private static final Pattern ROLE_ARN = Pattern.compile("arn:aws:iam::\\d{12}:role/(.+)");
  private static final Pattern LAMBDA_ARN = Pattern.compile("arn:aws:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]+");
  private static final Set<String> PATH_FIELDS = Set.of("InputPath", "OutputPath", "ResultPath", "ItemsPath");

  /** One request as the SDK sent it. */
  record Request(String operation, Map<String, String> headers, JsonNode body) {}

  private final HttpServer server;
  private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "sfn-stub");
    t.setDaemon(true);
    return t;
  });
  private final LambdaClient lambda;
  private final Function<String, Optional<String>> trustPolicies;
  final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, ObjectNode> machines = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> tags = new ConcurrentHashMap<>();
  private final Map<String, Execution> executions = new ConcurrentHashMap<>();

  /**
   * @param lambdaEndpoint the Lambda stand-in that Task states invoke
   * @param trustPolicies a role's trust policy by role name, as the IAM stand-in has it
   */
  StepFunctionsStub(URI lambdaEndpoint, String accessKey, String secret,
      Function<String, Optional<String>> trustPolicies) throws IOException {
    this.trustPolicies = trustPolicies;
    this.lambda = LambdaClient.builder().region(Region.of(REGION)).endpointOverride(lambdaEndpoint)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
        .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMinutes(5))).build();
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(workers); // a StartSyncExecution waits for its execution without holding up other calls
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  List<Request> requests(String operation) {
    return requests.stream().filter(r -> r.operation().equals(operation)).toList();
  }

  /** The state machines as they are now, by ARN. */
  Map<String, ObjectNode> machines() {
    return Map.copyOf(machines);
  }

  // ------------------------------------------------------------------------------------------- API

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      Map<String, String> headers = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
      byte[] raw = exchange.getRequestBody().readAllBytes();
      if (!exchange.getRequestMethod().equals("POST") || target == null || !target.startsWith("AWSStepFunctions.")
          || contentType == null || !contentType.startsWith("application/x-amz-json-1.0")) {
        error(exchange, 400, "UnknownOperationException", "not an AWS JSON 1.0 request to AWSStepFunctions: "
            + exchange.getRequestMethod() + " " + target + " " + contentType);
        return;
      }
      String operation = target.substring("AWSStepFunctions.".length());
      JsonNode body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
      requests.add(new Request(operation, headers, body));
      try {
        answer(exchange, 200, call(operation, body));
      } catch (ApiError e) {
        error(exchange, 400, e.type, e.getMessage());
      } catch (RuntimeException e) {
        error(exchange, 500, "InternalFailure", "stub failure: " + e);
      }
    }
  }

  /** An error of the API, answered as {@code {"__type", "message"}}. */
  private static final class ApiError extends RuntimeException {
    final String type;

    ApiError(String type, String message) {
      super(message, null, false, false);
      this.type = type;
    }
  }

  private JsonNode call(String operation, JsonNode body) {
    return switch (operation) {
      case "CreateStateMachine" -> create(body);
      case "DescribeStateMachine" -> {
        ObjectNode machine = machine(body.path("stateMachineArn").asText());
        ObjectNode answer = machine.deepCopy();
        answer.put("status", "ACTIVE");
        yield answer;
      }
      case "UpdateStateMachine" -> {
        ObjectNode machine = machine(body.path("stateMachineArn").asText());
        if (body.has("definition")) {
          validate(body.path("definition").asText());
        }
        if (body.has("roleArn")) {
          checkRole(body.path("roleArn").asText());
        }
        synchronized (machine) {
          if (body.has("definition")) {
            machine.put("definition", body.path("definition").asText());
          }
          if (body.has("roleArn")) {
            machine.put("roleArn", body.path("roleArn").asText());
          }
        }
        yield JSON.createObjectNode().put("updateDate", seconds(Instant.now()));
      }
      case "DeleteStateMachine" -> {
        machines.remove(body.path("stateMachineArn").asText());
        tags.remove(body.path("stateMachineArn").asText());
        yield JSON.createObjectNode();
      }
      case "ListStateMachines" -> {
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode list = answer.putArray("stateMachines");
        machines.values().forEach(m -> list.addObject().put("stateMachineArn", m.path("stateMachineArn").asText())
            .put("name", m.path("name").asText()).put("type", m.path("type").asText())
            .put("creationDate", m.path("creationDate").asDouble()));
        yield answer;
      }
      case "ListTagsForResource" -> {
        String arn = body.path("resourceArn").asText();
        machine(arn);
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode list = answer.putArray("tags");
        tags.getOrDefault(arn, Map.of()).forEach((k, v) -> list.addObject().put("key", k).put("value", v));
        yield answer;
      }
      case "StartExecution" -> {
        Execution execution = start(body);
        workers.submit(execution::run);
        yield JSON.createObjectNode().put("executionArn", execution.arn).put("startDate", seconds(execution.start));
      }
      case "StartSyncExecution" -> {
        ObjectNode machine = machine(body.path("stateMachineArn").asText());
        if (!machine.path("type").asText().equals("EXPRESS")) {
          throw new ApiError("StateMachineTypeNotSupported", "This operation is not supported by this type of state "
              + "machine");
        }
        Execution execution = start(body);
        execution.run();
        yield execution.describe();
      }
      case "DescribeExecution" -> {
        Execution execution = executions.get(body.path("executionArn").asText());
        if (execution == null) {
          throw new ApiError("ExecutionDoesNotExist", "Execution Does Not Exist: '" + body.path("executionArn").asText()
              + "'");
        }
        yield execution.describe();
      }
      case "StopExecution" -> {
        Execution execution = executions.get(body.path("executionArn").asText());
        if (execution == null) {
          throw new ApiError("ExecutionDoesNotExist", "Execution Does Not Exist");
        }
        execution.aborted = true;
        yield JSON.createObjectNode().put("stopDate", seconds(Instant.now()));
      }
      default -> throw new ApiError("UnknownOperationException", "the stub does not implement " + operation);
    };
  }

  private ObjectNode create(JsonNode body) {
    String name = body.path("name").asText();
    if (!name.matches("[A-Za-z0-9_-]{1,80}")) {
      throw new ApiError("InvalidName", "Invalid Name: '" + name + "'");
    }
    validate(body.path("definition").asText());
    checkRole(body.path("roleArn").asText());
    String arn = "arn:aws:states:" + REGION + ":" + ACCOUNT + ":stateMachine:" + name;
    if (machines.containsKey(arn)) {
      throw new ApiError("StateMachineAlreadyExists", "State Machine Already Exists: '" + arn + "'");
    }
    String type = body.path("type").asText("STANDARD");
    if (!type.equals("STANDARD") && !type.equals("EXPRESS")) {
      throw new ApiError("ValidationException", "type must be STANDARD or EXPRESS, was " + type);
    }
    ObjectNode machine = JSON.createObjectNode();
    machine.put("stateMachineArn", arn);
    machine.put("name", name);
    machine.put("definition", body.path("definition").asText());
    machine.put("roleArn", body.path("roleArn").asText());
    machine.put("type", type);
    machine.put("creationDate", seconds(Instant.now()));
    machines.put(arn, machine);
    Map<String, String> machineTags = new LinkedHashMap<>();
    body.path("tags").forEach(t -> machineTags.put(t.path("key").asText(), t.path("value").asText()));
    tags.put(arn, machineTags);
    return JSON.createObjectNode().put("stateMachineArn", arn).put("creationDate", seconds(Instant.now()));
  }

  private ObjectNode machine(String arn) {
    ObjectNode machine = machines.get(arn);
    if (machine == null) {
      throw new ApiError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
    }
    return machine;
  }

  /** As Step Functions: the role must exist and trust states.amazonaws.com, else it cannot be assumed. */
  private void checkRole(String roleArn) {
    var m = ROLE_ARN.matcher(roleArn);
    if (!m.matches()) {
      throw new ApiError("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: " + roleArn + "'");
    }
    String trust = trustPolicies.apply(m.group(1)).orElse("");
    if (!trust.contains("states.amazonaws.com")) {
      throw new ApiError("AccessDeniedException", "Neither the global service principal states.amazonaws.com, nor "
          + "the regional one is authorized to assume the provided role.");
    }
  }

  private static double seconds(Instant instant) {
    return instant.getEpochSecond() + instant.getNano() / 1e9;
  }

  private static void answer(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
    exchange.getResponseHeaders().set("x-amzn-RequestId", "stub");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
    answer(exchange, status, JSON.createObjectNode().put("__type", type).put("message", message));
  }

  // ------------------------------------------------------------------------------------ validation

  /** What CreateStateMachine checks, as far as the interpreter needs it; InvalidDefinition otherwise. */
  static void validate(String definition) {
    JsonNode machine;
    try {
      machine = JSON.readTree(definition);
    } catch (IOException e) {
      throw new ApiError("InvalidDefinition", "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: "
          + e.getMessage() + "'");
    }
    List<String> problems = new ArrayList<>();
    validateMachine(machine, "", new HashSet<>(), problems);
    if (!problems.isEmpty()) {
      throw new ApiError("InvalidDefinition", "Invalid State Machine Definition: '" + String.join(", ", problems) + "'");
    }
  }

  private static void validateMachine(JsonNode machine, String where, Set<String> names, List<String> problems) {
    if (machine == null || !machine.isObject() || !machine.path("States").isObject() || machine.path("States").isEmpty()) {
      problems.add("SCHEMA_VALIDATION_FAILED: States must be a non-empty object at /" + where);
      return;
    }
    JsonNode states = machine.get("States");
    if (!states.has(machine.path("StartAt").asText())) {
      problems.add("MISSING_TRANSITION_TARGET: StartAt '" + machine.path("StartAt").asText() + "' at /" + where);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = states.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      JsonNode s = e.getValue();
      String at = where + "States/" + name;
      if (!names.add(name)) {
        problems.add("DUPLICATE_STATE_NAME: '" + name + "' at /" + at);
      }
      if (name.length() > 80) {
        problems.add("SCHEMA_VALIDATION_FAILED: the name is longer than 80 characters at /" + at);
      }
      String type = s.path("Type").asText();
      List<String> targets = new ArrayList<>();
      s.path("Catch").forEach(c -> targets.add(c.path("Next").asText()));
      switch (type) {
        case "Task", "Pass", "Map", "Parallel" -> {
          if (s.has("Next") == s.path("End").asBoolean(false)) {
            problems.add("SCHEMA_VALIDATION_FAILED: exactly one of Next and End at /" + at);
          }
          if (s.has("Next")) {
            targets.add(s.path("Next").asText());
          }
        }
        case "Choice" -> {
          if (!s.path("Choices").isArray() || s.path("Choices").isEmpty()) {
            problems.add("SCHEMA_VALIDATION_FAILED: Choices must be a non-empty array at /" + at);
          }
          s.path("Choices").forEach(c -> targets.add(c.path("Next").asText()));
          if (s.has("Default")) {
            targets.add(s.path("Default").asText());
          }
        }
        case "Succeed", "Fail" -> { }
        default -> problems.add("SCHEMA_VALIDATION_FAILED: unknown Type '" + type + "' at /" + at);
      }
      for (String target : targets) {
        if (!states.has(target)) {
          problems.add("MISSING_TRANSITION_TARGET: '" + target + "' at /" + at);
        }
      }
      if (type.equals("Task") && !LAMBDA_ARN.matcher(s.path("Resource").asText()).matches()) {
        problems.add("INVALID_RESOURCE: the stub runs Lambda function ARNs only, not '" + s.path("Resource").asText()
            + "' at /" + at);
      }
      for (String field : PATH_FIELDS) {
        JsonNode path = s.get(field);
        if (path != null && !path.isNull() && !path.asText().startsWith("$")) {
          problems.add("INVALID_JSON_PATH: " + field + " '" + path.asText() + "' at /" + at);
        }
      }
      for (String field : List.of("Parameters", "ItemSelector", "ResultSelector")) {
        validateTemplate(s.get(field), at + "/" + field, problems);
      }
      if (type.equals("Map")) {
        JsonNode processor = s.has("ItemProcessor") ? s.get("ItemProcessor") : s.get("Iterator");
        validateMachine(processor, at + "/ItemProcessor/", names, problems);
      }
      if (type.equals("Parallel")) {
        int i = 0;
        for (JsonNode branch : s.path("Branches")) {
          validateMachine(branch, at + "/Branches[" + i++ + "]/", names, problems);
        }
      }
    }
  }

  private static void validateTemplate(JsonNode template, String at, List<String> problems) {
    if (template == null || !template.isObject()) {
      return;
    }
    template.fields().forEachRemaining(f -> {
      if (f.getKey().endsWith(".$")) {
        String value = f.getValue().asText("");
        if (!f.getValue().isTextual() || !(value.startsWith("$") || value.startsWith("States."))) {
          problems.add("INVALID_JSON_PATH: '" + f.getKey() + "' must be a path or an intrinsic function at /" + at);
        }
      } else {
        validateTemplate(f.getValue(), at + "/" + f.getKey(), problems);
      }
    });
  }

  // ------------------------------------------------------------------------------------ executions

  private Execution start(JsonNode body) {
    ObjectNode machine = machine(body.path("stateMachineArn").asText());
    String name = body.path("name").asText(java.util.UUID.randomUUID().toString());
    String kind = machine.path("type").asText().equals("EXPRESS") ? "express" : "execution";
    String arn = "arn:aws:states:" + REGION + ":" + ACCOUNT + ":" + kind + ":" + machine.path("name").asText() + ":"
        + name;
    JsonNode input;
    try {
      input = JSON.readTree(body.path("input").asText("{}"));
    } catch (IOException e) {
      throw new ApiError("InvalidExecutionInput", "Invalid Execution Input: " + e.getMessage());
    }
    JsonNode definition;
    String role;
    synchronized (machine) {
      definition = readJson(machine.path("definition").asText());
      role = machine.path("roleArn").asText();
    }
    Execution execution = new Execution(arn, name, machine.path("stateMachineArn").asText(), definition, role, input);
    if (executions.putIfAbsent(arn, execution) != null) {
      throw new ApiError("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
    }
    return execution;
  }

  /** A States Language error: {@code Error} and {@code Cause}. */
  static final class StatesError extends RuntimeException {
    final String error;
    final String cause;

    StatesError(String error, String cause) {
      super(error + ": " + cause, null, false, false);
      this.error = error;
      this.cause = cause;
    }
  }

  /** One execution: its interpreter and what it ended with. */
  final class Execution {
    final String arn;
    final String name;
    final String machineArn;
    final JsonNode definition;
    final String roleArn;
    final JsonNode input;
    final Instant start = Instant.now();
    volatile Instant stop;
    volatile String status = "RUNNING";
    volatile JsonNode output;
    volatile String error;
    volatile String cause;
    volatile boolean aborted;

    Execution(String arn, String name, String machineArn, JsonNode definition, String roleArn, JsonNode input) {
      this.arn = arn;
      this.name = name;
      this.machineArn = machineArn;
      this.definition = definition;
      this.roleArn = roleArn;
      this.input = input;
    }

    void run() {
      ObjectNode context = JSON.createObjectNode();
      context.putObject("Execution").put("Id", arn).put("Name", name).set("Input", input);
      try {
        JsonNode result = machine(definition, input, context);
        finish("SUCCEEDED", result, null, null);
      } catch (StatesError e) {
        finish(e.error.equals("States.Timeout") ? "TIMED_OUT" : aborted ? "ABORTED" : "FAILED", null, e.error, e.cause);
      } catch (RuntimeException e) {
        finish("FAILED", null, "States.Runtime", "stub interpreter failure: " + e);
      }
    }

    private void finish(String status, JsonNode output, String error, String cause) {
      this.output = output;
      this.error = error;
      this.cause = cause;
      this.stop = Instant.now();
      this.status = status;
    }

    ObjectNode describe() {
      ObjectNode d = JSON.createObjectNode();
      d.put("executionArn", arn);
      d.put("stateMachineArn", machineArn);
      d.put("name", name);
      d.put("status", status);
      d.put("startDate", seconds(start));
      if (stop != null) {
        d.put("stopDate", seconds(stop));
      }
      d.put("input", input.toString());
      if (output != null) {
        d.put("output", output.toString());
      }
      if (error != null) {
        d.put("error", error);
      }
      if (cause != null) {
        d.put("cause", cause);
      }
      return d;
    }

    // ---------------------------------------------------------------------------- the interpreter

    private JsonNode machine(JsonNode machine, JsonNode input, ObjectNode context) {
      JsonNode states = machine.get("States");
      String current = machine.path("StartAt").asText();
      JsonNode data = input;
      long timeout = definition.path("TimeoutSeconds").asLong(0);
      while (true) {
        if (aborted) {
          throw new StatesError("States.Aborted", "stopped by StopExecution");
        }
        if (timeout > 0 && Duration.between(start, Instant.now()).toSeconds() >= timeout) {
          throw new StatesError("States.Timeout", "the execution ran longer than its TimeoutSeconds " + timeout);
        }
        JsonNode state = states.get(current);
        ObjectNode stateContext = context.deepCopy();
        stateContext.putObject("State").put("Name", current).put("EnteredTime", Instant.now().toString());
        Step step = state(state, data, stateContext);
        data = step.output();
        if (step.next() == null) {
          return data;
        }
        current = step.next();
      }
    }

    /** A state's output and the state after it (null: the (sub-)machine ends). */
    private record Step(JsonNode output, String next) {}

    private Step state(JsonNode state, JsonNode raw, ObjectNode context) {
      String type = state.path("Type").asText();
      try {
        JsonNode effective = inputPath(state, raw, context);
        switch (type) {
          case "Choice" -> {
            for (JsonNode rule : state.path("Choices")) {
              if (holds(rule, effective, context)) {
                return new Step(outputPath(state, effective, context), rule.path("Next").asText());
              }
            }
            if (state.has("Default")) {
              return new Step(outputPath(state, effective, context), state.path("Default").asText());
            }
            throw new StatesError("States.NoChoiceMatched", "No Choice Rule matched and no Default");
          }
          case "Succeed" -> {
            return new Step(outputPath(state, effective, context), null);
          }
          case "Fail" -> throw new StatesError(state.path("Error").asText("States.Fail"), state.path("Cause").asText(""));
          default -> { }
        }
        JsonNode result = switch (type) {
          case "Pass" -> state.has("Result") ? state.get("Result") : parameters(state.get("Parameters"), effective, context);
          case "Task" -> invoke(state.path("Resource").asText(), parameters(state.get("Parameters"), effective, context));
          case "Map" -> map(state, effective, context);
          case "Parallel" -> parallel(state, parameters(state.get("Parameters"), effective, context), context);
          default -> throw new StatesError("States.Runtime", "unknown state type " + type);
        };
        if (state.has("ResultSelector")) {
          result = template(state.get("ResultSelector"), result, context);
        }
        JsonNode output = resultPath(state.has("ResultPath") ? state.get("ResultPath") : NODES.textNode("$"), raw, result);
        return new Step(outputPath(state, output, context), next(state));
      } catch (StatesError e) {
        if (e.error.equals("States.Timeout") || e.error.equals("States.Aborted")) {
          throw e;
        }
        for (JsonNode catcher : state.path("Catch")) {
          for (JsonNode name : catcher.path("ErrorEquals")) {
            if (name.asText().equals("States.ALL") || name.asText().equals(e.error)) {
              ObjectNode errorOutput = JSON.createObjectNode().put("Error", e.error).put("Cause", e.cause);
              JsonNode output = resultPath(catcher.has("ResultPath") ? catcher.get("ResultPath") : NODES.textNode("$"),
                  raw, errorOutput);
              return new Step(output, catcher.path("Next").asText());
            }
          }
        }
        throw e;
      }
    }

    private String next(JsonNode state) {
      return state.path("End").asBoolean(false) ? null : state.path("Next").asText();
    }

    private JsonNode inputPath(JsonNode state, JsonNode raw, ObjectNode context) {
      if (!state.has("InputPath")) {
        return raw;
      }
      return state.get("InputPath").isNull() ? JSON.createObjectNode() : path(state.get("InputPath").asText(), raw, context);
    }

    private JsonNode outputPath(JsonNode state, JsonNode output, ObjectNode context) {
      if (!state.has("OutputPath")) {
        return output;
      }
      return state.get("OutputPath").isNull() ? JSON.createObjectNode()
          : path(state.get("OutputPath").asText(), output, context);
    }

    private JsonNode parameters(JsonNode template, JsonNode input, ObjectNode context) {
      return template == null ? input : template(template, input, context);
    }

    /** Parameters, ItemSelector and ResultSelector: fields ending in {@code .$} take a path's value. */
    private JsonNode template(JsonNode template, JsonNode input, ObjectNode context) {
      if (!template.isObject()) {
        return template;
      }
      ObjectNode out = JSON.createObjectNode();
      template.fields().forEachRemaining(f -> {
        if (f.getKey().endsWith(".$")) {
          out.set(f.getKey().substring(0, f.getKey().length() - 2), expression(f.getValue().asText(), input, context));
        } else {
          out.set(f.getKey(), template(f.getValue(), input, context));
        }
      });
      return out;
    }

    private JsonNode expression(String text, JsonNode input, ObjectNode context) {
      String t = text.strip();
      if (t.startsWith("States.")) {
        int open = t.indexOf('(');
        if (open < 0 || !t.endsWith(")")) {
          throw new StatesError("States.Runtime", "not an intrinsic function: " + t);
        }
        String function = t.substring(0, open);
        List<JsonNode> args = new ArrayList<>();
        for (String arg : splitArguments(t.substring(open + 1, t.length() - 1))) {
          args.add(expression(arg, input, context));
        }
        return intrinsic(function, args);
      }
      if (t.startsWith("'") && t.endsWith("'")) {
        return NODES.textNode(t.substring(1, t.length() - 1).replace("\\'", "'"));
      }
      if (t.equals("true") || t.equals("false")) {
        return NODES.booleanNode(Boolean.parseBoolean(t));
      }
      if (t.equals("null")) {
        return NullNode.getInstance();
      }
      if (t.matches("-?\\d+(\\.\\d+)?")) {
        return readJson(t);
      }
      return path(t, input, context);
    }

    private JsonNode intrinsic(String function, List<JsonNode> args) {
      switch (function) {
        case "States.StringToJson" -> {
          if (args.size() != 1 || !args.get(0).isTextual()) {
            throw new StatesError("States.IntrinsicFailure", "States.StringToJson takes one string");
          }
          try {
            return JSON.readTree(args.get(0).asText());
          } catch (IOException e) {
            throw new StatesError("States.IntrinsicFailure", "States.StringToJson: not JSON: " + args.get(0).asText());
          }
        }
        case "States.JsonMerge" -> {
          if (args.size() != 3 || !args.get(0).isObject() || !args.get(1).isObject() || !args.get(2).isBoolean()) {
            throw new StatesError("States.IntrinsicFailure", "States.JsonMerge takes two objects and a boolean, got "
                + args);
          }
          if (args.get(2).asBoolean()) {
            throw new StatesError("States.IntrinsicFailure", "the stub merges shallowly only (false)");
          }
          ObjectNode merged = args.get(0).deepCopy();
          merged.setAll((ObjectNode) args.get(1).deepCopy());
          return merged;
        }
        default -> throw new StatesError("States.IntrinsicFailure", "the stub does not implement " + function);
      }
    }

    private JsonNode invoke(String resource, JsonNode payload) {
      String function = LambdaApiStub.functionName(resource);
      InvokeResponse response;
      try {
        response = lambda.invoke(r -> r.functionName(resource).payload(SdkBytes.fromUtf8String(payload.toString())));
      } catch (software.amazon.awssdk.services.lambda.model.ResourceNotFoundException e) {
        throw new StatesError("Lambda.ResourceNotFoundException", "Function not found: " + function);
      } catch (RuntimeException e) {
        throw new StatesError("Lambda.AWSLambdaException", String.valueOf(e.getMessage()));
      }
      String answer = response.payload() == null ? "" : response.payload().asUtf8String();
      if (response.functionError() != null) {
        JsonNode errorJson;
        try {
          errorJson = JSON.readTree(answer);
        } catch (IOException e) {
          errorJson = JSON.createObjectNode();
        }
        throw new StatesError(errorJson.path("errorType").asText("Lambda.Unknown"), answer);
      }
      try {
        return JSON.readTree(answer);
      } catch (IOException e) {
        throw new StatesError("States.Runtime", "the function's answer is not JSON: " + answer);
      }
    }

    private JsonNode map(JsonNode state, JsonNode effective, ObjectNode context) {
      JsonNode items = state.has("ItemsPath") ? path(state.get("ItemsPath").asText(), effective, context) : effective;
      if (!items.isArray()) {
        throw new StatesError("States.Runtime", "ItemsPath did not select an array but " + items);
      }
      JsonNode processor = state.has("ItemProcessor") ? state.get("ItemProcessor") : state.get("Iterator");
      JsonNode selector = state.has("ItemSelector") ? state.get("ItemSelector") : state.get("Parameters");
      List<JsonNode> inputs = new ArrayList<>();
      List<ObjectNode> contexts = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        ObjectNode itemContext = context.deepCopy();
        itemContext.putObject("Map").putObject("Item").put("Index", i).set("Value", items.get(i));
        contexts.add(itemContext);
        inputs.add(selector == null ? items.get(i) : template(selector, effective, itemContext));
      }
      int concurrency = state.path("MaxConcurrency").asInt(0);
      ArrayNode results = JSON.createArrayNode();
      if (concurrency == 1) {
        for (int i = 0; i < inputs.size(); i++) {
          results.add(machine(processor, inputs.get(i), contexts.get(i)));
        }
        return results;
      }
      List<CompletableFuture<JsonNode>> futures = new ArrayList<>();
      for (int i = 0; i < inputs.size(); i++) {
        int index = i;
        futures.add(CompletableFuture.supplyAsync(() -> machine(processor, inputs.get(index), contexts.get(index)),
            workers));
      }
      return joinAll(futures, results);
    }

    private JsonNode parallel(JsonNode state, JsonNode input, ObjectNode context) {
      List<CompletableFuture<JsonNode>> futures = new ArrayList<>();
      for (JsonNode branch : state.path("Branches")) {
        futures.add(CompletableFuture.supplyAsync(() -> machine(branch, input.deepCopy(), context), workers));
      }
      return joinAll(futures, JSON.createArrayNode());
    }

    private ArrayNode joinAll(List<CompletableFuture<JsonNode>> futures, ArrayNode results) {
      StatesError first = null;
      for (CompletableFuture<JsonNode> f : futures) {
        try {
          results.add(f.join());
        } catch (java.util.concurrent.CompletionException e) {
          if (first == null) {
            first = e.getCause() instanceof StatesError s ? s
                : new StatesError("States.Runtime", "stub interpreter failure: " + e.getCause());
          }
        }
      }
      if (first != null) {
        throw first;
      }
      return results;
    }

    private JsonNode resultPath(JsonNode resultPath, JsonNode raw, JsonNode result) {
      if (resultPath.isNull()) {
        return raw;
      }
      List<Object> steps = steps(resultPath.asText(), false);
      if (steps.isEmpty()) {
        return result;
      }
      if (!raw.isObject()) {
        throw new StatesError("States.ResultPathMatchFailure", "Unable to apply ResultPath " + resultPath.asText()
            + " to input " + raw);
      }
      ObjectNode root = raw.deepCopy();
      ObjectNode node = root;
      for (int i = 0; i < steps.size() - 1; i++) {
        if (!(steps.get(i) instanceof String field)) {
          throw new StatesError("States.ResultPathMatchFailure", "the stub sets object fields only: " + resultPath);
        }
        JsonNode child = node.get(field);
        if (child == null) {
          child = node.putObject(field);
        }
        if (!(child instanceof ObjectNode object)) {
          throw new StatesError("States.ResultPathMatchFailure", "Unable to apply ResultPath " + resultPath.asText()
              + ": '" + field + "' is not an object in " + raw);
        }
        node = object;
      }
      if (!(steps.get(steps.size() - 1) instanceof String last)) {
        throw new StatesError("States.ResultPathMatchFailure", "the stub sets object fields only: " + resultPath);
      }
      node.set(last, result);
      return root;
    }

    /** A path's value in {@code input} ({@code $...}) or the context ({@code $$...}). */
    private JsonNode path(String path, JsonNode input, ObjectNode context) {
      JsonNode value = pathOrNull(path, input, context);
      if (value == null) {
        throw new StatesError("States.Runtime", "The JSONPath '" + path + "' could not be found in the input '" + input
            + "'");
      }
      return value;
    }

    private JsonNode pathOrNull(String path, JsonNode input, ObjectNode context) {
      boolean inContext = path.startsWith("$$");
      JsonNode node = inContext ? context : input;
      for (Object step : steps(path, inContext)) {
        if (step instanceof String field) {
          node = node.isObject() ? node.get(field) : null;
        } else {
          int index = (Integer) step;
          node = node.isArray() ? node.get(index) : null;
        }
        if (node == null) {
          return null;
        }
      }
      return node;
    }

    private boolean holds(JsonNode rule, JsonNode input, ObjectNode context) {
      if (rule.has("And")) {
        for (JsonNode r : rule.get("And")) {
          if (!holds(r, input, context)) {
            return false;
          }
        }
        return true;
      }
      if (rule.has("Or")) {
        for (JsonNode r : rule.get("Or")) {
          if (holds(r, input, context)) {
            return true;
          }
        }
        return false;
      }
      if (rule.has("Not")) {
        return !holds(rule.get("Not"), input, context);
      }
      String variable = rule.path("Variable").asText();
      JsonNode value = pathOrNull(variable, input, context);
      if (rule.has("IsPresent")) {
        return (value != null) == rule.get("IsPresent").asBoolean();
      }
      if (value == null) {
        throw new StatesError("States.Runtime", "Invalid path '" + variable + "': The choice state's condition path "
            + "references an invalid value.");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = rule.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        String op = f.getKey();
        JsonNode expected = f.getValue();
        switch (op) {
          case "Variable", "Next" -> { }
          case "IsNull" -> {
            return value.isNull() == expected.asBoolean();
          }
          case "IsNumeric" -> {
            return value.isNumber() == expected.asBoolean();
          }
          case "IsString" -> {
            return value.isTextual() == expected.asBoolean();
          }
          case "IsBoolean" -> {
            return value.isBoolean() == expected.asBoolean();
          }
          case "BooleanEquals" -> {
            return value.isBoolean() && value.asBoolean() == expected.asBoolean();
          }
          case "StringMatches" -> {
            return value.isTextual() && wildcard(expected.asText()).matcher(value.asText()).matches();
          }
          default -> {
            if (op.startsWith("Numeric")) {
              return value.isNumber() && compare(value.decimalValue().compareTo(expected.decimalValue()),
                  op.substring("Numeric".length()));
            }
            if (op.startsWith("String")) {
              return value.isTextual() && compare(value.asText().compareTo(expected.asText()),
                  op.substring("String".length()));
            }
            throw new StatesError("States.Runtime", "the stub does not implement the comparison " + op);
          }
        }
      }
      throw new StatesError("States.Runtime", "a Choice rule without a comparison: " + rule);
    }
  }

  private static boolean compare(int order, String op) {
    return switch (op) {
      case "Equals" -> order == 0;
      case "LessThan" -> order < 0;
      case "LessThanEquals" -> order <= 0;
      case "GreaterThan" -> order > 0;
      case "GreaterThanEquals" -> order >= 0;
      default -> throw new StatesError("States.Runtime", "the stub does not implement the comparison " + op);
    };
  }

  /** StringMatches: {@code *} is any text, {@code \*} and {@code \\} are literal. */
  private static Pattern wildcard(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else if (c == '*') {
        regex.append(".*");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  /**
   * The steps of a path: field names (String) and array indexes (Integer), after {@code $} (or {@code $$} in
   * the context): {@code .name} and {@code [n]}.
   */
  static List<Object> steps(String path, boolean context) {
    String rest;
    if (context) {
      rest = path.substring(2);
    } else if (path.startsWith("$")) {
      rest = path.substring(1);
    } else {
      throw new StatesError("States.Runtime", "not a path: " + path);
    }
    List<Object> steps = new ArrayList<>();
    int i = 0;
    while (i < rest.length()) {
      char c = rest.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < rest.length() && rest.charAt(end) != '.' && rest.charAt(end) != '[') {
          end++;
        }
        steps.add(rest.substring(i + 1, end));
        i = end;
      } else if (c == '[') {
        int end = rest.indexOf(']', i);
        String index = rest.substring(i + 1, end);
        if (!index.matches("\\d+")) {
          throw new StatesError("States.Runtime", "the stub's paths take array indexes only: " + path);
        }
        steps.add(Integer.parseInt(index));
        i = end + 1;
      } else {
        throw new StatesError("States.Runtime", "the stub cannot read the path " + path);
      }
    }
    return steps;
  }

  /** Intrinsic function arguments, split at the commas outside parentheses and quotes. */
  private static List<String> splitArguments(String text) {
    List<String> args = new ArrayList<>();
    int depth = 0;
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '\'') {
        quoted = !quoted;
      } else if (!quoted && c == '(') {
        depth++;
      } else if (!quoted && c == ')') {
        depth--;
      } else if (!quoted && depth == 0 && c == ',') {
        args.add(text.substring(start, i).strip());
        start = i + 1;
      }
    }
    if (!text.isBlank()) {
      args.add(text.substring(start).strip());
    }
    return args;
  }

  private static JsonNode readJson(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
    lambda.close();
  }
}
