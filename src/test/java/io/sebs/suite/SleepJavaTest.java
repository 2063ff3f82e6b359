package io.sebs.suite;

import io.sebs.junit.ServerlessBenchmark;
import java.time.Duration;

/** 010.sleep in Java: a cold start adds a JVM's start-up to the sleep. */
@ServerlessBenchmark(value = "010.sleep", language = "java")
class SleepJavaTest extends SleepBenchmark {

  @Override
  Duration coldBudget() {
    return Duration.ofMillis(5000);
  }
}
