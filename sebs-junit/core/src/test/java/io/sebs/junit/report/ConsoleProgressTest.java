package io.sebs.junit.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.sebs.junit.config.SebsConfig.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** ConsoleProgress shows long series on stderr, throttled, with an estimate, and stays quiet otherwise. */
class ConsoleProgressTest {

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private ConsoleProgress progress(boolean terminal, Progress mode) {
    return new ConsoleProgress("EchoTest.cold", out, terminal, mode, clock::get);
  }

  private void advance(Duration d) {
    clock.addAndGet(d.toNanos());
  }

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void inALogEachUpdateIsAPlainLineAtMostEveryTenSecondsWithAnEstimate() {
    try (ConsoleProgress p = progress(false, Progress.ALWAYS)) {
      for (int i = 1; i <= 30; i++) {
        advance(Duration.ofSeconds(1));   // one cold start per second
        p.invoked(i, 30);
      }
    }
    assertThat(printed().lines()).containsExactly(
        "[EchoTest.cold] 10/30 invocations (33%), 10.0 s elapsed, about 20.0 s left",
        "[EchoTest.cold] 20/30 invocations (66%), 20.0 s elapsed, about 10.0 s left",
        "[EchoTest.cold] 30/30 invocations, done in 30.0 s");
    assertThat(printed()).doesNotContain("\r");
  }

  @Test
  void onATerminalTheLineIsRedrawnInPlaceAtMostOncePerSecond() {
    try (ConsoleProgress p = progress(true, Progress.ALWAYS)) {
      for (int i = 1; i <= 12; i++) {
        advance(Duration.ofMillis(250));
        p.invoked(i, 12);
      }
    }
    // 12 invocations over 3 s: updates at 1 s and 2 s (throttled from 12), then the final line.
    assertThat(printed()).isEqualTo(
        "\r[EchoTest.cold] 4/12 invocations (33%), 1.0 s elapsed, about 2.0 s left"
            + "\r[EchoTest.cold] 8/12 invocations (66%), 2.0 s elapsed, about 1.0 s left"
            + "\r[EchoTest.cold] 12/12 invocations, done in 3.0 s                       " + System.lineSeparator());
  }

  @Test
  void autoStaysSilentForShortSeries() {
    try (ConsoleProgress p = progress(false, Progress.AUTO)) {
      for (int i = 1; i <= 200; i++) {
        advance(Duration.ofMillis(20));   // 200 warm invocations: 4 s in all, under the 5 s threshold
        p.invoked(i, 200);
      }
    }
    assertThat(printed()).isEmpty();
  }

  @Test
  void autoTurnsOnOnceTheProjectedDurationReachesTheThreshold() {
    try (ConsoleProgress p = progress(false, Progress.AUTO)) {
      advance(Duration.ofMillis(400));
      p.invoked(1, 10);                   // projected 4 s: quiet
      advance(Duration.ofMillis(1_100));
      p.invoked(2, 10);                   // projected 7.5 s: on, and 1.5 s since start (< 10 s): no line yet
      for (int i = 3; i <= 10; i++) {
        advance(Duration.ofMillis(1_500));
        p.invoked(i, 10);
      }
    }
    assertThat(printed().lines()).containsExactly(
        "[EchoTest.cold] 8/10 invocations (80%), 10.5 s elapsed, about 2.6 s left",
        "[EchoTest.cold] 10/10 invocations, done in 13.5 s");
  }

  @Test
  void autoIgnoresASlowFirstInvocationWhenTheRestIsFast() {
    try (ConsoleProgress p = progress(false, Progress.AUTO)) {
      advance(Duration.ofMillis(80));
      p.invoked(1, 200);                  // projected 16 s, but too early to trust
      for (int i = 2; i <= 150; i++) {
        advance(Duration.ofMillis(8));    // at 1 s: ~116 done, projected 1.7 s
        p.invoked(i, 200);
      }
    }                                     // stopped early by @AdaptiveRepetitions
    assertThat(printed()).isEmpty();
  }

  @Test
  void neverPrintsNothingEvenForLongSeries() {
    try (ConsoleProgress p = progress(true, Progress.NEVER)) {
      for (int i = 1; i <= 5; i++) {
        advance(Duration.ofSeconds(30));
        p.invoked(i, 5);
      }
    }
    assertThat(printed()).isEmpty();
  }

  @Test
  void aSeriesThatStopsEarlyGetsItsFinalLineOnClose() {
    try (ConsoleProgress p = progress(false, Progress.ALWAYS)) {
      for (int i = 1; i <= 37; i++) {
        advance(Duration.ofMillis(100));
        p.invoked(i, 200);                // @AdaptiveRepetitions: 200 is the cap
      }
    }
    assertThat(printed().lines()).containsExactly("[EchoTest.cold] 37/200 invocations, done in 3.7 s (stopped early)");
  }

  @Test
  void durationsReadNaturallyAtEveryScale() {
    assertThat(ConsoleProgress.duration(Duration.ofMillis(850).toNanos())).isEqualTo("850 ms");
    assertThat(ConsoleProgress.duration(Duration.ofMillis(12_340).toNanos())).isEqualTo("12.3 s");
    assertThat(ConsoleProgress.duration(Duration.ofMillis(59_990).toNanos())).isEqualTo("1 min 00 s");
    assertThat(ConsoleProgress.duration(Duration.ofSeconds(125).toNanos())).isEqualTo("2 min 05 s");
    assertThat(ConsoleProgress.duration(Duration.ofMinutes(62).toNanos())).isEqualTo("1 h 02 min");
  }
}
