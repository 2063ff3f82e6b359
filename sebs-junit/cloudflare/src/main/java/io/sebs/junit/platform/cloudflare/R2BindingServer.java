package io.sebs.junit.platform.cloudflare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The local side of Workers' R2 bucket bindings: workerd sends what a Worker does with {@code env.BUCKET} (get, head,
 * put, delete, list) as HTTP requests in R2's binding protocol to the service the binding names; this server, on
 * loopback in the test JVM, answers them from an S3-API server. So a function uses the real binding API and workerd's
 * own binding client, and the test reads and writes the same objects through the S3 API, which is how R2 is shared
 * between a Worker and the outside on Cloudflare too.
 *
 * <p>Protocol (workerd's {@code r2-rpc}): reads are {@code GET /} with the operation as JSON in the {@code
 * cf-r2-request} header; writes are {@code PUT /} whose body is that JSON ({@code cf-r2-metadata-size} bytes) followed
 * by the value. An answer is the result as JSON, its length in {@code cf-r2-metadata-size}, followed by the object's
 * bytes for a get; a failure is a status of 400 or more with {@code cf-r2-error} holding {@code {version, v4code,
 * message}} (v4code 10007: no such key, the binding's {@code null}). The bucket comes from the header {@value
 * #BUCKET_HEADER}, which workerd's external service definition injects, one service per bound bucket. Multipart uploads
 * and conditional requests ({@code onlyIf}) are refused with an error that says so.
 */
public final class R2BindingServer implements AutoCloseable {

  /** The header naming the bucket; set per bucket by the workerd service that forwards a binding here. */
  public static final String BUCKET_HEADER = "x-sebs-r2-bucket";
  static final int NO_SUCH_KEY = 10007;
  static final int NO_SUCH_BUCKET = 10006;
  static final int INTERNAL_ERROR = 10001;
  static final int NOT_IMPLEMENTED = 10034;
  static final int INVALID_RANGE = 10039;
  private static final Logger LOG = Logger.getLogger(R2BindingServer.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    // The JDK's HttpServer writes head and body apart; with Nagle's algorithm on, the body waits for the client's
    // delayed ACK (40 ms on Linux). The setting is read once, when the JVM's first HttpServer starts.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final S3Client s3;

  private R2BindingServer(HttpServer server, ExecutorService executor, S3Client s3) {
    this.server = server;
    this.executor = executor;
    this.s3 = s3;
  }

  /** Starts the server on an ephemeral loopback port, answering from {@code s3} (which it does not close). */
  public static R2BindingServer start(S3Client s3) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
      ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sebs-r2-binding");
        t.setDaemon(true);
        return t;
      });
      R2BindingServer r2 = new R2BindingServer(server, executor, s3);
      server.createContext("/", r2::handle);
      server.setExecutor(executor);
      server.start();
      return r2;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start the local R2 binding server on 127.0.0.1", e);
    }
  }

  /** Host and port, as workerd's external service address ({@code 127.0.0.1:<port>}). */
  public String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  public URI endpoint() {
    return URI.create("http://" + address() + "/");
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String bucket = exchange.getRequestHeaders().getFirst(BUCKET_HEADER);
      if (bucket == null || bucket.isBlank()) {
        fail(exchange, 400, INTERNAL_ERROR, "no " + BUCKET_HEADER + " header: the workerd service forwarding the"
            + " binding must inject the bucket's name");
        return;
      }
      JsonNode op;
      byte[] value = new byte[0];
      if ("PUT".equals(exchange.getRequestMethod())) {
        byte[] body = exchange.getRequestBody().readAllBytes();
        int metadataSize = Integer.parseInt(exchange.getRequestHeaders().getFirst("cf-r2-metadata-size").trim());
        op = JSON.readTree(new String(body, 0, metadataSize, StandardCharsets.UTF_8));
        value = java.util.Arrays.copyOfRange(body, metadataSize, body.length);
      } else {
        String header = exchange.getRequestHeaders().getFirst("cf-r2-request");
        if (header == null) {
          fail(exchange, 400, INTERNAL_ERROR, "a " + exchange.getRequestMethod() + " without a cf-r2-request header");
          return;
        }
        op = JSON.readTree(header);
      }
      answer(exchange, bucket, op, value);
    } catch (NoSuchBucketException e) {
      fail(exchange, 404, NO_SUCH_BUCKET, "The specified bucket does not exist.");
    } catch (RuntimeException | IOException e) {
      LOG.log(Level.WARNING, "The local R2 binding server failed a request", e);
      fail(exchange, 500, INTERNAL_ERROR, "sebs-junit's local R2 server failed: " + e);
    }
  }

  private void answer(HttpExchange exchange, String bucket, JsonNode op, byte[] value) throws IOException {
    String method = op.path("method").asText();
    if (op.hasNonNull("onlyIf") && op.get("onlyIf").size() > 0) {
      fail(exchange, 501, NOT_IMPLEMENTED, "conditional " + method + " (onlyIf) is not supported by sebs-junit's"
          + " local R2 server");
      return;
    }
    switch (method) {
      case "head" -> head(exchange, bucket, op.path("object").asText());
      case "get" -> get(exchange, bucket, op);
      case "put" -> put(exchange, bucket, op, value);
      case "delete" -> delete(exchange, bucket, op);
      case "list" -> list(exchange, bucket, op);
      default -> fail(exchange, 501, NOT_IMPLEMENTED, "R2 operation '" + method + "' is not supported by sebs-junit's"
          + " local R2 server (it serves head, get, put, delete and list; put a whole object instead of a multipart"
          + " upload)");
    }
  }

  private void head(HttpExchange exchange, String bucket, String key) throws IOException {
    HeadObjectResponse head;
    try {
      head = s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build());
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw e;
      }
      // a HEAD answer has no body to say what is missing: ask for the bucket, so a missing one is not a null
      if (!bucketExists(bucket)) {
        fail(exchange, 404, NO_SUCH_BUCKET, "The specified bucket does not exist.");
        return;
      }
      noSuchKey(exchange);
      return;
    }
    ObjectNode meta = metadata(key, head.eTag(), head.contentLength(), head.lastModified(), head.contentType(),
        head.metadata());
    meta.putObject("range").put("offset", 0).put("length", head.contentLength());
    reply(exchange, meta, null);
  }

  private void get(HttpExchange exchange, String bucket, JsonNode op) throws IOException {
    String key = op.path("object").asText();
    GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key);
    JsonNode range = op.path("range");
    if (op.hasNonNull("rangeHeader")) { // get(key, {range: headers}) sends the Range header as given
      request.range(op.get("rangeHeader").asText());
    } else if (range.hasNonNull("suffix")) {
      request.range("bytes=-" + range.get("suffix").asLong());
    } else if (range.hasNonNull("offset") || range.hasNonNull("length")) {
      long offset = range.path("offset").asLong(0);
      request.range("bytes=" + offset + "-" + (range.hasNonNull("length")
          ? Long.toString(offset + range.get("length").asLong() - 1) : ""));
    }
    ResponseBytes<GetObjectResponse> object;
    try {
      object = s3.getObjectAsBytes(request.build());
    } catch (NoSuchKeyException e) {
      noSuchKey(exchange);
      return;
    } catch (S3Exception e) {
      if (e.statusCode() == 416) {
        fail(exchange, 416, INVALID_RANGE, "The requested range is not satisfiable: " + range + op.path("rangeHeader"));
        return;
      }
      throw e;
    }
    GetObjectResponse response = object.response();
    byte[] bytes = object.asByteArray();
    long[] span = contentRange(response.contentRange(), bytes.length);
    ObjectNode meta = metadata(key, response.eTag(), span[1], response.lastModified(), response.contentType(),
        response.metadata());
    meta.putObject("range").put("offset", span[0]).put("length", bytes.length);
    reply(exchange, meta, bytes);
  }

  private boolean bucketExists(String bucket) {
    try {
      s3.headBucket(b -> b.bucket(bucket));
      return true;
    } catch (S3Exception e) {
      return false;
    }
  }

  /** The first byte and the object's size from {@code Content-Range: bytes a-b/size}; {0, read} without one. */
  static long[] contentRange(String contentRange, long read) {
    if (contentRange == null || !contentRange.matches("bytes \\d+-\\d+/\\d+")) {
      return new long[] {0, read};
    }
    String[] parts = contentRange.substring("bytes ".length()).split("[-/]");
    return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[2])};
  }

  private void put(HttpExchange exchange, String bucket, JsonNode op, byte[] value) throws IOException {
    String key = op.path("object").asText();
    Map<String, String> custom = new LinkedHashMap<>();
    op.path("customFields").forEach(f -> custom.put(f.path("k").asText(), f.path("v").asText()));
    String contentType = op.path("httpFields").path("contentType").asText(null);
    PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(key).metadata(custom);
    if (contentType != null) {
      request.contentType(contentType);
    }
    PutObjectResponse put = s3.putObject(request.build(), RequestBody.fromBytes(value));
    ObjectNode meta = metadata(key, put.eTag(), value.length, java.time.Instant.now(), contentType, custom);
    reply(exchange, meta, null);
  }

  private void delete(HttpExchange exchange, String bucket, JsonNode op) throws IOException {
    java.util.List<String> keys = new java.util.ArrayList<>();
    if (op.hasNonNull("object")) {
      keys.add(op.get("object").asText());
    }
    op.path("objects").forEach(k -> keys.add(k.asText()));
    for (String key : keys) {
      s3.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(key).build());
    }
    reply(exchange, JSON.createObjectNode(), null);
  }

  private void list(HttpExchange exchange, String bucket, JsonNode op) throws IOException {
    ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket)
        .maxKeys(Math.min(1000, Math.max(1, op.path("limit").asInt(1000))));
    if (op.hasNonNull("prefix")) {
      request.prefix(op.get("prefix").asText());
    }
    if (op.hasNonNull("cursor")) {
      request.continuationToken(op.get("cursor").asText());
    }
    if (op.hasNonNull("startAfter")) {
      request.startAfter(op.get("startAfter").asText());
    }
    if (op.hasNonNull("delimiter")) {
      request.delimiter(op.get("delimiter").asText());
    }
    ListObjectsV2Response page = s3.listObjectsV2(request.build());
    ObjectNode result = JSON.createObjectNode();
    ArrayNode objects = result.putArray("objects");
    for (S3Object o : page.contents()) {
      objects.add(metadata(o.key(), o.eTag(), o.size(), o.lastModified(), null, Map.of()));
    }
    result.put("truncated", Boolean.TRUE.equals(page.isTruncated()));
    if (Boolean.TRUE.equals(page.isTruncated())) {
      result.put("cursor", page.nextContinuationToken());
    }
    ArrayNode prefixes = result.putArray("delimitedPrefixes");
    for (CommonPrefix p : page.commonPrefixes()) {
      prefixes.add(p.prefix());
    }
    reply(exchange, result, null);
  }

  /** An object's metadata as the binding reads it (R2's head result). */
  private static ObjectNode metadata(String key, String eTag, long size, java.time.Instant uploaded, String contentType,
      Map<String, String> custom) {
    String etag = eTag == null ? "" : eTag.replace("\"", "");
    ObjectNode meta = JSON.createObjectNode();
    meta.put("name", key).put("version", etag).put("size", size).put("etag", etag)
        .put("uploaded", (uploaded == null ? java.time.Instant.now() : uploaded).toEpochMilli())
        .put("storageClass", "Standard");
    ObjectNode http = meta.putObject("httpFields");
    if (contentType != null && !contentType.isBlank()) {
      http.put("contentType", contentType);
    }
    ArrayNode fields = meta.putArray("customFields");
    custom.forEach((k, v) -> fields.addObject().put("k", k).put("v", v));
    return meta;
  }

  private static void reply(HttpExchange exchange, JsonNode meta, byte[] value) throws IOException {
    byte[] head = JSON.writeValueAsBytes(meta);
    byte[] tail = value == null ? new byte[0] : value;
    exchange.getResponseHeaders().set("cf-r2-metadata-size", Integer.toString(head.length));
    exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
    exchange.sendResponseHeaders(200, head.length + tail.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(head);
      out.write(tail);
    }
  }

  private static void noSuchKey(HttpExchange exchange) throws IOException {
    fail(exchange, 404, NO_SUCH_KEY, "The specified key does not exist.");
  }

  private static void fail(HttpExchange exchange, int status, int v4code, String message) throws IOException {
    ObjectNode error = JSON.createObjectNode().put("version", 0).put("v4code", v4code).put("message", message);
    exchange.getResponseHeaders().set("cf-r2-error", JSON.writeValueAsString(error));
    byte[] body = message.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

}
