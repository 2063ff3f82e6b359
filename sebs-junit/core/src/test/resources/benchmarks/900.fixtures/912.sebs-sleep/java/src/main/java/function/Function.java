package function;

import java.util.Map;

/** Sleeps for the event's seconds and answers them, with SeBS's Java handler signature. */
public class Function {

  public Map<String, Object> handler(Map<String, Object> event) throws InterruptedException {
    Object pause = event.get("sleep");
    double seconds = pause instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(pause));
    Thread.sleep((long) (seconds * 1000));
    return Map.of("result", seconds);
  }
}
