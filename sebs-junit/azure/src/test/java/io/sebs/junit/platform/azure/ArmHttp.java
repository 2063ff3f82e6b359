package io.sebs.junit.platform.azure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Reading requests and writing answers (Resource Manager's error JSON among them) for the stand-in's handlers. */
final class ArmHttp {

  static final ObjectMapper JSON = new ObjectMapper();

  private ArmHttp() {}

  static byte[] body(HttpExchange exchange) throws IOException {
    return exchange.getRequestBody().readAllBytes();
  }

  static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("x-ms-request-id", java.util.UUID.randomUUID().toString());
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    exchange.close();
  }

  static void json(HttpExchange exchange, int status, Object json) throws IOException {
    byte[] body = json instanceof String ? ((String) json).getBytes(StandardCharsets.UTF_8)
        : JSON.writeValueAsBytes(json);
    send(exchange, status, "application/json; charset=utf-8", body);
  }

  /** Resource Manager's error answer: {@code {"error": {"code", "message"}}}. */
  static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
    ObjectNode error = JSON.createObjectNode();
    error.putObject("error").put("code", code).put("message", message);
    json(exchange, status, error);
  }

  /** The query string's parameters (no repeated keys in these APIs). */
  static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> params = new java.util.LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(key, value);
    }
    return params;
  }
}
