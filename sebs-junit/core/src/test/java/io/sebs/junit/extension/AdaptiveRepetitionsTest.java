package io.sebs.junit.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.AdaptiveRepetitions;
import io.sebs.junit.Burst;
import io.sebs.junit.Measurements;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;

/** {@code @AdaptiveRepetitions} ends a series once the median is precise enough and records why. */
class AdaptiveRepetitionsTest {

  @TempDir
  Path results;

  static final Map<String, Measurements> SEEN = new ConcurrentHashMap<>();

  @ServerlessBenchmark("901.echo")
  static class Echo {
    @Test
    @Warm(repetitions = 200)
    @AdaptiveRepetitions(relativeError = 0.5, minimum = 8)
    void adaptive(Measurements m) {
      SEEN.put("adaptive", m);
    }

    @Test
    @Burst(concurrency = 2)
    @AdaptiveRepetitions
    void adaptiveBurst(Measurements m) {}
  }

  @Test
  void aPreciseEnoughSeriesStopsEarlyAndTheResultsSayWhy() throws Exception {
    var events = ExtensionTestKit.run(Echo.class, results);

    Measurements m = SEEN.get("adaptive");
    assertThat(m.invocations().size()).isBetween(8, 199);
    assertThat(m.stopReason()).startsWith("precise enough after");
    Path json;
    try (Stream<Path> runs = Files.list(results)) {
      json = runs.findFirst().orElseThrow().resolve("Echo.adaptive.json");
    }
    JsonNode settings = new ObjectMapper().readTree(json.toFile()).path("settings");
    assertThat(settings.path("stop_reason").asText()).isEqualTo(m.stopReason());
    assertThat(settings.path("adaptive_relative_error").asDouble()).isEqualTo(0.5);

    events.assertThatEvents().haveExactly(1, event(test("adaptiveBurst"), finishedWithFailure(
        instanceOf(ExtensionConfigurationException.class),
        message(msg -> msg.contains("@AdaptiveRepetitions on Echo.adaptiveBurst() needs @Warm or @ColdStart")))));
  }
}
