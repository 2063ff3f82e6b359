package io.sebs.suite;

import io.sebs.junit.ServerlessBenchmark;
import java.time.Duration;

/** 120.uploader in Node.js: fetches the file and uploads it with the AWS SDK's S3 client. */
@ServerlessBenchmark(value = "120.uploader", language = "nodejs")
class UploaderNodejsTest extends UploaderBenchmark {

  /** Node's start-up and loading the S3 client come first. */
  @Override
  Duration coldBudget() {
    return Duration.ofSeconds(15);
  }
}
