package io.sebs.suite;

import io.sebs.junit.ServerlessBenchmark;
import java.time.Duration;

/** 210.thumbnailer in Python: Pillow shrinks the image to fit the box and writes a JPEG. */
@ServerlessBenchmark(value = "210.thumbnailer", language = "python")
class ThumbnailerPythonTest extends ThumbnailerBenchmark {

  /** An interpreter's start-up, Pillow's and the storage client's imports come first. */
  @Override
  Duration coldBudget() {
    return Duration.ofSeconds(5);
  }
}
