package function;

import java.util.Map;

/** 010.sleep: block for a requested number of seconds and report it back. */
public final class Function {

  private Function() {}

  public static Map<String, Object> handler(Map<String, Object> event) throws InterruptedException {
    Object seconds = event.get("sleep");
    if (!(seconds instanceof Number)) {
      throw new IllegalArgumentException("event['sleep'] must be a number of seconds, got " + seconds);
    }
    double value = ((Number) seconds).doubleValue();
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("event['sleep'] must be a finite, non-negative number, got " + seconds);
    }
    long nanos = Math.round(value * 1e9);
    Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    return Map.of("result", seconds);
  }
}
