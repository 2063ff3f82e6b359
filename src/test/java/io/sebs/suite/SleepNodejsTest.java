package io.sebs.suite;

import io.sebs.junit.ServerlessBenchmark;
import java.time.Duration;

/** 010.sleep in Node.js: a cold start adds Node.js's start-up to the sleep. */
@ServerlessBenchmark(value = "010.sleep", language = "nodejs")
class SleepNodejsTest extends SleepBenchmark {

  @Override
  Duration coldBudget() {
    return Duration.ofMillis(3000);
  }
}
