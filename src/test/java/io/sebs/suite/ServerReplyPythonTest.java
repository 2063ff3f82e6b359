package io.sebs.suite;

import io.sebs.junit.ServerlessBenchmark;
import java.time.Duration;

/** 040.server-reply in Python: the standard library's socket. */
@ServerlessBenchmark(value = "040.server-reply", language = "python")
class ServerReplyPythonTest extends ServerReplyBenchmark {

  /** Warm: a loopback connection, under 100 ms; cold: an interpreter's start-up comes first. */
  @Override
  Budgets budgets() {
    return new Budgets(Duration.ofMillis(100), Duration.ofSeconds(5));
  }
}
