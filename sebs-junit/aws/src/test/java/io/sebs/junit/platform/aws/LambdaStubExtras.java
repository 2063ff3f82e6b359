package io.sebs.junit.platform.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.sebs.junit.process.Command;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The parts of {@link LambdaApiStub} beyond creating and invoking functions, kept apart so the stub's core
 * stays small: code taken from S3 (fetched for real from an S3-API server, so the handler that runs is the
 * uploaded one), Function URL configurations and the URLs themselves (the request's SigV4 signature is
 * recomputed with the SDK's signer and the known secret, and must match), CloudWatch Logs FilterLogEvents over
 * the log lines the stub's invocations wrote (paged, optionally delivered late), and CreateFunction refusing a
 * role IAM has not propagated yet.
 */
final class LambdaStubExtras {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern AUTHORIZATION = Pattern.compile(
      "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([^,]+), ?Signature=(\\w+)");
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  /** One line of a function's log as CloudWatch keeps it. */
  record LogEvent(long timestamp, String message) {}

  private final LambdaApiStub stub;
  private S3Client codeSource;
  private final List<String> s3Fetches = new CopyOnWriteArrayList<>();
  private int roleRefusals;
  private int refusedCreates;
  private final Map<String, ObjectNode> urlConfigs = new LinkedHashMap<>();
  private final Map<String, String> urlSecrets = new LinkedHashMap<>();
  private final Map<String, List<LogEvent>> logs = new LinkedHashMap<>();
  private Duration logDelay = Duration.ZERO;
  private int logPageSize = 3;

  LambdaStubExtras(LambdaApiStub stub) {
    this.stub = stub;
  }

  // ------------------------------------------------------------------------------------ settings

  /** Where CreateFunction/UpdateFunctionCode fetch {@code S3Bucket}/{@code S3Key} code from. */
  synchronized void codeFrom(S3Client s3) {
    codeSource = s3;
  }

  /** The objects fetched as code, as {@code bucket/key}. */
  List<String> s3Fetches() {
    return List.copyOf(s3Fetches);
  }

  /** The next {@code count} CreateFunction calls are refused as Lambda does while IAM propagates a role. */
  synchronized void refuseRoleForNextCreates(int count) {
    roleRefusals = count;
  }

  synchronized int refusedCreates() {
    return refusedCreates;
  }

  /** The credentials whose signatures Function URLs accept. */
  synchronized void urlCredentials(String accessKey, String secretKey) {
    urlSecrets.put(accessKey, secretKey);
  }

  /** Log lines become visible to FilterLogEvents only this long after they were written. */
  synchronized void logDeliveryDelay(Duration delay) {
    logDelay = delay;
  }

  /** Events per FilterLogEvents page (small, so paging is exercised). */
  synchronized void logPageSize(int size) {
    logPageSize = size;
  }

  /** Forgets every log line written so far (e.g. to show that REPORT lines that never arrive stay unknown). */
  synchronized void dropLogs() {
    logs.clear();
  }

  // ------------------------------------------------------------------------------------ dispatch

  /** Answers the request when it is one of the extras; false leaves it to the stub's core. */
  boolean handles(HttpExchange exchange, LambdaApiStub.Request request) throws IOException {
    String target = request.headers().getOrDefault("x-amz-target", "");
    if (target.startsWith("Logs_20140328.")) {
      logs(exchange, target.substring(target.indexOf('.') + 1), request.json());
      return true;
    }
    String path = request.path();
    if (path.startsWith("/2021-10-31/functions/") && path.endsWith("/url")) {
      urlConfig(exchange, request, path.split("/")[3]);
      return true;
    }
    if (path.startsWith("/lambda-url/")) {
      urlInvocation(exchange, request, path.split("/")[2]);
      return true;
    }
    return false;
  }

  // ------------------------------------------------------------------------------- code from S3

  /** The base64 zip of a Code block (CreateFunction) or code update: inline, or fetched from S3. */
  String zipFile(JsonNode code) {
    if (code.hasNonNull("ZipFile")) {
      return code.path("ZipFile").asText();
    }
    String bucket = code.path("S3Bucket").asText();
    String key = code.path("S3Key").asText();
    if (bucket.isEmpty() || key.isEmpty()) {
      throw new IllegalArgumentException("code needs ZipFile or S3Bucket and S3Key: " + code);
    }
    S3Client s3;
    synchronized (this) {
      s3 = codeSource;
    }
    if (s3 == null) {
      throw new IllegalStateException("code from s3://" + bucket + "/" + key + " but the stub has no S3 endpoint");
    }
    byte[] zip = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
    s3Fetches.add(bucket + "/" + key);
    return Base64.getEncoder().encodeToString(zip);
  }

  /** Lambda's answer while a new role is not yet assumable; true when it answered. */
  synchronized boolean refusesRole(HttpExchange exchange, JsonNode create) throws IOException {
    if (roleRefusals <= 0) {
      return false;
    }
    roleRefusals--;
    refusedCreates++;
    LambdaApiStub.send(exchange, 400, "application/json", "{\"Type\":\"User\",\"message\":\"The role defined for the "
        + "function cannot be assumed by Lambda.\"}", Map.of("x-amzn-ErrorType", "InvalidParameterValueException"));
    return true;
  }

  // ----------------------------------------------------------------------------- Function URLs

  private synchronized void urlConfig(HttpExchange exchange, LambdaApiStub.Request request, String name)
      throws IOException {
    ObjectNode function = stub.functions.get(name);
    ObjectNode config = urlConfigs.get(name);
    if (function == null || (config == null && !request.method().equals("POST"))) {
      LambdaApiStub.send(exchange, 404, "application/json", "{\"Type\":\"User\",\"Message\":\"The resource you "
          + "requested does not exist.\"}", Map.of("x-amzn-ErrorType", "ResourceNotFoundException"));
      return;
    }
    switch (request.method()) {
      case "GET" -> LambdaApiStub.json(exchange, 200, config);
      case "POST" -> {
        if (config != null) {
          LambdaApiStub.send(exchange, 409, "application/json", "{\"Type\":\"User\",\"Message\":\"Failed to create "
              + "function url config for [functionArn = " + function.path("FunctionArn").asText() + "]. Error message: "
              + "FunctionUrlConfig exists for this Lambda function\"}", Map.of("x-amzn-ErrorType",
              "ResourceConflictException"));
          return;
        }
        config = JSON.createObjectNode();
        config.put("FunctionUrl", stub.endpoint() + "/lambda-url/" + name + "/");
        config.put("FunctionArn", function.path("FunctionArn").asText());
        config.put("AuthType", request.json().path("AuthType").asText());
        config.put("CreationTime", Instant.now().toString());
        urlConfigs.put(name, config);
        LambdaApiStub.json(exchange, 201, config);
      }
      case "PUT" -> {
        config.put("AuthType", request.json().path("AuthType").asText());
        LambdaApiStub.json(exchange, 200, config);
      }
      default -> LambdaApiStub.send(exchange, 400, "application/json", "{\"message\":\"stub: unsupported\"}", Map.of());
    }
  }

  /** Creates a URL config directly, as if made outside the framework (e.g. a public one). */
  synchronized void urlConfig(String name, String authType) {
    ObjectNode config = JSON.createObjectNode();
    config.put("FunctionUrl", stub.endpoint() + "/lambda-url/" + name + "/");
    config.put("FunctionArn", stub.functions.get(name).path("FunctionArn").asText());
    config.put("AuthType", authType);
    urlConfigs.put(name, config);
  }

  synchronized String urlAuthType(String name) {
    ObjectNode config = urlConfigs.get(name);
    return config == null ? null : config.path("AuthType").asText();
  }

  private void urlInvocation(HttpExchange exchange, LambdaApiStub.Request request, String name) throws IOException {
    ObjectNode function = stub.functions.get(name);
    String authType = urlAuthType(name);
    if (function == null || authType == null) {
      LambdaApiStub.send(exchange, 404, "application/json", "{\"Message\":null}", Map.of());
      return;
    }
    if (authType.equals("AWS_IAM")) {
      String problem = signatureProblem(request);
      if (problem != null) {
        LambdaApiStub.send(exchange, 403, "application/json", "{\"Message\":\"Forbidden (stub: " + problem + ")\"}",
            Map.of("x-amzn-ErrorType", "AccessDeniedException"));
        return;
      }
    }
    // the HTTP event (payload format 2.0) that Lambda hands a function behind its URL
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "2.0");
    event.put("routeKey", "$default");
    event.put("rawPath", "/");
    event.put("rawQueryString", "");
    event.set("headers", JSON.valueToTree(request.headers()));
    ObjectNode context = event.putObject("requestContext");
    context.put("domainName", request.headers().getOrDefault("host", ""));
    context.putObject("http").put("method", request.method()).put("path", "/");
    event.put("body", request.body());
    event.put("isBase64Encoded", false);
    stub.invoke(exchange, name, function, JSON.writeValueAsString(event), true);
  }

  /** A URL's answer: the function's JSON as the body (or its statusCode/body), 502 for an unhandled error. */
  void urlAnswer(HttpExchange exchange, String requestId, Command.Result result) throws IOException {
    Map<String, String> headers = Map.of("x-amzn-RequestId", requestId);
    if (!result.succeeded()) {
      LambdaApiStub.send(exchange, 502, "application/json", "Internal Server Error", headers);
      return;
    }
    JsonNode answer = JSON.readTree(result.stdout());
    if (answer.isObject() && answer.has("statusCode")) {
      LambdaApiStub.send(exchange, answer.path("statusCode").asInt(), "application/json",
          answer.path("body").asText(""), headers);
      return;
    }
    LambdaApiStub.send(exchange, 200, "application/json", result.stdout().strip(), headers);
  }

  /**
   * Null when the request carries a valid SigV4 signature for service {@code lambda} by a known key: the
   * signature is recomputed with the SDK's signer over the signed headers and the body, at the request's own
   * {@code X-Amz-Date}.
   */
  private synchronized String signatureProblem(LambdaApiStub.Request request) {
    String authorization = request.headers().get("authorization");
    if (authorization == null) {
      return "no Authorization header";
    }
    Matcher m = AUTHORIZATION.matcher(authorization);
    if (!m.matches()) {
      return "not a SigV4 Authorization header: " + authorization;
    }
    if (!m.group(4).equals("lambda")) {
      return "signed for service " + m.group(4) + ", not lambda";
    }
    String secret = urlSecrets.get(m.group(1));
    if (secret == null) {
      return "unknown access key " + m.group(1);
    }
    Instant date = AMZ_DATE.parse(request.headers().get("x-amz-date"), Instant::from);
    SdkHttpFullRequest.Builder copy = SdkHttpFullRequest.builder().method(SdkHttpMethod.fromValue(request.method()))
        .uri(URI.create(stub.endpoint() + request.path()));
    for (String header : m.group(5).split(";")) {
      copy.putHeader(header, request.headers().getOrDefault(header, ""));
    }
    byte[] body = request.body().getBytes(StandardCharsets.UTF_8);
    String expected = AwsV4HttpSigner.create().sign(r -> r.identity(AwsBasicCredentials.create(m.group(1), secret))
            .request(copy.build()).payload(ContentStreamProvider.fromByteArray(body))
            .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "lambda")
            .putProperty(AwsV4HttpSigner.REGION_NAME, m.group(3))
            .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(date, ZoneOffset.UTC)))
        .request().firstMatchingHeader("Authorization").orElse("");
    return expected.equals(authorization) ? null : "signature mismatch";
  }

  // ------------------------------------------------------------------------------ CloudWatch Logs

  /** Appends an invocation's log (START, output, END, REPORT) to the function's log group. */
  synchronized void log(String functionName, String log) {
    long now = System.currentTimeMillis();
    List<LogEvent> events = logs.computeIfAbsent(LambdaLogReports.logGroup(functionName), g -> new ArrayList<>());
    for (String line : log.split("\n")) {
      if (!line.isBlank()) {
        events.add(new LogEvent(now, line));
      }
    }
  }

  private synchronized void logs(HttpExchange exchange, String action, JsonNode body) throws IOException {
    if (!action.equals("FilterLogEvents")) {
      LambdaApiStub.send(exchange, 400, "application/x-amz-json-1.1", "{\"__type\":\"InvalidOperationException\","
          + "\"message\":\"stub: unsupported " + action + "\"}", Map.of());
      return;
    }
    List<LogEvent> group = logs.get(body.path("logGroupName").asText());
    if (group == null) {
      LambdaApiStub.send(exchange, 400, "application/x-amz-json-1.1", "{\"__type\":\"ResourceNotFoundException\","
          + "\"message\":\"The specified log group does not exist.\"}", Map.of());
      return;
    }
    long start = body.path("startTime").asLong(0);
    String pattern = body.path("filterPattern").asText("");
    String phrase = pattern.startsWith("\"") && pattern.endsWith("\"") && pattern.length() > 1
        ? pattern.substring(1, pattern.length() - 1) : pattern;
    long visibleUntil = System.currentTimeMillis() - logDelay.toMillis();
    List<LogEvent> matching = group.stream().filter(e -> e.timestamp() >= start && e.timestamp() <= visibleUntil)
        .filter(e -> e.message().contains(phrase)).toList();
    int from = body.hasNonNull("nextToken") ? Integer.parseInt(body.path("nextToken").asText()) : 0;
    int to = Math.min(matching.size(), from + logPageSize);
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode events = answer.putArray("events");
    for (int i = from; i < to; i++) {
      events.addObject().put("logStreamName", "2026/11/27/[$LATEST]stub").put("timestamp", matching.get(i).timestamp())
          .put("message", matching.get(i).message()).put("ingestionTime", matching.get(i).timestamp())
          .put("eventId", Integer.toString(i));
    }
    if (to < matching.size()) {
      answer.put("nextToken", Integer.toString(to));
    }
    LambdaApiStub.send(exchange, 200, "application/x-amz-json-1.1", JSON.writeValueAsString(answer), Map.of());
  }

  /** How many FilterLogEvents calls the stub answered. */
  long filterCalls() {
    return stub.requests.stream().filter(r -> r.headers().getOrDefault("x-amz-target", "")
        .equals("Logs_20140328.FilterLogEvents")).count();
  }
}
