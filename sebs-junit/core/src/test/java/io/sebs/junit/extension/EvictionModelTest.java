package io.sebs.junit.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.experiment.eviction.EvictionModel;
import io.sebs.junit.experiment.eviction.EvictionPoint;
import io.sebs.junit.experiment.eviction.EvictionResult;
import io.sebs.junit.experiment.eviction.SecondRoundInvocation;
import io.sebs.junit.platform.KeepAlive;
import io.sebs.junit.testing.ChartFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The eviction model against the local platform, whose keep-alive is known: with a 1 s keep-alive,
 * instances idle for 0.2 s are all found warm (and are the very instances the first round started), and
 * instances idle for 2.5 s (beyond keep-alive plus the 250 ms eviction check) are all gone.
 */
class EvictionModelTest {

  static final Duration UNDER = Duration.ofMillis(200);
  static final Duration OVER = Duration.ofMillis(2500);
  static final Map<String, EvictionResult> RESULTS = new ConcurrentHashMap<>();

  @TempDir
  Path results;

  @ServerlessBenchmark(value = "901.echo", language = "python")
  static class MeasuresEviction {
    @org.junit.jupiter.api.Test
    void keepAlive(EvictionModel eviction) {
      // The echo sleeps 0.3 s, so the invocations of a round overlap and need one instance each.
      RESULTS.put("result", eviction.run(List.of(UNDER, OVER), List.of(1, 3), Map.of("sleep", 0.3)));
    }
  }

  @Test
  void idleWellUnderTheKeepAliveIsWarmAndWellOverIsCold() throws Exception {
    ExtensionTestKit.run(MeasuresEviction.class, results, "sebs.local.keepAlive", "1s")
        .assertThatEvents().haveExactly(1, event(test(), finishedSuccessfully()));
    EvictionResult result = RESULTS.get("result");
    System.out.print(result.toCsv());

    assertThat(result.keepAlive()).contains(new KeepAlive(Duration.ofSeconds(1), Duration.ofMillis(250)));
    assertThat(result.points()).extracting(EvictionPoint::instances).containsExactly(1, 3, 1, 3);
    for (EvictionPoint p : result.points()) {
      assertThat(p.firstRoundCold()).as("first round of %s", p).isEqualTo(p.instances());
      assertThat(p.firstRoundContainers()).as("instances started for %s", p).hasSize(p.instances());
      assertThat(p.secondRound()).hasSize(p.instances()).noneMatch(SecondRoundInvocation::failed);
      assertThat(p.measuredIdle()).isGreaterThanOrEqualTo(p.idleTime());
      if (p.idleTime().equals(UNDER)) {
        assertThat(p.predicted()).isEqualTo(KeepAlive.Outcome.WARM);
        assertThat(p.warmCount()).as("warm after %s", p.idleTime()).isEqualTo(p.instances());
        assertThat(p.secondRound()).allMatch(SecondRoundInvocation::reusedInstance);
      } else {
        assertThat(p.predicted()).isEqualTo(KeepAlive.Outcome.COLD);
        assertThat(p.coldCount()).as("cold after %s", p.idleTime()).isEqualTo(p.instances());
        assertThat(p.secondRound()).noneMatch(SecondRoundInvocation::reusedInstance);
      }
    }
    assertThat(result.contradictions()).isEmpty();
    assertThat(result.curve().idleSeconds()).containsExactly(0.2, 2.5);
    assertThat(result.curve().warmFraction()).containsExactly(1.0, 0.0);
    assertThat(result.curve(3).warmFraction()).containsExactly(1.0, 0.0);

    Path csv = results.resolve(only(results)).resolve("MeasuresEviction.keepAlive.eviction.csv");
    assertThat(Files.readAllLines(csv)).first().isEqualTo(EvictionResult.CSV_HEADER);
    assertThat(Files.readAllLines(csv)).hasSize(5).contains("0.200,3,0,3,0,1.0000,"
        + String.format(java.util.Locale.ROOT, "%.3f", secondsOf(result.points().get(1).measuredIdle()))
        + ",WARM,WARM");
    JsonNode json = new ObjectMapper().readTree(csv.resolveSibling("MeasuresEviction.keepAlive.eviction.json").toFile());
    assertThat(json.path("keep_alive").path("keep_alive_s").asDouble()).isEqualTo(1.0);
    assertThat(json.path("points")).hasSize(4);
    assertThat(json.path("points").get(3).path("second_round")).hasSize(3);
    ChartFiles.assertCharts(csv.getParent(), "MeasuresEviction.keepAlive.eviction.warm-fraction.png");
  }

  private static double secondsOf(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static Path only(Path results) throws java.io.IOException {
    try (var runs = Files.list(results)) {
      return runs.filter(Files::isDirectory).findFirst().orElseThrow().getFileName();
    }
  }
}
