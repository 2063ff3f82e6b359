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

  static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }
}
