package io.sebs.junit.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.test;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.platform.InvocationResult;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code sebs.local.clockOffsetMs} shifts every wall clock the function reads (906.clock-report reports
 * them all), by exactly the offset and once: each reading lies between the wrapper's own begin and end
 * (which are shifted too), and, less the offset, within the client's send and receive on the JVM's clock.
 */
class FunctionClockShiftTest {

  @TempDir
  Path results;

  static final Map<String, InvocationResult> SEEN = new ConcurrentHashMap<>();

  @ServerlessBenchmark(value = "906.clock-report", language = "python")
  static class PythonClock {
    @Test
    void report(FunctionInvoker invoker) {
      invoker.invoke(); // the first request loads the function module; the second is warm
      SEEN.put("python", (InvocationResult) invoker.invoke());
    }
  }

  @ServerlessBenchmark(value = "906.clock-report", language = "nodejs")
  static class NodeClock {
    @Test
    void report(FunctionInvoker invoker) {
      invoker.invoke();
      SEEN.put("nodejs", (InvocationResult) invoker.invoke());
    }
  }

  @ParameterizedTest(name = "{0} with offset {1} ms")
  @CsvSource({"python, 250", "python, -37.5", "python, 0", "nodejs, 250", "nodejs, -37.5", "nodejs, 0"})
  void everyClockTheFunctionReadsIsShiftedOnceByTheOffset(String language, double offsetMs) {
    Class<?> test = language.equals("python") ? PythonClock.class : NodeClock.class;
    ExtensionTestKit.run(test, results, "sebs.local.clockOffsetMs", Double.toString(offsetMs))
        .assertThatEvents().haveExactly(1, event(test(), finishedSuccessfully()));
    InvocationResult r = SEEN.remove(language);
    assertThat(r.failed()).as("%s", r).isFalse();

    long offsetMicros = Math.round(offsetMs * 1000);
    long clientEnd = r.clientBeginMicros() + r.clientMicros();
    // Python's clocks are the wrapper's to the microsecond (2 us: float seconds round). Node's are not:
    // Date.now() has millisecond steps, performance.timeOrigin is 0.1-0.2 ms off the wall clock, and the
    // wrapper's own clock is anchored to Date.now() to a few hundred microseconds. A double or missing
    // shift would be off by the whole offset, far beyond these tolerances.
    // performance.timeOrigin + performance.now() was seen up to 3.2 ms behind the wrapper's clock.
    long tolerance = language.equals("nodejs") ? 1000 : 2;
    JsonNode clocks = r.output();
    assertThat(clocks.size()).isEqualTo(4);
    clocks.fields().forEachRemaining(clock -> {
      long reading = clock.getValue().asLong();
      long slack = clock.getKey().contains("performance") ? 5000 : tolerance;
      System.out.printf("%s offset %s ms: %s - begin = %d us, reading - offset - client send = %d us%n",
          language, offsetMs, clock.getKey(), reading - r.functionBeginMicros(),
          reading - offsetMicros - r.clientBeginMicros());
      assertThat(reading).as(clock.getKey() + " between the wrapper's begin and end")
          .isBetween(r.functionBeginMicros() - slack, r.functionEndMicros() + slack);
      assertThat(reading - offsetMicros).as(clock.getKey() + " less the offset, within the client's round trip")
          .isBetween(r.clientBeginMicros() - slack, clientEnd + slack);
    });
  }
}
