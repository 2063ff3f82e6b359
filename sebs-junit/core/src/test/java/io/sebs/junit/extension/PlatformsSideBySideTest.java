package io.sebs.junit.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.displayName;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Measurements;
import io.sebs.junit.Platform;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import io.sebs.junit.testing.TwinPlatformProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sebs.platform=a,b}: a benchmark class runs once per platform, its results are kept per platform,
 * and the run writes a comparison of the platforms. The second platform is the test-only
 * {@link TwinPlatformProvider} (the local platform under another name), so no Docker engine is needed.
 */
class PlatformsSideBySideTest {

  private static final String TWO = "local," + TwinPlatformProvider.NAME;
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Map<String, String> SEEN = new ConcurrentHashMap<>();

  @TempDir
  Path results;

  @ServerlessBenchmark("901.echo")
  static class Echo {
    @Test
    @Warm(repetitions = 5, warmup = 1)
    void warm(Measurements m) {
      SEEN.put("warm on " + m.platform(), m.platform());
    }

    @Test
    @Platform("local")
    void onlyLocal(FunctionInvoker invoker) {
      SEEN.put("onlyLocal on " + invoker.platform(), invoker.platform());
    }
  }

  @ServerlessBenchmark("901.echo")
  @Platform(TwinPlatformProvider.NAME)
  static class TwinOnly {
    @Test
    void any(FunctionInvoker invoker) {
      SEEN.put("any on " + invoker.platform(), invoker.platform());
    }
  }

  static class MethodLevelBenchmark {
    @Test
    @ServerlessBenchmark("901.echo")
    void direct(FunctionInvoker invoker) {}
  }

  @Test
  void eachTestRunsOncePerPlatformWithThePlatformInTheDisplayName() {
    SEEN.clear();
    var events = ExtensionTestKit.run(Echo.class, results, "sebs.platform", TWO);

    events.assertThatEvents()
        .haveExactly(1, event(container(displayName("[local]")), finishedSuccessfully()))
        .haveExactly(1, event(container(displayName("[local-twin]")), finishedSuccessfully()))
        .haveExactly(2, event(test("warm"), finishedSuccessfully()))
        .haveExactly(1, event(test("onlyLocal"), finishedSuccessfully()))
        .haveExactly(1, event(test("onlyLocal"), skippedWithReason(r -> r.contains("'local-twin'"))));
    assertThat(SEEN).containsOnlyKeys("warm on local", "warm on local-twin", "onlyLocal on local");
  }

  @Test
  void aClassRestrictedToOnePlatformRunsOnlyThere() {
    SEEN.clear();
    var events = ExtensionTestKit.run(TwinOnly.class, results, "sebs.platform", TWO);

    events.assertThatEvents()
        .haveExactly(1, event(test("any"), skippedWithReason(r -> r.contains("runs only on platform(s) [local-twin]")
            && r.contains("'local'"))))
        .haveExactly(1, event(test("any"), finishedSuccessfully()));
    assertThat(SEEN).containsOnlyKeys("any on local-twin");
  }

  @Test
  void resultsArePerPlatformAndTheRunComparesThem() throws IOException {
    ExtensionTestKit.run(Echo.class, results, "sebs.platform", TWO);

    Path run = onlyRunFolder();
    for (String platform : List.of("local", TwinPlatformProvider.NAME)) {
      JsonNode json = JSON.readTree(run.resolve(platform).resolve("Echo.warm.json").toFile());
      assertThat(json.path("platform").asText()).isEqualTo(platform);
      assertThat(json.path("statistics").path("successful").asInt()).isEqualTo(5);
    }
    String comparison = Files.readString(run.resolve("comparison.md"));
    assertThat(comparison).contains("| test | local | local-twin | local-twin / local |", "| Echo.warm | ");
    assertThat(run.resolve("comparison.client-time.png")).isNotEmptyFile();
    assertThat(run.resolve("comparison.benchmark-time.png")).isNotEmptyFile();
  }

  @Test
  void onePlatformKeepsTheRunFolderFlatAndWritesNoComparison() throws IOException {
    var events = ExtensionTestKit.run(Echo.class, results, "sebs.platform", "local");

    events.assertThatEvents().haveExactly(1, event(container(displayName("[local]")), finishedSuccessfully()));
    Path run = onlyRunFolder();
    assertThat(run.resolve("Echo.warm.json")).exists();
    assertThat(run.resolve("comparison.md")).doesNotExist();
  }

  @Test
  void aBenchmarkOnAMethodOnlyRunsOnOnePlatformAndSaysSoWhenSeveralAreAsked() {
    var events = ExtensionTestKit.run(MethodLevelBenchmark.class, results, "sebs.platform", TWO);

    events.assertThatEvents().haveExactly(1, event(test("direct"), finishedWithFailure(
        instanceOf(ExtensionConfigurationException.class),
        message(m -> m.contains("lists several [local, local-twin]")
            && m.contains("move @ServerlessBenchmark from the method to its class")))));
  }

  @Test
  void aPlatformListedTwiceIsRejectedBeforeAnythingRuns() {
    var events = ExtensionTestKit.run(Echo.class, results, "sebs.platform", "local, local");

    events.assertThatEvents().haveAtLeastOne(finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
        message(m -> m.contains("names 'local' twice"))));
    assertThat(events.started().filter(e -> e.getTestDescriptor().isTest()).count()).isZero();
  }

  @Test
  void anUnknownPlatformInTheListFailsBeforeTheOthersRun() {
    var events = ExtensionTestKit.run(Echo.class, results, "sebs.platform", "local,lambda");

    events.assertThatEvents().haveAtLeastOne(finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
        message(m -> m.contains("Unknown platform 'lambda'") && m.contains("known platforms are"))));
    assertThat(events.started().filter(e -> e.getTestDescriptor().isTest()).count()).isZero();
  }

  private Path onlyRunFolder() throws IOException {
    try (Stream<Path> runs = Files.list(results)) {
      List<Path> folders = runs.filter(Files::isDirectory).toList();
      assertThat(folders).hasSize(1);
      return folders.get(0);
    }
  }
}
