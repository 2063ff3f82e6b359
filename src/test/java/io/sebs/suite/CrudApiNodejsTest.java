package io.sebs.suite;

import io.sebs.junit.Measurements;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** 130.crud-api in Node.js: the cart over the AWS SDK v3's DynamoDB client. */
@ServerlessBenchmark(value = "130.crud-api", language = "nodejs")
class CrudApiNodejsTest extends CrudApiBenchmark {

  /** Node's start-up and loading the DynamoDB client come first. */
  @Override
  Duration coldBudget() {
    return Duration.ofSeconds(10);
  }

  @Test
  @ServerlessBenchmark(value = "130.crud-api", language = "nodejs", size = "large")
  @Warm(repetitions = 3)
  void largeEventsWriteACartAndQueryIt(Measurements m) {
    largeEventsAreAnsweredWithinTwoSeconds(m);
  }
}
