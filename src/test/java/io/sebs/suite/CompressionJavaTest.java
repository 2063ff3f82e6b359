package io.sebs.suite;

import io.sebs.junit.ServerlessBenchmark;
import java.time.Duration;

/**
 * 311.compression in Java: zips the tree with java.util.zip, through the wrapper's S3 client (AWS SDK v2).
 */
@ServerlessBenchmark(value = "311.compression", language = "java")
class CompressionJavaTest extends CompressionBenchmark {

  /** Warm: under 500 ms; cold: a JVM's start-up and loading the S3 client come first. */
  @Override
  Budgets budgets() {
    return new Budgets(Duration.ofMillis(500), Duration.ofSeconds(5));
  }
}
