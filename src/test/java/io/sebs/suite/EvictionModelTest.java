package io.sebs.suite;

import static org.assertj.core.api.Assertions.assertThat;

import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.experiment.eviction.EvictionModel;
import io.sebs.junit.experiment.eviction.EvictionPoint;
import io.sebs.junit.experiment.eviction.EvictionResult;
import io.sebs.junit.platform.KeepAlive;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * SeBS's eviction model on 010.sleep (Python): instances started together, left idle, invoked together
 * again. On the local platform the keep-alive is the suite's {@code sebs.local.keepAlive} (5 s, see
 * junit-platform.properties), so the idle times sit on both sides of it: 1 s (all warm) and 7.25 s (past
 * the keep-alive, its 1.25 s eviction check and a quarter keep-alive of margin: all cold). Elsewhere
 * the curve is measured, not judged.
 */
@ServerlessBenchmark(value = "010.sleep", language = "python")
class EvictionModelTest {

  @Test
  void instancesSurviveShortIdlePeriodsAndAreEvictedAfterTheKeepAlive(EvictionModel eviction) {
    KeepAlive rule = eviction.platformKeepAlive().orElse(null);
    Duration under = Duration.ofSeconds(1);
    Duration over = rule == null ? Duration.ofSeconds(7) : rule.keepAlive().plus(rule.checkPeriod())
        .plus(rule.keepAlive().dividedBy(4));
    Assumptions.assumeTrue(over.compareTo(Duration.ofSeconds(20)) <= 0,
        "the keep-alive " + (rule == null ? "" : rule.keepAlive()) + " is too long for the suite: run with "
            + "-Dsebs.local.keepAlive=5s");

    // 0.5 s of sleep keeps the invocations of a round overlapping, so each needs its own instance.
    EvictionResult result = eviction.run(List.of(under, over), List.of(1, 3), Map.of("sleep", 0.5));
    System.out.print(result.toCsv());

    assertThat(result.points()).hasSize(4).allSatisfy(p -> assertThat(p.failedCount()).isZero());
    assertThat(result.curve().warmFraction()).hasSize(2);
    if (rule != null) {
      assertThat(result.contradictions()).as("points against the platform's keep-alive rule").isEmpty();
      assertThat(result.points()).filteredOn(p -> p.idleTime().equals(under))
          .allSatisfy(p -> assertThat(p.observed()).isEqualTo(KeepAlive.Outcome.WARM));
      assertThat(result.points()).filteredOn(p -> p.idleTime().equals(over))
          .extracting(EvictionPoint::observed).containsOnly(KeepAlive.Outcome.COLD);
      assertThat(result.curve().warmFraction()).containsExactly(1.0, 0.0);
    }
  }
}
