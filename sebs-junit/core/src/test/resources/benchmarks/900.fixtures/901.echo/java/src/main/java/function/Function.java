package function;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test fixture: an echo function whose behaviour the event controls (sleep, fail, crash), as the Python
 * and Node.js versions. Java extras: the output also reports the JVM's heap limit ("max_heap_bytes"), and
 * {"unserializable": true} returns a result JSON cannot carry.
 */
public final class Function {

  private Function() {}

  public static Map<String, Object> handler(Map<String, Object> event) throws InterruptedException {
    Object sleep = event.get("sleep");
    if (sleep instanceof Number && ((Number) sleep).doubleValue() > 0) {
      Thread.sleep(Math.round(((Number) sleep).doubleValue() * 1000));
    }
    Object fail = event.get("fail");
    if (fail != null && !Boolean.FALSE.equals(fail) && !"".equals(fail)) {
      throw new RuntimeException(String.valueOf(fail));
    }
    if (Boolean.TRUE.equals(event.get("crash"))) {
      Runtime.getRuntime().halt(3);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("echo", event);
    result.put("pid", ProcessHandle.current().pid());
    result.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
    if (Boolean.TRUE.equals(event.get("unserializable"))) {
      result.put("thread", Thread.currentThread());
    }
    Map<String, Object> measurement = new LinkedHashMap<>();
    measurement.put("slept_s", event.getOrDefault("sleep", 0));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("result", result);
    answer.put("measurement", measurement);
    return answer;
  }
}
