package io.sebs.junit.platform.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sebs.junit.process.Command;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipInputStream;

/**
 * A local HTTP stand-in for the Lambda and IAM APIs, on loopback, recording every request the AWS SDK sends
 * (method, path, headers, body) so tests can check them exactly. It keeps functions as the API does
 * (create, get, update code and configuration, tags, delete) and answers invocations by running the
 * uploaded zip's real handler with python3 or node (Java: the real Lambda runtime interface client in a JVM
 * per environment, see {@link JavaExecutionEnvironment}) in an "execution environment" folder that lives until
 * the next code or configuration change, as Lambda's environments do; the REPORT line it returns in the
 * log tail carries the measured duration, the billed duration rounded up to 1 ms, and an Init Duration on
 * the first request of an environment.
 *
 * <p>Also (in {@link LambdaStubExtras}): code from S3 ({@code Code.S3Bucket}/{@code S3Key}), IAM-authenticated
 * Function URLs with their configurations, CloudWatch Logs FilterLogEvents over the lines its invocations
 * wrote, IAM's GetRolePolicy, and CreateFunction refusing a role that IAM has not propagated yet.
 */
final class LambdaApiStub implements AutoCloseable {

  /** Lambda takes zips up to 50 MB, about 67 MB as base64: more than Jackson's default string limit. */
  private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
      .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
          .maxStringLength(100_000_000).build()).build());

  /** One request as the SDK sent it. */
  record Request(String method, String path, Map<String, String> headers, String body) {
    @Override
    public String toString() {
      return method + " " + path + " (" + body.length() + " bytes)";
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** IAM's query protocol: the form parameters. */
    Map<String, String> form() {
      Map<String, String> params = new LinkedHashMap<>();
      for (String pair : body.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
      return params;
    }
  }

  private final HttpServer server;
  private final Path workDir;
  final List<Request> requests = new CopyOnWriteArrayList<>();
  final Map<String, ObjectNode> functions = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> tags = new LinkedHashMap<>();
  private final Map<String, Path> code = new LinkedHashMap<>();
  private final Map<String, Path> environments = new LinkedHashMap<>();
  private final Map<String, JavaExecutionEnvironment> javaEnvironments = new LinkedHashMap<>();
  private final Map<String, String> rolePolicies = new LinkedHashMap<>();
  /** Variables Lambda sets itself and refuses in a function's configuration. */
  static final List<String> RESERVED = List.of("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_FUNCTION_NAME", "AWS_EXECUTION_ENV");
  /** The credentials the stub's "execution role" hands to functions, as Lambda does through the environment. */
  private final Map<String, String> roleCredentials = new LinkedHashMap<>();
  /** The roles created through the IAM API: name to trust policy. */
  private final Map<String, String> roles = new LinkedHashMap<>();
  private int throttled;
  private int environmentCounter;
  /** The parts beyond functions and invocations: URLs, logs, code from S3, role refusals. */
  final LambdaStubExtras extras = new LambdaStubExtras(this);

  LambdaApiStub(Path workDir) throws IOException {
    this.workDir = workDir;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The next {@code count} invocation requests are refused with 429 TooManyRequestsException. */
  synchronized void throttleNextInvocations(int count) {
    throttled = count;
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  List<Request> requests(String method, String pathPrefix) {
    return requests.stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).toList();
  }

  List<Request> requestsTo(String method, String path) {
    return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
  }

  /** Inline policies put on the role: name to document. */
  synchronized Map<String, String> rolePolicies() {
    return new LinkedHashMap<>(rolePolicies);
  }

  /** Replaces an inline policy of the role, as someone editing it in the console would. */
  synchronized void rolePolicy(String name, String document) {
    rolePolicies.put(name, document);
  }

  List<String> iamActions() {
    return requests.stream().filter(r -> r.path().equals("/")).map(r -> r.form().get("Action")).toList();
  }

  private synchronized void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
    String path = exchange.getRequestURI().getPath();
    Request request = new Request(exchange.getRequestMethod(), path, headers, body);
    requests.add(request);
    try {
      if (extras.handles(exchange, request)) {
        return;
      }
      if (path.equals("/")) {
        iam(exchange, request);
      } else {
        lambda(exchange, request);
      }
    } catch (RuntimeException e) {
      send(exchange, 500, "application/json", "{\"message\":\"stub failure: " + e + "\"}", Map.of());
    }
  }

  // ------------------------------------------------------------------------------------------- IAM

  private void iam(HttpExchange exchange, Request request) throws IOException {
    Map<String, String> form = request.form();
    String action = form.get("Action");
    String role = "<Role><Path>/</Path><RoleName>" + form.get("RoleName") + "</RoleName><RoleId>AROASTUB</RoleId>"
        + "<Arn>arn:aws:iam::123456789012:role/" + form.get("RoleName") + "</Arn>"
        + "<CreateDate>2026-01-01T00:00:00Z</CreateDate></Role>";
    switch (action) {
      case "GetRole" -> {
        if (!roles.containsKey(form.get("RoleName"))) {
          xml(exchange, 404, "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender"
              + "</Type><Code>NoSuchEntity</Code><Message>The role with name " + form.get("RoleName")
              + " cannot be found.</Message></Error><RequestId>stub</RequestId></ErrorResponse>");
          return;
        }
        xml(exchange, 200, iamResponse(action, role));
      }
      case "CreateRole" -> {
        roles.put(form.get("RoleName"), form.get("AssumeRolePolicyDocument"));
        xml(exchange, 200, iamResponse(action, role));
      }
      case "AttachRolePolicy" -> xml(exchange, 200, iamResponse(action, ""));
      case "GetRolePolicy" -> {
        String document = rolePolicies.get(form.get("PolicyName"));
        if (document == null) {
          xml(exchange, 404, "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender"
              + "</Type><Code>NoSuchEntity</Code><Message>The role policy with name " + form.get("PolicyName")
              + " cannot be found.</Message></Error><RequestId>stub</RequestId></ErrorResponse>");
          return;
        }
        // IAM returns documents URL-encoded
        xml(exchange, 200, iamResponse(action, "<RoleName>" + form.get("RoleName") + "</RoleName><PolicyName>"
            + form.get("PolicyName") + "</PolicyName><PolicyDocument>"
            + java.net.URLEncoder.encode(document, StandardCharsets.UTF_8) + "</PolicyDocument>"));
      }
      case "PutRolePolicy" -> {
        rolePolicies.put(form.get("PolicyName"), form.get("PolicyDocument"));
        xml(exchange, 200, iamResponse(action, ""));
      }
      default -> xml(exchange, 400, "<ErrorResponse><Error><Code>InvalidAction</Code><Message>" + action
          + "</Message></Error></ErrorResponse>");
    }
  }

  private static String iamResponse(String action, String result) {
    return "<" + action + "Response xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><" + action + "Result>"
        + result + "</" + action + "Result><ResponseMetadata><RequestId>stub</RequestId></ResponseMetadata></"
        + action + "Response>";
  }

  // ---------------------------------------------------------------------------------------- Lambda

  private void lambda(HttpExchange exchange, Request request) throws IOException {
    String[] parts = request.path().split("/");
    // /2015-03-31/functions[/<name>[/configuration|/code|/invocations]], /2017-03-31/tags/<arn>
    if (parts.length >= 3 && parts[2].equals("tags")) {
      String arn = URLDecoder.decode(request.path().substring(request.path().indexOf("/tags/") + 6), StandardCharsets.UTF_8);
      String name = arn.substring(arn.lastIndexOf(':') + 1);
      json(exchange, 200, JSON.createObjectNode().set("Tags", JSON.valueToTree(tags.getOrDefault(name, Map.of()))));
      return;
    }
    if (parts.length == 3 && request.method().equals("POST")) {
      create(exchange, request.json());
      return;
    }
    if (parts.length == 3 && request.method().equals("GET")) {
      ObjectNode list = JSON.createObjectNode();
      list.putArray("Functions").addAll(new ArrayList<>(functions.values()));
      json(exchange, 200, list);
      return;
    }
    String name = functionName(parts[3]);
    ObjectNode function = functions.get(name);
    if (function == null) {
      send(exchange, 404, "application/json", "{\"Type\":\"User\",\"Message\":\"Function not found: " + name + "\"}",
          Map.of("x-amzn-ErrorType", "ResourceNotFoundException"));
      return;
    }
    String action = parts.length > 4 ? parts[4] : "";
    switch (request.method() + " " + action) {
      case "GET " -> {
        ObjectNode answer = JSON.createObjectNode();
        answer.set("Configuration", function);
        answer.set("Tags", JSON.valueToTree(tags.get(name)));
        json(exchange, 200, answer);
      }
      case "PUT configuration" -> {
        JsonNode update = request.json();
        String reserved = reservedKeys(update);
        if (reserved != null) {
          send(exchange, 400, "application/json", reserved, Map.of("x-amzn-ErrorType", "InvalidParameterValueException"));
          return;
        }
        update.fields().forEachRemaining(f -> {
          if (!f.getKey().equals("FunctionName")) {
            function.set(f.getKey(), f.getValue());
          }
        });
        environments.remove(name); // a new configuration retires the execution environments
        json(exchange, 200, function);
      }
      case "PUT code" -> {
        String zipFile = extras.zipFile(request.json());
        storeCode(name, zipFile);
        function.put("CodeSha256", LambdaPackage.sha256(Base64.getDecoder().decode(zipFile)));
        environments.remove(name);
        json(exchange, 200, function);
      }
      case "POST invocations" -> {
        if (throttled > 0) {
          throttled--;
          send(exchange, 429, "application/json", "{\"Type\":\"User\",\"message\":\"Rate Exceeded.\","
              + "\"Reason\":\"ReservedFunctionConcurrentInvocationLimitExceeded\"}",
              Map.of("x-amzn-ErrorType", "TooManyRequestsException"));
          return;
        }
        invoke(exchange, name, function, request.body(), false);
      }
      case "DELETE " -> {
        functions.remove(name);
        tags.remove(name);
        environments.remove(name); // a function created again under the name starts cold, as on Lambda
        send(exchange, 204, "application/json", "", Map.of());
      }
      default -> send(exchange, 400, "application/json", "{\"message\":\"stub: unsupported " + request.method()
          + " " + request.path() + "\"}", Map.of());
    }
  }

  private static String python;

  /**
   * The python3 on PATH, resolved to its interpreter once: a version manager's shim (pyenv's) costs about
   * half a second per start, which would be most of an invocation here.
   */
  static synchronized String python() {
    if (python == null) {
      Command.Result r = Command.of("python3", "-c", "import sys; print(sys.executable)").timeout(Duration.ofSeconds(30))
          .run();
      String executable = r.stdout().strip();
      python = r.succeeded() && !executable.isEmpty() && Files.isExecutable(Path.of(executable)) ? executable : "python3";
    }
    return python;
  }

  /** A function's name from what a request names it by: its name or its ARN (as Step Functions invokes it). */
  static String functionName(String nameOrArn) {
    if (!nameOrArn.startsWith("arn:")) {
      return nameOrArn;
    }
    String afterFunction = nameOrArn.substring(nameOrArn.indexOf(":function:") + ":function:".length());
    return afterFunction.contains(":") ? afterFunction.substring(0, afterFunction.indexOf(':')) : afterFunction;
  }

  /** The trust policy of a role created through the IAM API, if it was. */
  synchronized java.util.Optional<String> roleTrustPolicy(String roleName) {
    return java.util.Optional.ofNullable(roles.get(roleName));
  }

  /** Sets the credentials functions get from their "role" (Lambda's AWS_ACCESS_KEY_ID and so on). */
  synchronized void roleCredentials(String accessKey, String secretKey) {
    roleCredentials.put("AWS_ACCESS_KEY_ID", accessKey);
    roleCredentials.put("AWS_SECRET_ACCESS_KEY", secretKey);
  }

  /** Lambda's answer to a configuration that sets reserved variables; null when there are none. */
  private static String reservedKeys(JsonNode body) {
    List<String> used = new java.util.ArrayList<>();
    body.path("Environment").path("Variables").fieldNames().forEachRemaining(k -> {
      if (RESERVED.contains(k)) {
        used.add(k);
      }
    });
    return used.isEmpty() ? null : "{\"__type\":\"InvalidParameterValueException\",\"message\":\"Lambda was unable to "
        + "configure your environment variables because the environment variables you have provided contains "
        + "reserved keys that are currently not supported for modification. Reserved keys used in this request: "
        + String.join(",", used) + "\"}";
  }

  private void create(HttpExchange exchange, JsonNode body) throws IOException {
    String reserved = reservedKeys(body);
    if (reserved != null) {
      send(exchange, 400, "application/json", reserved, Map.of("x-amzn-ErrorType", "InvalidParameterValueException"));
      return;
    }
    if (extras.refusesRole(exchange, body)) {
      return;
    }
    String name = body.path("FunctionName").asText();
    String zipFile = extras.zipFile(body.path("Code"));
    byte[] zip = Base64.getDecoder().decode(zipFile);
    storeCode(name, zipFile);
    ObjectNode config = JSON.createObjectNode();
    config.put("FunctionName", name);
    config.put("FunctionArn", "arn:aws:lambda:us-east-1:123456789012:function:" + name);
    for (String field : List.of("Runtime", "Role", "Handler", "MemorySize", "Timeout")) {
      config.set(field, body.get(field));
    }
    config.set("Environment", body.get("Environment"));
    config.set("Architectures", body.get("Architectures"));
    config.put("CodeSha256", LambdaPackage.sha256(zip));
    config.put("CodeSize", zip.length);
    config.put("State", "Active");
    config.put("LastUpdateStatus", "Successful");
    functions.put(name, config);
    Map<String, String> t = new LinkedHashMap<>();
    body.path("Tags").fields().forEachRemaining(f -> t.put(f.getKey(), f.getValue().asText()));
    tags.put(name, t);
    json(exchange, 201, config);
  }

  private void storeCode(String name, String base64) {
    Path dir = workDir.resolve("code-" + name + "-" + (++environmentCounter));
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(base64)))) {
      for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        Path file = dir.resolve(entry.getName()).normalize();
        if (!file.startsWith(dir)) {
          throw new IllegalArgumentException("zip entry escapes the package: " + entry.getName());
        }
        Files.createDirectories(file.getParent());
        Files.copy(in, file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    code.put(name, dir);
  }

  /** Runs the package's handler as the runtime would, in the function's current execution environment. */
  void invoke(HttpExchange exchange, String name, ObjectNode function, String event, boolean viaUrl)
      throws IOException {
    boolean cold = !environments.containsKey(name);
    Path environment = environments.computeIfAbsent(name, n -> {
      try {
        return Files.createDirectories(workDir.resolve("env-" + n + "-" + (++environmentCounter)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    String requestId = java.util.UUID.randomUUID().toString();
    String runtime = function.path("Runtime").asText();
    if (runtime.startsWith("java")) {
      long start = System.nanoTime();
      Command.Result result = invokeJava(name, function, environment, event, requestId);
      answerInvocation(exchange, name, function, cold, viaUrl, requestId, (System.nanoTime() - start) / 1e6, result);
      return;
    }
    Command command = runtime.startsWith("python")
        // as Lambda's runtimes: a handler's exception is reported as {errorMessage, errorType, ...} and the
        // execution environment lives on; a process that dies otherwise is the runtime exiting
        ? Command.of(python(), "-c", "import json, sys, traceback\nimport handler\n"
            + "class Context: aws_request_id = sys.argv[1]\n"
            + "try:\n  r = handler.handler(json.load(sys.stdin), Context())\n"
            + "except Exception as e:\n"
            + "  print(json.dumps({'errorMessage': str(e), 'errorType': type(e).__name__, 'requestId': sys.argv[1],"
            + " 'stackTrace': traceback.format_tb(e.__traceback__)}))\n  sys.exit(1)\n"
            + "print(json.dumps(r))", requestId)
        : Command.of("node", "-e", "let d='';process.stdin.on('data',c=>d+=c).on('end',async()=>{let r;"
            + "try{r=await require('./handler.js').handler(JSON.parse(d),{awsRequestId:process.argv[1]});}"
            + "catch(e){console.log(JSON.stringify({errorType:(e&&e.name)||'Error',errorMessage:e&&e.message,"
            + "trace:String(e&&e.stack).split('\\n')}));process.exitCode=1;return;}"
            + "console.log(JSON.stringify(r));});", requestId);
    long t0 = System.nanoTime();
    command.in(code.get(name)).env("SEBS_TMP", environment.toString());
    // as Lambda: the configuration's variables, then the runtime's own (function name, region, the role's keys)
    function.path("Environment").path("Variables").fields()
        .forEachRemaining(v -> command.env(v.getKey(), v.getValue().asText()));
    command.env("AWS_LAMBDA_FUNCTION_NAME", name).env("AWS_REGION", "us-east-1").env("AWS_DEFAULT_REGION", "us-east-1");
    roleCredentials.forEach(command::env);
    int timeoutSeconds = function.path("Timeout").asInt(3);
    Command.Result result;
    try {
      result = command.stdin(event).timeout(Duration.ofSeconds(timeoutSeconds)).run();
    } catch (IllegalStateException timedOut) {
      // as Lambda: the invocation fails with the runtime's message and its execution environment is discarded
      environments.remove(name);
      result = new Command.Result(List.of("handler"), -1, String.format(Locale.ROOT,
          "{\"errorMessage\":\"%s Task timed out after %d.00 seconds\"}", requestId, timeoutSeconds), "");
    }
    answerInvocation(exchange, name, function, cold, viaUrl, requestId, (System.nanoTime() - t0) / 1e6, result);
  }

  /**
   * A Java function's invocation, run by the real Lambda runtime interface client in the function's
   * {@link JavaExecutionEnvironment} (started on the first request of an environment, kept while it lives).
   */
  private Command.Result invokeJava(String name, ObjectNode function, Path environment, String event,
      String requestId) throws IOException {
    JavaExecutionEnvironment java = javaEnvironments.get(name);
    if (java == null || !java.tmp().equals(environment) || !java.isAlive()) {
      if (java != null) {
        java.close();
      }
      Map<String, String> variables = new LinkedHashMap<>();
      function.path("Environment").path("Variables").fields()
          .forEachRemaining(v -> variables.put(v.getKey(), v.getValue().asText()));
      variables.put("AWS_LAMBDA_FUNCTION_NAME", name);
      variables.put("AWS_REGION", "us-east-1");
      variables.put("AWS_DEFAULT_REGION", "us-east-1");
      variables.putAll(roleCredentials);
      java = new JavaExecutionEnvironment(code.get(name), environment, function.path("Handler").asText(), name,
          function.path("MemorySize").asInt(128), function.path("Timeout").asInt(3), variables);
      javaEnvironments.put(name, java);
    }
    int logStart = java.log().length();
    JavaExecutionEnvironment.Outcome outcome = java.invoke(requestId, event);
    return new Command.Result(List.of("aws-lambda-java-runtime-interface-client", name), outcome.succeeded() ? 0 : 1,
        outcome.body(), java.log().substring(logStart));
  }

  private void answerInvocation(HttpExchange exchange, String name, ObjectNode function, boolean cold,
      boolean viaUrl, String requestId, double ms, Command.Result result) throws IOException {
    String report = String.format(Locale.ROOT, "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\t"
            + "Memory Size: %d MB\tMax Memory Used: %d MB%s\t", requestId, ms, (long) Math.ceil(ms),
        function.path("MemorySize").asInt(), 42, cold ? String.format(Locale.ROOT, "\tInit Duration: %.2f ms", ms / 2) : "");
    String log = "START RequestId: " + requestId + " Version: $LATEST\n" + result.stderr() + "END RequestId: "
        + requestId + "\n" + report + "\n";
    extras.log(name, log);
    if (viaUrl) {
      extras.urlAnswer(exchange, requestId, result);
      return;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Amz-Log-Result", Base64.getEncoder().encodeToString(log.getBytes(StandardCharsets.UTF_8)));
    headers.put("X-Amz-Executed-Version", "$LATEST");
    if (!result.succeeded()) {
      headers.put("X-Amz-Function-Error", "Unhandled");
      // a runtime that reported the error (Java's runtime client) gives its error JSON, a dead process its exit code
      boolean reported = isRuntimeError(result.stdout().strip());
      if (!reported) {
        environments.remove(name); // a runtime that exited takes its execution environment with it
      }
      send(exchange, 200, "application/json", reported ? result.stdout().strip()
          : "{\"errorType\":\"Runtime.ExitError\",\"errorMessage\":\"RequestId: " + requestId
              + " Error: Runtime exited with error: exit status " + result.exitCode() + "\"}", headers);
      return;
    }
    send(exchange, 200, "application/json", result.stdout().strip(), headers);
  }

  /** Whether a runtime reported the error: its JSON with errorMessage (Python, Java) or errorType (Node.js). */
  private static boolean isRuntimeError(String stdout) {
    if (!stdout.startsWith("{")) {
      return false;
    }
    try {
      JsonNode error = JSON.readTree(stdout);
      return error.has("errorMessage") || error.has("errorType");
    } catch (IOException notJson) {
      return false;
    }
  }

  // ------------------------------------------------------------------------------------------ HTTP

  static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
    send(exchange, status, "application/json", JSON.writeValueAsString(body), Map.of());
  }

  private static void xml(HttpExchange exchange, int status, String body) throws IOException {
    send(exchange, status, "text/xml", body, Map.of());
  }

  static void send(HttpExchange exchange, int status, String type, String body, Map<String, String> headers)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("x-amzn-RequestId", "stub");
    headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
    if (status != 204) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  @Override
  public void close() {
    javaEnvironments.values().forEach(JavaExecutionEnvironment::close);
    server.stop(0);
  }
}
