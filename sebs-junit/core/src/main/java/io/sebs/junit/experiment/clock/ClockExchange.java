package io.sebs.junit.experiment.clock;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One NTP-style exchange between a function (the client) and the {@link TimestampServer}: the function
 * sends at {@code t1} and receives the reply at {@code t4} on its clock; the server receives at {@code t2}
 * and replies at {@code t3} on its clock. All in epoch microseconds, as 030.clock-synchronization reports
 * them (keys {@code client_send}, {@code server_rcv}, {@code server_send}, {@code client_rcv}).
 */
public record ClockExchange(long t1, long t2, long t3, long t4) {

  public ClockExchange {
    if (t4 < t1 || t3 < t2) {
      throw new IllegalArgumentException("An exchange needs t1 <= t4 (function clock) and t2 <= t3 (server clock), got "
          + "t1=" + t1 + " t2=" + t2 + " t3=" + t3 + " t4=" + t4);
    }
  }

  /**
   * NTP's offset theta = ((t2 - t1) + (t3 - t4)) / 2: the server's clock minus the function's, in
   * microseconds, exact when the two one-way delays are equal. Add it to a function timestamp to read it
   * on the server's clock.
   */
  public double theta() {
    return ((t2 - t1) + (t3 - t4)) / 2.0;
  }

  /** NTP's round-trip delay delta = (t4 - t1) - (t3 - t2): the time on the wire, without the server's. */
  public long delay() {
    return (t4 - t1) - (t3 - t2);
  }

  /** The exchange's midpoint on the function's clock, the time its offset is measured at. */
  public double functionMidpoint() {
    return (t1 + t4) / 2.0;
  }

  /**
   * The exchanges of a 030.clock-synchronization result ({@code {"exchanges": [...]}}, or the array).
   *
   * @throws IllegalArgumentException when an exchange lacks one of the four stamps, naming it
   */
  public static List<ClockExchange> fromResult(JsonNode output) {
    JsonNode array = output.isArray() ? output : output.path("exchanges");
    if (!array.isArray()) {
      throw new IllegalArgumentException("The function's result has no 'exchanges' array: " + abbreviate(output));
    }
    List<ClockExchange> exchanges = new ArrayList<>();
    for (JsonNode e : array) {
      exchanges.add(new ClockExchange(stamp(e, "client_send"), stamp(e, "server_rcv"), stamp(e, "server_send"),
          stamp(e, "client_rcv")));
    }
    return exchanges;
  }

  private static long stamp(JsonNode exchange, String key) {
    JsonNode value = exchange.get(key);
    if (value == null || !value.canConvertToLong()) {
      throw new IllegalArgumentException("Exchange " + exchange + " has no integer '" + key
          + "' (epoch microseconds); is the server a TimestampServer that stamps its replies?");
    }
    return value.asLong();
  }

  private static String abbreviate(JsonNode node) {
    String text = node.toString();
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
