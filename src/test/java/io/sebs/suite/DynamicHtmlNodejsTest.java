package io.sebs.suite;

import io.sebs.junit.ServerlessBenchmark;
import java.time.Duration;

/** 110.dynamic-html in Node.js: renders a mustache template. */
@ServerlessBenchmark(value = "110.dynamic-html", language = "nodejs")
class DynamicHtmlNodejsTest extends DynamicHtmlBenchmark {

  /** Node's start-up and loading mustache come first. */
  @Override
  Duration coldBudget() {
    return Duration.ofSeconds(3);
  }
}
