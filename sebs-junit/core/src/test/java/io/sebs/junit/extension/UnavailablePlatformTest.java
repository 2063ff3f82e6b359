package io.sebs.junit.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.displayName;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Measurements;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import io.sebs.junit.testing.CloudWithoutCredentialsProvider;
import io.sebs.junit.testing.TwinPlatformProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cloud that cannot run here (no credentials on this machine, as its provider's {@code unavailable} says)
 * is skipped in a side-by-side run, each of its tests with the reason, while the other platforms run and are
 * compared; chosen alone it is not skipped but fails with its own message, since the user asked for it. The
 * cloud is the test-only {@link CloudWithoutCredentialsProvider}, the others local and its
 * {@link TwinPlatformProvider}.
 */
class UnavailablePlatformTest {

  private static final String CLOUD = CloudWithoutCredentialsProvider.NAME;
  private static final String LOCAL_AND_CLOUD = "local," + CLOUD;
  private static final String THREE = "local," + TwinPlatformProvider.NAME + "," + CLOUD;
  private static final String REASON = CLOUD + " skipped in this side-by-side run: "
      + CloudWithoutCredentialsProvider.MISSING;
  static final Map<String, String> SEEN = new ConcurrentHashMap<>();

  @TempDir
  Path results;

  @ServerlessBenchmark("901.echo")
  static class Echo {
    @Test
    @Warm(repetitions = 3, warmup = 1)
    void warm(Measurements m) {
      SEEN.put("warm on " + m.platform(), m.platform());
    }

    @Test
    void invoked(FunctionInvoker invoker) {
      SEEN.put("invoked on " + invoker.platform(), invoker.platform());
    }
  }

  @Test
  void sideBySideEachTestOfTheCloudIsSkippedSayingWhatIsMissingWhileTheOthersRun() {
    SEEN.clear();
    var events = ExtensionTestKit.run(Echo.class, results, "sebs.platform", LOCAL_AND_CLOUD);

    events.assertThatEvents()
        .haveExactly(1, event(test("warm"), skippedWithReason(REASON)))
        .haveExactly(1, event(test("invoked"), skippedWithReason(REASON)))
        .haveExactly(1, event(test("warm"), finishedSuccessfully()))
        .haveExactly(1, event(test("invoked"), finishedSuccessfully()))
        .haveExactly(1, event(container(displayName("[local]")), finishedSuccessfully()))
        .haveExactly(1, event(container(displayName("[" + CLOUD + "]")), finishedSuccessfully()));
    assertThat(SEEN).containsOnlyKeys("warm on local", "invoked on local");
  }

  @Test
  void theComparisonIsOfThePlatformsThatRanWithoutAColumnForTheCloud() throws IOException {
    ExtensionTestKit.run(Echo.class, results, "sebs.platform", THREE);

    Path run = onlyRunFolder();
    assertThat(run.resolve("local").resolve("Echo.warm.json")).exists();
    assertThat(run.resolve(TwinPlatformProvider.NAME).resolve("Echo.warm.json")).exists();
    assertThat(run.resolve(CLOUD)).as("nothing deployed, nothing written").doesNotExist();
    String comparison = Files.readString(run.resolve("comparison.md"));
    assertThat(comparison).contains("| test | local | local-twin | local-twin / local |").doesNotContain(CLOUD);
  }

  @Test
  void chosenAloneTheCloudIsNotSkippedButFailsLoudlyWithItsOwnMessage() {
    var events = ExtensionTestKit.run(Echo.class, results, "sebs.platform", CLOUD);

    assertThat(events.skipped().count()).isZero();
    events.assertThatEvents().haveAtLeastOne(finishedWithFailure(
        message(m -> m.contains(CloudWithoutCredentialsProvider.MISSING))));
  }

  private Path onlyRunFolder() throws IOException {
    try (Stream<Path> runs = Files.list(results)) {
      List<Path> folders = runs.filter(Files::isDirectory).toList();
      assertThat(folders).hasSize(1);
      return folders.get(0);
    }
  }
}
