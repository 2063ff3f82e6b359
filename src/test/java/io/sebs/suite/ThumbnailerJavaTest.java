package io.sebs.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.BenchmarkInput;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.ServerlessBenchmark;
import java.time.Duration;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

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

  @Test
  void aMissingImageFailsTheInvocationWithTheStorageError(FunctionInvoker invoker, @BenchmarkInput JsonNode input) {
    ObjectNode event = input.deepCopy();
    ((ObjectNode) event.path("object")).put("key", "no-such-image.png");

    Invocation result = invoker.invoke(event);

    Assertions.assertThat(result.failed()).isTrue();
    Assertions.assertThat(result.failureReason()).hasValueSatisfying(r -> Assertions.assertThat(r)
        .contains("java.io.IOException").contains("404").contains("NoSuchKey"));
  }
}
