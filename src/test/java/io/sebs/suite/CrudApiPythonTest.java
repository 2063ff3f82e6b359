package io.sebs.suite;

import io.sebs.junit.Measurements;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** 130.crud-api in Python: the cart over boto3's DynamoDB client. */
@ServerlessBenchmark(value = "130.crud-api", language = "python")
class CrudApiPythonTest extends CrudApiBenchmark {

  /** An interpreter's start-up and boto3's import come first. */
  @Override
  Duration coldBudget() {
    return Duration.ofSeconds(10);
  }

  @Test
  @ServerlessBenchmark(value = "130.crud-api", language = "python", size = "large")
  @Warm(repetitions = 3)
  void largeEventsWriteACartAndQueryIt(Measurements m) {
    largeEventsAreAnsweredWithinTwoSeconds(m);
  }
}
