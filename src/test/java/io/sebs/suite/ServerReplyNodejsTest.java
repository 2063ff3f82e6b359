package io.sebs.suite;

import io.sebs.junit.ServerlessBenchmark;
import java.time.Duration;

/** 040.server-reply in Node.js: the net module. */
@ServerlessBenchmark(value = "040.server-reply", language = "nodejs")
class ServerReplyNodejsTest extends ServerReplyBenchmark {

  /** Warm: a loopback connection, under 100 ms; cold: node's start-up comes first. */
  @Override
  Budgets budgets() {
    return new Budgets(Duration.ofMillis(100), Duration.ofSeconds(5));
  }
}
