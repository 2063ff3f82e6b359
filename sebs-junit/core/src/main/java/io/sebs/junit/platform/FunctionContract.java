package io.sebs.junit.platform;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Reads what every wrapper returns (the function contract): {@code begin}, {@code end},
 * {@code income_timestamp} (epoch seconds with microseconds, as strings or numbers), {@code is_cold},
 * {@code container_id}, {@code request_id}, and {@code result} with the benchmark's {@code output} and
 * {@code measurement}; an error answer carries {@code error} instead of {@code result}.
 */
public final class FunctionContract {

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private FunctionContract() {}

  /**
   * Turns a wrapper's answer into an invocation.
   *
   * @param clientRequestId the id the client sent, used when the answer has none
   */
  public static InvocationResult read(JsonNode body, String clientRequestId, long clientBeginMicros,
      long clientMicros) {
    String requestId = body.path("request_id").asText(clientRequestId);
    String failure = null;
    if (body.hasNonNull("error")) {
      JsonNode error = body.get("error");
      failure = "function error: " + (error.isTextual() ? error.asText() : error.toString())
          + (body.hasNonNull("traceback") ? "\n" + body.get("traceback").asText() : "");
    } else if (!body.has("result")) {
      failure = "the function's answer has neither 'result' nor 'error': " + abbreviate(body.toString());
    }
    JsonNode result = body.path("result");
    return new InvocationResult(requestId, clientBeginMicros, clientMicros,
        epochMicros(body.path("begin")), epochMicros(body.path("end")), epochMicros(body.path("income_timestamp")),
        -1, -1, body.path("is_cold").asBoolean(false), body.path("container_id").asText(""), failure,
        result.path("output"), result.path("measurement"));
  }

  /** Epoch seconds ("1700000000.123456" or a number) to epoch microseconds; 0 when absent. */
  public static long epochMicros(JsonNode seconds) {
    if (seconds.isMissingNode() || seconds.isNull()) {
      return 0;
    }
    String text = seconds.asText().trim();
    if (text.isEmpty()) {
      return 0;
    }
    try {
      return new BigDecimal(text).movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("Not a timestamp in epoch seconds: '" + text + "'", e);
    }
  }

  /**
   * What a platform makes of an answer that is not the contract's (the provider's own error page, a throttling
   * 429, a gateway timeout): the reason its invocation failed, in the provider's terms.
   */
  @FunctionalInterface
  public interface ErrorPage {
    String reason(int status, String body);
  }

  /**
   * Reads a wrapper's answer that came over HTTP through a provider's front end, the one shape every HTTP-invoked
   * platform sees: a JSON object with {@code result} or {@code error} is the contract's answer (failed when its
   * status is not 2xx, naming the status); anything else is the front end's, and fails with {@code errorPage}'s
   * reason, as does a wrapper's {@linkplain #isStaleRefusal refusal of a stale instance} (the platform names it). A cold answer carrying {@code init_begin} (epoch seconds when the wrapper's module began loading) gets
   * its init time, {@code income_timestamp - init_begin}.
   *
   * @param clientRequestId the id the client sent, used when the answer has none
   */
  public static InvocationResult readHttp(int status, String body, String clientRequestId, long clientBeginMicros,
      long clientMicros, ErrorPage errorPage) {
    JsonNode json = jsonObject(body);
    if (json == null || !(json.has("result") || json.has("error")) || isStaleRefusal(status, json)) {
      return InvocationResult.failedBeforeAnswer(clientRequestId, clientBeginMicros, clientMicros,
          errorPage.reason(status, body == null ? "" : body));
    }
    InvocationResult result = read(json, clientRequestId, clientBeginMicros, clientMicros);
    if (result.isCold() && json.hasNonNull("init_begin") && result.incomeTimestampMicros() > 0) {
      long init = result.incomeTimestampMicros() - epochMicros(json.get("init_begin"));
      if (init >= 0) {
        result = result.withInitMicros(init);
      }
    }
    if (status / 100 != 2 && !result.failed()) {
      result = result.withFailure("HTTP " + status + ": " + abbreviate(json.toString()));
    }
    return result;
  }

  /**
   * Whether an answer is a wrapper refusing a request unrun because its instance predates an enforced cold start
   * (HTTP 409 with {@code "stale": true}), as the wrappers of platforms that force cold starts by a new version do.
   */
  public static boolean isStaleRefusal(int status, String body) {
    return isStaleRefusal(status, status == 409 ? jsonObject(body) : null);
  }

  private static boolean isStaleRefusal(int status, JsonNode json) {
    return status == 409 && json != null && json.path("stale").asBoolean(false);
  }

  /** {@code text} stripped and cut to 300 characters, for failure messages. */
  public static String abbreviate(String text) {
    String t = text == null ? "" : text.strip();
    return t.length() <= 300 ? t : t.substring(0, 300) + "...";
  }

  private static JsonNode jsonObject(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      JsonNode json = JSON.readTree(body);
      return json != null && json.isObject() ? json : null;
    } catch (java.io.IOException | RuntimeException e) {
      return null; // not JSON: a front end's error page
    }
  }
}
