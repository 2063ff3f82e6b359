package io.sebs.suite;

import io.sebs.junit.ServerlessBenchmark;
import java.time.Duration;

/**
 * 311.compression in Node.js: zips the tree with archiver (as SeBS's Node.js version) after the storage
 * module's downloadDirectory, and stores it with the AWS SDK v3.
 */
@ServerlessBenchmark(value = "311.compression", language = "nodejs")
class CompressionNodejsTest extends CompressionBenchmark {

  /** Warm: under 1 s; cold: node's start-up, loading archiver and the S3 client come first. */
  @Override
  Budgets budgets() {
    return new Budgets(Duration.ofSeconds(1), Duration.ofSeconds(10));
  }
}
