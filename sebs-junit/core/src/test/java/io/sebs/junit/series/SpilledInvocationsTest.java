package io.sebs.junit.series;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements.Kind;
import io.sebs.junit.TimeMetric;
import io.sebs.junit.platform.InvocationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A long series lives in a temporary file, not on the heap: what is read back must be equal, in order, to
 * what was added (times, ids, outputs, failures, memory), blocks and all, and the series built on it must
 * give the same statistics as one held in memory.
 */
class SpilledInvocationsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static InvocationResult invocation(int n) throws Exception {
    JsonNode output = n % 3 == 0 ? null
        : JSON.readTree("{\"n\": " + n + ", \"text\": \"a,b\\n\\\"c\\\"\", \"x\": 0.5}");
    InvocationResult r = new InvocationResult("req-" + n, 1_700_000_000_000_000L + n, 700 + n % 97, 10 + n, 20 + n,
        n % 2 == 0 ? 0 : 5 + n, n % 5 == 0 ? -1 : 300 + n, n % 7 == 0 ? 1234 : -1, n % 11 == 0, "c" + n % 4,
        n % 13 == 0 ? "boom\nline two" : null, output, n % 4 == 0 ? JSON.readTree("{\"compute_time\": 3}") : null,
        n % 6 == 0 ? -1 : 40.5 + n);
    return r;
  }

  @Test
  void readsBackEqualInvocationsInOrderAcrossBlocks() throws Exception {
    List<Invocation> added = new ArrayList<>();
    SpilledInvocations.Builder builder = new SpilledInvocations.Builder(10);
    for (int n = 0; n < 3 * SpilledInvocations.BLOCK + 5; n++) {
      added.add(invocation(n));
      builder.add(added.get(n));
    }
    List<Invocation> spilled = builder.build();

    assertThat(spilled).isInstanceOf(SpilledInvocations.class).hasSize(added.size());
    assertThat(spilled).containsExactlyElementsOf(added); // by iteration
    for (int n = added.size() - 1; n >= 0; n -= 7) { // by index, against the block order
      assertThat(spilled.get(n)).isEqualTo(added.get(n)).isNotSameAs(added.get(n));
    }
    assertThat(spilled.get(3).output()).isEqualTo(MissingNode.getInstance());
    assertThat(spilled.get(13).failureReason()).contains("boom\nline two");
  }

  @Test
  void keepsOtherInvocationTypesAsTheyAre() throws Exception {
    Invocation foreign = (Invocation) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Invocation.class}, (proxy, method, args) -> switch (method.getName()) {
          case "requestId" -> "foreign";
          case "hashCode" -> 42;
          case "equals" -> proxy == args[0];
          default -> null;
        });
    SpilledInvocations.Builder builder = new SpilledInvocations.Builder(2);
    builder.add(invocation(0)).add(invocation(1)).add(foreign).add(invocation(2));

    List<Invocation> spilled = builder.build();

    assertThat(spilled).isInstanceOf(SpilledInvocations.class);
    assertThat(spilled.get(2)).isSameAs(foreign);
    assertThat(spilled.get(3)).isEqualTo(invocation(2));
  }

  @Test
  void aSnapshotIsThePrefixAddedSoFar() throws Exception {
    SpilledInvocations.Builder builder = new SpilledInvocations.Builder(4);
    for (int n = 0; n < 100; n++) {
      builder.add(invocation(n));
    }
    List<Invocation> first = builder.snapshot();
    for (int n = 100; n < 1000; n++) {
      builder.add(invocation(n));
    }

    assertThat(first).hasSize(100);
    assertThat(first.get(99)).isEqualTo(invocation(99));
    assertThat(builder.build()).hasSize(1000).last().isEqualTo(invocation(999));
  }

  @Test
  void aShortSeriesStaysInMemoryWithTheSameObjects() throws Exception {
    InvocationResult one = invocation(1);

    List<Invocation> kept = new SpilledInvocations.Builder().add(one).build();

    assertThat(kept).isNotInstanceOf(SpilledInvocations.class);
    assertThat(kept.get(0)).isSameAs(one);
  }

  @Test
  void aLongSeriesGivesTheStatisticsOfTheSameSeriesInMemory() throws Exception {
    List<Invocation> added = new ArrayList<>();
    for (int n = 0; n < SpilledInvocations.IN_MEMORY + 500; n++) {
      added.add(invocation(n));
    }

    MeasurementSeries series = new MeasurementSeries(Kind.WARM, "fn", "local", added, List.of(), "fixed");

    assertThat(series.invocations()).isInstanceOf(SpilledInvocations.class).containsExactlyElementsOf(added);
    List<Invocation> ok = added.stream().filter(i -> !i.failed()).toList();
    assertThat(series.successful()).containsExactlyElementsOf(ok);
    assertThat(series.failures()).containsExactlyElementsOf(added.stream().filter(Invocation::failed).toList());
    assertThat(series.statistics(TimeMetric.CLIENT_TIME).median()).isEqualTo(io.sebs.junit.stats.SampleStatistics
        .of(ok.stream().mapToDouble(i -> i.clientTime().toNanos() / 1000.0).toArray()).median());
    assertThat(series.statistics(TimeMetric.PROVIDER_TIME).count())
        .isEqualTo(ok.stream().map(Invocation::providerTime).filter(Optional::isPresent).count());
    assertThat(series.failureRate()).isEqualTo((double) (added.size() - ok.size()) / added.size());
    assertThat(series.coldStartRate())
        .isEqualTo((double) ok.stream().filter(Invocation::isCold).count() / ok.size());
  }

  @Test
  void aLoneSurrogateInAFailureComesBackAsItWas() throws Exception {
    SpilledInvocations.Builder builder = new SpilledInvocations.Builder(1);
    InvocationResult odd = new InvocationResult("req-odd", 1, 2, 3, 4, 0, -1, -1, false, "c", "ab\uD83D", null,
        null);
    builder.add(invocation(1)).add(odd);

    List<Invocation> spilled = builder.build();

    assertThat(spilled).isInstanceOf(SpilledInvocations.class);
    assertThat(spilled.get(1).failureReason()).contains("ab\uD83D");
    assertThat(spilled.get(1)).isEqualTo(odd);
  }

  @Test
  void successfulOfASeriesWithoutFailuresIsTheSameListWithoutANewFile() throws Exception {
    List<Invocation> added = new ArrayList<>();
    for (int n = 1; added.size() < SpilledInvocations.IN_MEMORY + 200; n++) {
      if (n % 13 != 0) {
        added.add(invocation(n));
      }
    }
    MeasurementSeries series = new MeasurementSeries(Kind.WARM, "fn", "local", added, List.of(), "fixed");
    long files = spillFiles();

    assertThat(series.successful()).isSameAs(series.invocations());
    assertThat(series.failures()).isEmpty();
    assertThat(spillFiles()).isLessThanOrEqualTo(files); // a collected list's file may go meanwhile, none comes
  }

  private static long spillFiles() throws java.io.IOException {
    try (var files = java.nio.file.Files.list(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")))) {
      return files.filter(f -> f.getFileName().toString().startsWith("sebs-invocations-")).count();
    }
  }
}
