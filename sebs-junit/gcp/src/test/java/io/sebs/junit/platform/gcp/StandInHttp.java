package io.sebs.junit.platform.gcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Reading requests and writing answers (Google's error JSON among them) for the stand-in's handlers. */
final class StandInHttp {

  static final ObjectMapper JSON = new ObjectMapper();

  private StandInHttp() {}

  static byte[] body(HttpExchange exchange) throws IOException {
    return exchange.getRequestBody().readAllBytes();
  }

  static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    exchange.close();
  }

  static void json(HttpExchange exchange, int status, String json) throws IOException {
    send(exchange, status, "application/json; charset=UTF-8", json.getBytes(StandardCharsets.UTF_8));
  }

  /** Google's error answer: {@code {"error": {"code", "message", "status"}}}. */
  static void error(HttpExchange exchange, int code, String status, String message) throws IOException {
    ObjectNode error = JSON.createObjectNode();
    error.putObject("error").put("code", code).put("message", message).put("status", status);
    json(exchange, code, JSON.writeValueAsString(error));
  }
}
