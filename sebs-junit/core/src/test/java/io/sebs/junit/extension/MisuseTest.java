package io.sebs.junit.extension;

import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.sebs.junit.BenchmarkInput;
import io.sebs.junit.Burst;
import io.sebs.junit.ColdStart;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Measurements;
import io.sebs.junit.Platform;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.Events;

/** Misused annotations fail early, with an ExtensionConfigurationException that says what to change. */
class MisuseTest {

  @TempDir
  Path results;

  @Platform("local") // registers the extension, as any sebs-junit annotation does
  static class NoBenchmark {
    @Test
    @ColdStart(repetitions = 2)
    void coldWithoutBenchmark(Measurements m) {}

    @Test
    void invokerWithoutBenchmark(FunctionInvoker invoker) {}

    @Test
    void inputWithoutBenchmark(@BenchmarkInput Map<String, Object> input) {}
  }

  @ServerlessBenchmark("901.echo")
  static class BadCounts {
    @Test
    @Warm(repetitions = 0)
    void zeroRepetitions(Measurements m) {}

    @Test
    @Warm(repetitions = 3, warmup = -1)
    void negativeWarmup(Measurements m) {}

    @Test
    @Burst(concurrency = 0)
    void zeroConcurrency(Measurements m) {}

    @Test
    @Warm
    @ColdStart
    void twoPatterns(Measurements m) {}

    @Test
    void measurementsWithoutPattern(Measurements m) {}
  }

  @ServerlessBenchmark("110.dynamic-htm")
  static class UnknownBenchmark {
    @Test
    void any(FunctionInvoker invoker) {}
  }

  static class BadSpecs {
    @Test
    @ServerlessBenchmark(value = "901.echo", size = "huge")
    void unknownSize(FunctionInvoker invoker) {}

    @Test
    @ServerlessBenchmark(value = "901.echo", language = "cobol")
    void unknownLanguage(FunctionInvoker invoker) {}

    @Test
    @ServerlessBenchmark(value = "902.python-only", language = "nodejs")
    void languageTheBenchmarkLacks(FunctionInvoker invoker) {}
  }

  @Test
  void measuringWithoutABenchmarkSaysWhereToDeclareIt() {
    Events events = ExtensionTestKit.run(NoBenchmark.class, results);

    failed(events, "coldWithoutBenchmark", m -> m.contains("@ColdStart on NoBenchmark.coldWithoutBenchmark()")
        && m.contains("@ServerlessBenchmark(\"110.dynamic-html\")"));
    failed(events, "invokerWithoutBenchmark", m -> m.contains("takes FunctionInvoker but no benchmark is declared"));
    failed(events, "inputWithoutBenchmark", m -> m.contains("takes Map but no benchmark is declared"));
  }

  @Test
  void countsOutOfRangeNameTheAttributeAndTheFix() {
    Events events = ExtensionTestKit.run(BadCounts.class, results);

    failed(events, "zeroRepetitions", m -> m.contains("@Warm on BadCounts.zeroRepetitions() has repetitions = 0: use at least 1"));
    failed(events, "negativeWarmup", m -> m.contains("warmup = -1: use 0 or more"));
    failed(events, "zeroConcurrency", m -> m.contains("@Burst") && m.contains("concurrency = 0: use at least 1"));
    failed(events, "twoPatterns", m -> m.contains("[@ColdStart, @Warm]") && m.contains("one test method per annotation"));
    failed(events, "measurementsWithoutPattern", m -> m.contains("takes Measurements but has nothing to measure")
        && m.contains("@ColdStart, @Warm or @Burst"));
  }

  @Test
  void anUnknownBenchmarkListsTheKnownOnesAndCloseMatches() {
    Events events = ExtensionTestKit.run(UnknownBenchmark.class, results);

    events.assertThatEvents().haveAtLeastOne(finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
        message(m -> m.contains("Unknown benchmark '110.dynamic-htm'") && m.contains("Known benchmarks: [")
            && m.contains("901.echo"))));
  }

  @Test
  void badSizesAndLanguagesListTheValidChoices() {
    Events events = ExtensionTestKit.run(BadSpecs.class, results);

    failed(events, "unknownSize", m -> m.contains("Unknown size 'huge'") && m.contains("[test, small, large]"));
    failed(events, "unknownLanguage", m -> m.contains("Unknown language 'cobol'") && m.contains("python, nodejs"));
    failed(events, "languageTheBenchmarkLacks", m -> m.contains("has no nodejs implementation")
        && m.contains("[python]"));
  }

  private static void failed(Events events, String method, Predicate<String> expectedMessage) {
    events.assertThatEvents().haveExactly(1, event(test(method),
        finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message(expectedMessage))));
  }
}
