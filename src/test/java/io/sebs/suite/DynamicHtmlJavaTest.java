package io.sebs.suite;

import io.sebs.junit.ServerlessBenchmark;
import java.time.Duration;

/** 110.dynamic-html in Java: renders a mustache.java template. */
@ServerlessBenchmark(value = "110.dynamic-html", language = "java")
class DynamicHtmlJavaTest extends DynamicHtmlBenchmark {

  /** A JVM's start-up and compiling the template come first. */
  @Override
  Duration coldBudget() {
    return Duration.ofSeconds(5);
  }
}
