package io.sebs.junit.platform.cloudflare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.NoSqlStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link NoSqlStorage} over the sebs-nosql Worker's HTTP API ({@link NoSqlWorker}; the API is described in
 * {@code nosql/sebs_nosql.js}), the same Worker the functions reach through their {@code SEBS_NOSQL} binding, so
 * the test side sees exactly the functions' rows. Locally it is the loopback workerd; on Cloudflare it is the
 * deployed Worker's URL with its bearer token. As with {@code DynamoDbNoSqlStorage}, a table must be created
 * before it is used, and items are JSON values read back as strings, numbers (Long when integral, else Double),
 * booleans, lists and maps. Numbers are JavaScript doubles in the Worker: integers beyond 2^53 lose precision.
 */
public final class CloudflareNoSqlStorage implements NoSqlStorage {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI base;
  private final Optional<String> token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /**
   * @param base the Worker's address, e.g. {@link NoSqlWorker#endpoint()}
   * @param token the bearer token the Worker requires (its SEBS_NOSQL_TOKEN binding), or empty
   */
  public CloudflareNoSqlStorage(URI base, Optional<String> token) {
    this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
    this.token = token;
  }

  @Override
  public void createTable(String table, String partitionKey, String sortKey) {
    ObjectNode schema = JSON.createObjectNode().put("partitionKey", partitionKey).put("sortKey", sortKey);
    call("create table", table, "PUT", path(table), schema);
  }

  @Override
  public void insert(String table, Map<String, Object> item) {
    call("insert into", table, "POST", path(table) + "/insert", body("item", item));
  }

  @Override
  public Optional<Map<String, Object>> get(String table, Map<String, Object> key) {
    JsonNode item = call("get from", table, "POST", path(table) + "/get", body("key", key)).path("item");
    return item.isObject() ? Optional.of(toMap(item)) : Optional.empty();
  }

  /** Sets the attributes; a missing item is created from the key and the attributes, as DynamoDB's UpdateItem. */
  @Override
  public void update(String table, Map<String, Object> key, Map<String, Object> attributes) {
    ObjectNode body = body("key", key);
    body.set("attributes", JSON.valueToTree(attributes));
    call("update in", table, "POST", path(table) + "/update", body);
  }

  /** The partition's items in the order of their sort key. */
  @Override
  public List<Map<String, Object>> query(String table, String partitionKey, Object value) {
    ObjectNode body = JSON.createObjectNode().put("partitionKey", partitionKey);
    body.set("value", JSON.valueToTree(value));
    List<Map<String, Object>> items = new ArrayList<>();
    call("query", table, "POST", path(table) + "/query", body).path("items").forEach(i -> items.add(toMap(i)));
    return items;
  }

  @Override
  public void delete(String table, Map<String, Object> key) {
    call("delete from", table, "POST", path(table) + "/delete", body("key", key));
  }

  /** Deletes the table with its items; nothing happens when it does not exist. */
  @Override
  public void deleteTable(String table) {
    call("delete table", table, "DELETE", path(table), null);
  }

  @Override
  public List<String> tables() {
    List<String> names = new ArrayList<>();
    call("list", "tables", "GET", "tables", null).path("tables").forEach(n -> names.add(n.asText()));
    return names;
  }

  private static String path(String table) {
    return "tables/" + URLEncoder.encode(table, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static ObjectNode body(String field, Map<String, Object> value) {
    ObjectNode body = JSON.createObjectNode();
    body.set(field, JSON.valueToTree(value));
    return body;
  }

  /** Sends the request; a non-2xx answer fails naming the operation, the table and the Worker's message. */
  private JsonNode call(String operation, String table, String method, String path, JsonNode body) {
    String what = operation + " " + table;
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
        .header("Content-Type", "application/json");
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    try {
      request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
          : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode answer = response.body().isBlank() ? JSON.createObjectNode() : readJson(response.body());
      if (response.statusCode() / 100 != 2) {
        String message = answer.path("error").isTextual() ? answer.path("error").asText() : response.body();
        throw new IllegalStateException("NoSQL " + what + " failed: HTTP " + response.statusCode() + " from the"
            + " sebs-nosql Worker at " + base + ": " + message);
      }
      return answer;
    } catch (IOException e) {
      throw new UncheckedIOException("NoSQL " + what + ": cannot reach the sebs-nosql Worker at " + base + ": "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted during NoSQL " + what, e);
    }
  }

  private static JsonNode readJson(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      return JSON.createObjectNode().put("error", text);
    }
  }

  static Map<String, Object> toMap(JsonNode object) {
    Map<String, Object> map = new LinkedHashMap<>();
    object.fields().forEachRemaining(f -> map.put(f.getKey(), toValue(f.getValue())));
    return map;
  }

  private static Object toValue(JsonNode node) {
    if (node.isObject()) {
      return toMap(node);
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(n -> list.add(toValue(n)));
      return list;
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.longValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    return node.isNull() ? null : node.asText();
  }
}
