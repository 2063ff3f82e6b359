package io.sebs.suite;

import io.sebs.junit.ServerlessBenchmark;
import java.time.Duration;
import org.assertj.core.api.Assertions;

/**
 * 210.thumbnailer in Java: ImageIO and Java2D shrink the image to fit the box and write a JPEG, through the
 * wrapper's S3 client (AWS SDK v2).
 */
@ServerlessBenchmark(value = "210.thumbnailer", language = "java")
class ThumbnailerJavaTest extends ThumbnailerBenchmark {

  /** A JVM's start-up, loading ImageIO, Java2D and the S3 client come first. */
  @Override
  Duration coldBudget() {
    return Duration.ofSeconds(6);
  }

  /** The wrapper's storage turns the SDK's exception into an IOException naming the HTTP status. */
  @Override
  void assertStorageError(String reason) {
    super.assertStorageError(reason);
    Assertions.assertThat(reason).contains("java.io.IOException").contains("404");
  }
}
