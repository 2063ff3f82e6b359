package io.sebs.junit.platform.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * A Cloud Storage JSON API stand-in that keeps buckets and objects in memory and speaks the wire format Google's
 * clients use: buckets insert/get/list/delete; objects upload as {@code uploadType=media}, {@code multipart} and
 * {@code resumable} (session URI in {@code Location}, chunks with {@code Content-Range}, {@code 308} with
 * {@code Range} until the last one), metadata get, {@code alt=media} downloads with {@code Range}, list with
 * {@code prefix}/{@code delimiter}/{@code pageToken}, delete. Objects carry real {@code md5Hash}/{@code crc32c},
 * which the clients check. Errors are Google's JSON ({@code {"error": {"code", "message", "errors", "status"}}}).
 *
 * <p>Mount it under each of {@link #PATHS}. Requests must pass the Authorization check given at construction
 * (null: none, as an emulator behind {@code STORAGE_EMULATOR_HOST} takes no credentials).
 */
public final class GcsApi implements HttpHandler {

  /** The path prefixes this handler serves. */
  public static final List<String> PATHS = List.of("/storage/v1/", "/upload/storage/v1/", "/download/storage/v1/");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern OBJECT = Pattern.compile("/(?:upload/|download/)?storage/v1/b/([^/]+)/o/(.+)");
  private static final Pattern OBJECTS = Pattern.compile("/(?:upload/)?storage/v1/b/([^/]+)/o/?");
  private static final Pattern BUCKET = Pattern.compile("/storage/v1/b/([^/]+)/?");
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\*|(\\d+)-(\\d+))/(\\*|\\d+)");
  private static final int PAGE = 1000;

  private final Predicate<String> authorized;
  private final Map<String, Bucket> buckets = new TreeMap<>();
  private final Map<String, Session> sessions = new LinkedHashMap<>();
  private final AtomicLong generations = new AtomicLong(1_700_000_000_000_000L);
  /** Upload types seen, in order ("media", "multipart", "resumable"): what the clients chose. */
  private final List<String> uploadTypes = new ArrayList<>();
  /** Requests seen ("PUT /upload/storage/v1/b/x/o bytes 0-8388607/*"): how the clients spoke. */
  private final List<String> requests = new ArrayList<>();

  private static final class Bucket {
    final String name;
    final String project;
    final String location;
    final Instant created = Instant.now();
    final NavigableMap<String, StoredObject> objects = new TreeMap<>();
    final boolean foreign;

    Bucket(String name, String project, String location, boolean foreign) {
      this.name = name;
      this.project = project;
      this.location = location;
      this.foreign = foreign;
    }
  }

  private record StoredObject(String name, byte[] data, String contentType, long generation, Instant created) {}

  private static final class Session {
    final String bucket;
    final String name;
    final String contentType;
    final ByteArrayOutputStream data = new ByteArrayOutputStream();

    Session(String bucket, String name, String contentType) {
      this.bucket = bucket;
      this.name = name;
      this.contentType = contentType;
    }
  }

  /**
   * @param authorized checks the Authorization header's value (null when absent); null = no check. To let
   *     functions in through the emulator convention while the platform must authenticate, accept null too.
   */
  public GcsApi(Predicate<String> authorized) {
    this.authorized = authorized;
  }

  /** A bucket of another project: creating it is a conflict, reading it forbidden (a name someone else took). */
  public synchronized void addForeignBucket(String name) {
    buckets.put(name, new Bucket(name, "someone-else", "US", true));
  }

  public synchronized List<String> uploadTypes() {
    return List.copyOf(uploadTypes);
  }

  public synchronized List<String> requests() {
    return List.copyOf(requests);
  }

  public synchronized boolean hasBucket(String name) {
    return buckets.containsKey(name);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = requestBody(exchange);
      if (authorized != null && !authorized.test(exchange.getRequestHeaders().getFirst("Authorization"))) {
        error(exchange, 401, "UNAUTHENTICATED", "required",
            "Anonymous caller does not have storage access: the request lacks a valid Authorization header.");
        return;
      }
      synchronized (this) {
        String range = exchange.getRequestHeaders().getFirst("Content-Range");
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
            + (range == null ? "" : " " + range));
        route(exchange, body);
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      error(exchange, 400, "INVALID_ARGUMENT", "parseError", "Parse Error: " + e.getOriginalMessage());
    } catch (RuntimeException e) {
      error(exchange, 500, "INTERNAL", "backendError", String.valueOf(e));
    }
  }

  /** The request body; Google's HTTP clients gzip JSON request bodies ({@code Content-Encoding: gzip}). */
  static byte[] requestBody(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
          new java.io.ByteArrayInputStream(body))) {
        return in.readAllBytes();
      }
    }
    return body;
  }

  private void route(HttpExchange exchange, byte[] body) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    Matcher m;
    if ((m = OBJECT.matcher(path)).matches()) {
      String bucket = decode(m.group(1));
      String name = decode(m.group(2));
      if (method.equals("GET")) {
        getObject(exchange, bucket, name, "media".equals(query.get("alt")) || path.startsWith("/download/"));
      } else if (method.equals("DELETE")) {
        deleteObject(exchange, bucket, name);
      } else {
        error(exchange, 405, "INVALID_ARGUMENT", "invalid", method + " " + path + " is not supported here");
      }
    } else if ((m = OBJECTS.matcher(path)).matches()) {
      String bucket = decode(m.group(1));
      if (path.startsWith("/upload/") && method.equals("POST")) {
        upload(exchange, bucket, query, body);
      } else if (path.startsWith("/upload/") && method.equals("PUT")) {
        resumableChunk(exchange, query, body);
      } else if (method.equals("GET")) {
        listObjects(exchange, bucket, query);
      } else {
        error(exchange, 405, "INVALID_ARGUMENT", "invalid", method + " " + path + " is not supported here");
      }
    } else if ((m = BUCKET.matcher(path)).matches()) {
      String bucket = decode(m.group(1));
      if (method.equals("GET")) {
        Bucket b = bucket(exchange, bucket);
        if (b != null) {
          json(exchange, 200, bucketJson(b));
        }
      } else if (method.equals("DELETE")) {
        deleteBucket(exchange, bucket);
      } else {
        error(exchange, 405, "INVALID_ARGUMENT", "invalid", method + " " + path + " is not supported here");
      }
    } else if (path.equals("/storage/v1/b") || path.equals("/storage/v1/b/")) {
      if (method.equals("POST")) {
        createBucket(exchange, query, body);
      } else if (method.equals("GET")) {
        listBuckets(exchange, query);
      } else {
        error(exchange, 405, "INVALID_ARGUMENT", "invalid", method + " " + path + " is not supported here");
      }
    } else {
      error(exchange, 404, "NOT_FOUND", "notFound", "Not Found: " + path);
    }
  }

  // ------------------------------------------------------------------------------------------------ buckets

  private void createBucket(HttpExchange exchange, Map<String, String> query, byte[] body) throws IOException {
    String project = query.get("project");
    if (project == null || project.isEmpty()) {
      error(exchange, 400, "INVALID_ARGUMENT", "required", "Required parameter: project");
      return;
    }
    JsonNode request = JSON.readTree(body);
    String name = request.path("name").asText("");
    if (!name.matches("[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]")) {
      error(exchange, 400, "INVALID_ARGUMENT", "invalid", "Invalid bucket name: '" + name + "'");
      return;
    }
    Bucket existing = buckets.get(name);
    if (existing != null) {
      error(exchange, 409, "ALREADY_EXISTS", "conflict", existing.project.equals(project) && !existing.foreign
          ? "Your previous request to create the named bucket succeeded and you already own it."
          : "The requested bucket name is not available. The bucket namespace is shared by all users of the "
              + "system. Please select a different name and try again.");
      return;
    }
    Bucket bucket = new Bucket(name, project, request.path("location").asText("US").toUpperCase(), false);
    buckets.put(name, bucket);
    json(exchange, 200, bucketJson(bucket));
  }

  private void listBuckets(HttpExchange exchange, Map<String, String> query) throws IOException {
    String project = query.get("project");
    ObjectNode answer = JSON.createObjectNode().put("kind", "storage#buckets");
    ArrayNode items = answer.putArray("items");
    for (Bucket b : buckets.values()) {
      if (!b.foreign && (project == null || project.equals(b.project))) {
        items.add(bucketJson(b));
      }
    }
    json(exchange, 200, answer);
  }

  private void deleteBucket(HttpExchange exchange, String name) throws IOException {
    Bucket bucket = bucket(exchange, name);
    if (bucket == null) {
      return;
    }
    if (!bucket.objects.isEmpty()) {
      error(exchange, 409, "FAILED_PRECONDITION", "conflict", "The bucket you tried to delete is not empty.");
      return;
    }
    buckets.remove(name);
    exchange.sendResponseHeaders(204, -1);
  }

  /** The bucket, or null after answering 404 (missing) or 403 (another project's). */
  private Bucket bucket(HttpExchange exchange, String name) throws IOException {
    Bucket bucket = buckets.get(name);
    if (bucket == null) {
      error(exchange, 404, "NOT_FOUND", "notFound", "The specified bucket does not exist.");
      return null;
    }
    if (bucket.foreign) {
      error(exchange, 403, "PERMISSION_DENIED", "forbidden", "The caller does not have storage.buckets.get access"
          + " to the Google Cloud Storage bucket. Permission 'storage.buckets.get' denied on resource (or it may not"
          + " exist).");
      return null;
    }
    return bucket;
  }

  private static ObjectNode bucketJson(Bucket b) {
    return JSON.createObjectNode().put("kind", "storage#bucket").put("id", b.name).put("name", b.name)
        .put("projectNumber", Integer.toString(Math.abs(b.project.hashCode()))).put("location", b.location)
        .put("storageClass", "STANDARD").put("locationType", b.location.contains("-") ? "region" : "multi-region")
        .put("metageneration", "1").put("etag", "CAE=").put("timeCreated", b.created.toString())
        .put("updated", b.created.toString());
  }

  // ------------------------------------------------------------------------------------------------ objects

  private void upload(HttpExchange exchange, String bucketName, Map<String, String> query, byte[] body)
      throws IOException {
    Bucket bucket = bucket(exchange, bucketName);
    if (bucket == null) {
      return;
    }
    String type = query.getOrDefault("uploadType", "");
    uploadTypes.add(type);
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    switch (type) {
      case "media": {
        String name = query.get("name");
        if (name == null || name.isEmpty()) {
          error(exchange, 400, "INVALID_ARGUMENT", "required", "Required parameter: name");
          return;
        }
        store(exchange, bucket, name, body, contentType == null ? "application/octet-stream" : contentType, query,
            null);
        return;
      }
      case "multipart": {
        Matcher boundary = Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(contentType == null ? "" : contentType);
        if (!contentType.startsWith("multipart/related") || !boundary.find()) {
          error(exchange, 400, "INVALID_ARGUMENT", "invalid", "Multipart uploads need Content-Type multipart/related"
              + " with a boundary, not " + contentType);
          return;
        }
        List<byte[][]> parts = multipart(body, boundary.group(1));
        if (parts.size() != 2) {
          error(exchange, 400, "INVALID_ARGUMENT", "invalid", "A multipart upload has 2 parts (metadata, media), not "
              + parts.size());
          return;
        }
        JsonNode metadata = JSON.readTree(parts.get(0)[1]);
        String mediaType = headerValue(parts.get(1)[0], "content-type");
        String name = metadata.path("name").asText(query.getOrDefault("name", ""));
        store(exchange, bucket, name, parts.get(1)[1],
            metadata.path("contentType").asText(mediaType == null ? "application/octet-stream" : mediaType), query,
            metadata);
        return;
      }
      case "resumable": {
        JsonNode metadata = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        String name = metadata.path("name").asText(query.getOrDefault("name", ""));
        if (name.isEmpty()) {
          error(exchange, 400, "INVALID_ARGUMENT", "required", "Required parameter: name");
          return;
        }
        String uploadContentType = exchange.getRequestHeaders().getFirst("X-Upload-Content-Type");
        String id = UUID.randomUUID().toString().replace("-", "");
        sessions.put(id, new Session(bucketName, name, metadata.path("contentType")
            .asText(uploadContentType == null ? "application/octet-stream" : uploadContentType)));
        String host = exchange.getRequestHeaders().getFirst("Host");
        exchange.getResponseHeaders().set("Location", "http://" + host + "/upload/storage/v1/b/"
            + encode(bucketName) + "/o?uploadType=resumable&name=" + encode(name) + "&upload_id=" + id);
        exchange.getResponseHeaders().set("X-GUploader-UploadID", id);
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      default:
        error(exchange, 400, "INVALID_ARGUMENT", "invalid", "Invalid upload type: '" + type + "'");
    }
  }

  /** A chunk of a resumable upload (or a status query, {@code bytes * /total}). */
  private void resumableChunk(HttpExchange exchange, Map<String, String> query, byte[] body) throws IOException {
    Session session = sessions.get(query.getOrDefault("upload_id", ""));
    if (session == null) {
      error(exchange, 404, "NOT_FOUND", "notFound", "No such upload session: " + query.get("upload_id"));
      return;
    }
    String range = exchange.getRequestHeaders().getFirst("Content-Range");
    long total = -1;
    if (range == null) { // the whole object in one PUT
      session.data.writeBytes(body);
      total = session.data.size();
    } else {
      Matcher m = CONTENT_RANGE.matcher(range.strip());
      if (!m.matches()) {
        error(exchange, 400, "INVALID_ARGUMENT", "invalid", "Invalid Content-Range: " + range);
        return;
      }
      if (!m.group(4).equals("*")) {
        total = Long.parseLong(m.group(4));
      }
      if (m.group(2) != null) {
        long first = Long.parseLong(m.group(2));
        long last = Long.parseLong(m.group(3));
        if (first > session.data.size() || last - first + 1 != body.length) {
          error(exchange, 400, "INVALID_ARGUMENT", "invalid", "Content-Range " + range + " does not continue the "
              + session.data.size() + " bytes received, or does not match the " + body.length + " bytes sent");
          return;
        }
        // a retried chunk may overlap what was received: keep only the new bytes
        int skip = (int) Math.min(body.length, session.data.size() - first);
        session.data.write(body, skip, body.length - skip);
      }
    }
    if (total >= 0 && session.data.size() == total) {
      sessions.remove(query.get("upload_id"));
      store(exchange, buckets.get(session.bucket), session.name, session.data.toByteArray(), session.contentType,
          Map.of(), null);
      return;
    }
    if (session.data.size() > 0) {
      exchange.getResponseHeaders().set("Range", "bytes=0-" + (session.data.size() - 1));
    }
    exchange.sendResponseHeaders(308, -1);
  }

  private void store(HttpExchange exchange, Bucket bucket, String name, byte[] data, String contentType,
      Map<String, String> query, JsonNode metadata) throws IOException {
    if (bucket == null) {
      error(exchange, 404, "NOT_FOUND", "notFound", "The specified bucket does not exist.");
      return;
    }
    StoredObject current = bucket.objects.get(name);
    String ifGeneration = query.get("ifGenerationMatch");
    if (ifGeneration != null && Long.parseLong(ifGeneration) != (current == null ? 0 : current.generation())) {
      error(exchange, 412, "FAILED_PRECONDITION", "conditionNotMet", "At least one of the pre-conditions you "
          + "specified did not hold.");
      return;
    }
    if (metadata != null && metadata.has("crc32c") && !metadata.get("crc32c").asText().equals(crc32c(data))) {
      error(exchange, 400, "INVALID_ARGUMENT", "invalid", "Provided CRC32C \"" + metadata.get("crc32c").asText()
          + "\" doesn't match calculated CRC32C \"" + crc32c(data) + "\".");
      return;
    }
    StoredObject object = new StoredObject(name, data, contentType, generations.incrementAndGet(), Instant.now());
    bucket.objects.put(name, object);
    json(exchange, 200, objectJson(exchange, bucket.name, object));
  }

  private void getObject(HttpExchange exchange, String bucketName, String name, boolean media) throws IOException {
    Bucket bucket = bucket(exchange, bucketName);
    if (bucket == null) {
      return;
    }
    StoredObject object = bucket.objects.get(name);
    if (object == null) {
      error(exchange, 404, "NOT_FOUND", "notFound", "No such object: " + bucketName + "/" + name);
      return;
    }
    if (!media) {
      json(exchange, 200, objectJson(exchange, bucketName, object));
      return;
    }
    byte[] data = object.data();
    exchange.getResponseHeaders().set("Content-Type", object.contentType());
    exchange.getResponseHeaders().set("x-goog-generation", Long.toString(object.generation()));
    exchange.getResponseHeaders().set("x-goog-metageneration", "1");
    exchange.getResponseHeaders().set("x-goog-stored-content-length", Integer.toString(data.length));
    exchange.getResponseHeaders().set("x-goog-hash", "crc32c=" + crc32c(data) + ",md5=" + md5(data));
    exchange.getResponseHeaders().set("ETag", etag(object));
    String range = exchange.getRequestHeaders().getFirst("Range");
    Matcher m = range == null ? null : Pattern.compile("bytes=(\\d*)-(\\d*)").matcher(range.strip());
    if (m == null || !m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      send(exchange, 200, data);
      return;
    }
    long first;
    long last;
    if (m.group(1).isEmpty()) { // the last n bytes
      first = Math.max(0, data.length - Long.parseLong(m.group(2)));
      last = data.length - 1;
    } else {
      first = Long.parseLong(m.group(1));
      last = m.group(2).isEmpty() ? data.length - 1 : Math.min(Long.parseLong(m.group(2)), data.length - 1);
    }
    if (first >= data.length || first > last) {
      exchange.getResponseHeaders().set("Content-Range", "bytes */" + data.length);
      error(exchange, 416, "OUT_OF_RANGE", "requestedRangeNotSatisfiable", "The requested range cannot be satisfied.");
      return;
    }
    exchange.getResponseHeaders().set("Content-Range", "bytes " + first + "-" + last + "/" + data.length);
    send(exchange, 206, Arrays.copyOfRange(data, (int) first, (int) last + 1));
  }

  private void deleteObject(HttpExchange exchange, String bucketName, String name) throws IOException {
    Bucket bucket = bucket(exchange, bucketName);
    if (bucket == null) {
      return;
    }
    if (bucket.objects.remove(name) == null) {
      error(exchange, 404, "NOT_FOUND", "notFound", "No such object: " + bucketName + "/" + name);
      return;
    }
    exchange.sendResponseHeaders(204, -1);
  }

  /** Objects in name order from {@code pageToken}; with a delimiter, names past it fold into prefixes. */
  private void listObjects(HttpExchange exchange, String bucketName, Map<String, String> query) throws IOException {
    Bucket bucket = bucket(exchange, bucketName);
    if (bucket == null) {
      return;
    }
    String prefix = query.getOrDefault("prefix", "");
    String delimiter = query.getOrDefault("delimiter", "");
    int max = Math.min(PAGE, Integer.parseInt(query.getOrDefault("maxResults", Integer.toString(PAGE))));
    String start = query.containsKey("pageToken")
        ? new String(Base64.getUrlDecoder().decode(query.get("pageToken")), StandardCharsets.UTF_8) : prefix;
    ObjectNode answer = JSON.createObjectNode().put("kind", "storage#objects");
    ArrayNode items = JSON.createArrayNode();
    TreeSet<String> prefixes = new TreeSet<>();
    int count = 0;
    String next = null;
    for (StoredObject object : bucket.objects.tailMap(start, true).values()) {
      String name = object.name();
      if (!name.startsWith(prefix)) {
        break;
      }
      if (count == max) {
        next = name;
        break;
      }
      int cut = delimiter.isEmpty() ? -1 : name.indexOf(delimiter, prefix.length());
      if (cut >= 0) {
        if (prefixes.add(name.substring(0, cut + delimiter.length()))) {
          count++;
        }
      } else {
        items.add(objectJson(exchange, bucketName, object));
        count++;
      }
    }
    if (!items.isEmpty()) {
      answer.set("items", items);
    }
    if (!prefixes.isEmpty()) {
      ArrayNode p = answer.putArray("prefixes");
      prefixes.forEach(p::add);
    }
    if (next != null) {
      answer.put("nextPageToken", Base64.getUrlEncoder().withoutPadding()
          .encodeToString(next.getBytes(StandardCharsets.UTF_8)));
    }
    json(exchange, 200, answer);
  }

  private static ObjectNode objectJson(HttpExchange exchange, String bucket, StoredObject o) {
    String base = "http://" + exchange.getRequestHeaders().getFirst("Host");
    String path = "/b/" + encode(bucket) + "/o/" + encode(o.name());
    return JSON.createObjectNode().put("kind", "storage#object")
        .put("id", bucket + "/" + o.name() + "/" + o.generation())
        .put("selfLink", base + "/storage/v1" + path)
        .put("mediaLink", base + "/download/storage/v1" + path + "?generation=" + o.generation() + "&alt=media")
        .put("name", o.name()).put("bucket", bucket).put("generation", Long.toString(o.generation()))
        .put("metageneration", "1").put("contentType", o.contentType()).put("storageClass", "STANDARD")
        .put("size", Integer.toString(o.data().length)).put("md5Hash", md5(o.data()))
        .put("crc32c", crc32c(o.data())).put("etag", etag(o))
        .put("timeCreated", o.created().toString()).put("updated", o.created().toString())
        .put("timeStorageClassUpdated", o.created().toString());
  }

  private static String etag(StoredObject o) {
    return "C" + Long.toHexString(o.generation()) + "EAE=";
  }

  // ------------------------------------------------------------------------------------------------ wire helpers

  /** The parts of a multipart/related body: each {headers, content}. */
  static List<byte[][]> multipart(byte[] body, String boundary) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    List<byte[][]> parts = new ArrayList<>();
    int at = indexOf(body, delimiter, 0);
    while (at >= 0) {
      int start = at + delimiter.length;
      if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
        break; // the closing delimiter
      }
      start = skipLineBreak(body, start);
      int end = indexOf(body, delimiter, start);
      if (end < 0) {
        break;
      }
      int contentEnd = end;
      if (contentEnd >= 2 && body[contentEnd - 2] == '\r' && body[contentEnd - 1] == '\n') {
        contentEnd -= 2;
      } else if (contentEnd >= 1 && body[contentEnd - 1] == '\n') {
        contentEnd -= 1;
      }
      int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
      int separator = 4;
      if (headersEnd < 0 || headersEnd > contentEnd) {
        headersEnd = indexOf(body, "\n\n".getBytes(StandardCharsets.ISO_8859_1), start);
        separator = 2;
      }
      if (headersEnd < 0 || headersEnd > contentEnd) { // no headers
        parts.add(new byte[][] {new byte[0], Arrays.copyOfRange(body, start, contentEnd)});
      } else {
        parts.add(new byte[][] {Arrays.copyOfRange(body, start, headersEnd),
            Arrays.copyOfRange(body, headersEnd + separator, contentEnd)});
      }
      at = end;
    }
    return parts;
  }

  private static int skipLineBreak(byte[] body, int at) {
    if (at + 1 < body.length && body[at] == '\r' && body[at + 1] == '\n') {
      return at + 2;
    }
    return at < body.length && body[at] == '\n' ? at + 1 : at;
  }

  private static int indexOf(byte[] data, byte[] pattern, int from) {
    outer:
    for (int i = from; i <= data.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static String headerValue(byte[] headers, String name) {
    for (String line : new String(headers, StandardCharsets.ISO_8859_1).split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).strip();
      }
    }
    return null;
  }

  static String crc32c(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  static String md5(byte[] data) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> values = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return values;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      values.put(key, eq < 0 ? "" : decode(pair.substring(eq + 1)));
    }
    return values;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    send(exchange, status, JSON.writeValueAsBytes(body));
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Google's JSON error, as the JSON API writes it. */
  static void error(HttpExchange exchange, int code, String status, String reason, String message)
      throws IOException {
    ObjectNode error = JSON.createObjectNode();
    ObjectNode e = error.putObject("error").put("code", code).put("message", message);
    e.putArray("errors").addObject().put("message", message).put("domain", "global").put("reason", reason);
    e.put("status", status);
    json(exchange, code, error);
  }
}
