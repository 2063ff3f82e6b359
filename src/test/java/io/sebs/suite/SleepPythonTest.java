package io.sebs.suite;

import io.sebs.junit.ServerlessBenchmark;
import java.time.Duration;

/** 010.sleep in Python: a cold start adds an interpreter's start-up to the sleep. */
@ServerlessBenchmark(value = "010.sleep", language = "python")
class SleepPythonTest extends SleepBenchmark {

  @Override
  Duration coldBudget() {
    return Duration.ofMillis(3000);
  }
}
