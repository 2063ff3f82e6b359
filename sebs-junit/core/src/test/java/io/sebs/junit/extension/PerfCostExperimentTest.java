package io.sebs.junit.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.Invocation;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.TimeMetric;
import io.sebs.junit.experiment.perfcost.Curve;
import io.sebs.junit.experiment.perfcost.PerfCost;
import io.sebs.junit.experiment.perfcost.PerfCostPoint;
import io.sebs.junit.experiment.perfcost.PerfCostResult;
import io.sebs.junit.experiment.perfcost.RunKind;
import io.sebs.junit.testing.ChartFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SeBS's perf-cost on the local platform: the echo fixture swept over two memory sizes, each redeployed,
 * with every pattern, warm-up batches discarded, misclassified answers counted, the files SeBS writes, and the
 * charts next to them.
 */
class PerfCostExperimentTest {

  @TempDir
  Path results;

  static final Map<String, PerfCostResult> SEEN = new ConcurrentHashMap<>();

  @ServerlessBenchmark(value = "901.echo", language = "python")
  static class Sweep {
    @Test
    void sweep(PerfCost perfCost) {
      SEEN.put("result", perfCost.memorySizes(128, 256)
          .kinds(RunKind.COLD, RunKind.WARM, RunKind.BURST, RunKind.SEQUENTIAL)
          .repetitions(3).concurrency(2).run());
    }
  }

  @Test
  void eachMemorySizeIsRedeployedAndMeasuredWithEveryPattern() throws Exception {
    long t0 = System.nanoTime();
    ExtensionTestKit.run(Sweep.class, results).assertThatEvents()
        .haveExactly(1, event(test("sweep"), finishedSuccessfully()));
    System.out.printf("perf-cost sweep took %.1f s%n", (System.nanoTime() - t0) / 1e9);
    PerfCostResult result = SEEN.get("result");
    System.out.print(result.describe());

    assertThat(result.points()).hasSize(8);
    assertThat(result.memorySizes()).containsExactly(128, 256);
    assertThat(result.point(128, RunKind.WARM).functionName()).endsWith("-128");
    assertThat(result.point(256, RunKind.WARM).functionName()).endsWith("-256");
    for (PerfCostPoint p : result.points()) {
      assertThat(p.series().invocations().size()).as(p.kind() + " " + p.memoryMb()).isGreaterThanOrEqualTo(3);
      assertThat(p.series().failures()).as(p.kind() + " " + p.memoryMb()).isEmpty();
      // the first batch is the warm-up: 2 invocations, or 1 + 1 for sequential (SeBS warms it once more)
      assertThat(p.discarded()).isEqualTo(2);
      assertThat(p.cost().perMillionUsd()).isGreaterThan(0.20); // the request price alone is $0.20 per 1M
    }
    assertThat(result.point(128, RunKind.COLD).series().invocations()).allMatch(Invocation::isCold);
    assertThat(result.point(256, RunKind.WARM).series().invocations()).noneMatch(Invocation::isCold);
    assertThat(result.point(128, RunKind.BURST).series().invocations()).allMatch(Invocation::isCold);

    Curve time = result.timeCurve(RunKind.WARM, TimeMetric.CLIENT_TIME);
    Curve cost = result.costCurve(RunKind.WARM);
    assertThat(time.x()).containsExactly(128, 256);
    assertThat(cost.y()[1]).isEqualTo(result.point(256, RunKind.WARM).cost().perMillionUsd());
    System.out.println(time + "\n" + cost);

    Path run = onlyRun();
    for (int memory : List.of(128, 256)) {
      for (RunKind kind : RunKind.values()) {
        String base = "Sweep.sweep." + kind.sebsName() + "_results_" + memory;
        assertThat(run.resolve(base + ".csv")).exists();
        JsonNode json = new ObjectMapper().readTree(run.resolve(base + ".json").toFile());
        PerfCostPoint point = result.point(memory, kind);
        assertThat(json.path("memory").asInt()).isEqualTo(memory);
        assertThat(json.path("function").asText()).isEqualTo(point.functionName());
        assertThat(json.path("experiment").asText()).isEqualTo(kind.sebsName());
        assertThat(json.path("settings").path("discarded_warmup").asInt()).isEqualTo(2);
        assertThat(json.path("settings").path("incorrect_count").asInt()).isEqualTo(point.misclassifiedCount());
        assertThat(json.path("statistics").path("misclassified").asInt()).isEqualTo(point.misclassifiedCount());
        assertThat(json.path("statistics").path("cost").path("memory").asInt()).isEqualTo(memory);
        JsonNode first = json.path("_invocations").path(point.functionName()).elements().next();
        assertThat(first.path("billing").path("memory").asInt()).isEqualTo(memory);
      }
    }

    List<String> csv = Files.readAllLines(run.resolve("Sweep.sweep.result.csv"));
    assertThat(csv.get(0)).isEqualTo("memory,type,is_cold,exec_time,connection_time,client_time,provider_time,mem_used");
    int samples = result.points().stream().mapToInt(p -> p.series().successful().size()).sum();
    assertThat(csv).hasSize(1 + samples);
    assertThat(csv.stream().skip(1).map(l -> l.split(",")[0]).distinct()).containsExactly("128", "256");
    assertThat(csv.stream().skip(1).map(l -> l.split(",")[1]).distinct())
        .containsExactlyInAnyOrder("cold", "warm", "burst", "sequential");
    // mem_used: the wrapper process's peak resident set on the local platform (Linux), a python process's
    // few MB at least and far below a GB
    assertThat(csv.stream().skip(1).map(l -> Double.parseDouble(l.split(",", -1)[7])))
        .allSatisfy(mb -> assertThat(mb).isBetween(5.0, 1024.0));

    JsonNode summary = new ObjectMapper().readTree(run.resolve("Sweep.sweep.perf-cost.json").toFile());
    assertThat(summary.path("series")).hasSize(8);
    JsonNode warm128 = summary.path("series").get(1);
    assertThat(warm128.path("type").asText()).isEqualTo("warm");
    assertThat(warm128.path("client_time").path("median").asDouble()).isPositive();
    assertThat(warm128.path("cost").path("per_million_usd").asDouble())
        .isEqualTo(result.point(128, RunKind.WARM).cost().perMillionUsd());

    // the charts, next to the result files: time and cost against memory, and cold vs warm per memory size
    ChartFiles.assertCharts(run, "Sweep.sweep.perf-cost.client-time.png", "Sweep.sweep.perf-cost.benchmark-time.png",
        "Sweep.sweep.perf-cost.cost.png", "Sweep.sweep.perf-cost.cold-vs-warm-128MB.png",
        "Sweep.sweep.perf-cost.cold-vs-warm-256MB.png");
  }

  private Path onlyRun() throws Exception {
    try (Stream<Path> runs = Files.list(results)) {
      return runs.findFirst().orElseThrow();
    }
  }
}
