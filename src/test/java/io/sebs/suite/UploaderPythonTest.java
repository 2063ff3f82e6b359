package io.sebs.suite;

import io.sebs.junit.ServerlessBenchmark;
import java.time.Duration;

/** 120.uploader in Python: downloads with urllib and uploads with boto3. */
@ServerlessBenchmark(value = "120.uploader", language = "python")
class UploaderPythonTest extends UploaderBenchmark {

  /** An interpreter's start-up and boto3's import come first. */
  @Override
  Duration coldBudget() {
    return Duration.ofSeconds(15);
  }
}
