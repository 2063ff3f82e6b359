package io.sebs.suite;

import io.sebs.junit.ServerlessBenchmark;
import java.time.Duration;

/** 311.compression in Python: zips the tree with shutil's make_archive and stores it with boto3. */
@ServerlessBenchmark(value = "311.compression", language = "python")
class CompressionPythonTest extends CompressionBenchmark {

  /** Warm: under 1 s; cold: an interpreter's start-up and boto3's import come first. */
  @Override
  Budgets budgets() {
    return new Budgets(Duration.ofSeconds(1), Duration.ofSeconds(10));
  }
}
