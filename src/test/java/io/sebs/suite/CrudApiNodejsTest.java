package io.sebs.suite;

import static io.sebs.junit.SebsAssertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.BenchmarkInput;
import io.sebs.junit.ColdStart;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Measurements;
import io.sebs.junit.NoSqlStorage;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import io.sebs.suite.CrudApiPythonTest.CartChecks;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** 130.crud-api in Node.js: a shopping cart over the NoSQL table {@code shopping_cart} (AWS SDK v3). */
@ServerlessBenchmark(value = "130.crud-api", language = "nodejs")
class CrudApiNodejsTest {

  @Test
  @Warm(repetitions = 10, warmup = 2)
  void warmRequestsStayFast(Measurements m) {
    assertThat(m).hasNoFailures().hasNoMisclassified();
    assertThat(m).clientTime().median().isLessThan(Duration.ofMillis(500));
  }

  @Test
  @ColdStart(repetitions = 3)
  void coldStartsLoadTheDynamoDbClient(Measurements m) {
    assertThat(m).hasNoFailures().coldStartRate().isEqualTo(1.0);
    assertThat(m).clientTime().median().isLessThan(ColdBudget.of(m, Duration.ofSeconds(10)));
  }

  @Test
  @ServerlessBenchmark(value = "130.crud-api", language = "nodejs", size = "large")
  @Warm(repetitions = 3)
  void largeEventsWriteACartAndQueryIt(Measurements m) {
    assertThat(m).hasNoFailures(); // 20 PUTs, then reads validated by input.py
    assertThat(m).clientTime().median().isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void seededCartIsInTheTable(@BenchmarkInput JsonNode input, FunctionInvoker invoker, NoSqlStorage nosql) {
    CartChecks.seededCartIsInTheTable(input, invoker, nosql);
  }

  @Test
  void putRowsAreStoredAndReadBack(FunctionInvoker invoker, NoSqlStorage nosql) {
    CartChecks.putRowsAreStoredAndReadBack(invoker, nosql);
  }
}
