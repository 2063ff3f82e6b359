package io.sebs.junit.platform.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.sebs.junit.Invocation;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.PreparedFunction;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloading REPORT lines from CloudWatch Logs waits for late delivery, but only as long as
 * {@code sebs.aws.logWait}: the stand-in delays its log lines, or loses them, and the platform must keep
 * searching until they arrive or give up with the provider times left unknown.
 */
class LambdaLogReportsContractTest {

  @TempDir
  Path results;

  @RegisterExtension
  static final AwsStandIns aws = AwsStandIns.stub("AKIDLOGS", "logs-secret");

  @AfterEach
  void deliverAtOnce() {
    aws.stub().extras.logDeliveryDelay(Duration.ZERO);
  }

  private BenchmarkRun run(String logWait) {
    return new BenchmarkRun(Fixtures.config(results, SebsConfig.PLATFORM, "aws", AwsSettings.REGION, "us-east-1",
        AwsSettings.TRIGGER, "url", AwsSettings.LOG_WAIT, logWait));
  }

  private static List<Invocation> invokeThreeTimes(PreparedFunction function) {
    List<Invocation> invocations = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
    Invocation invocation = function.invoker().invoke(Map.of("i", i));
      assertThat(invocation.failed()).as("%s", invocation).isFalse();
      invocations.add(invocation);
    }
    return invocations;
  }

  @Test
  void lateReportLinesAreWaitedForAndFillEveryInvocation() {
    try (BenchmarkRun run = run("30s")) {
    PreparedFunction function = run.prepare(run.spec("901.echo", "python", "", "test", 256, 10));
      aws.stub().extras.logDeliveryDelay(Duration.ofSeconds(3));
      List<Invocation> invocations = invokeThreeTimes(function);
      long calls = aws.stub().extras.filterCalls();
      long t0 = System.nanoTime();
      List<Invocation> filled = run.platform().fetchMetrics(function.deployed(), invocations);
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("log_fetch_with_3s_delivery_delay_s=%.2f filter_calls=%d%n", seconds,
          aws.stub().extras.filterCalls() - calls);

      assertThat(filled).allSatisfy(i -> assertThat(i.providerTime()).isPresent());
      assertThat(filled.get(0).initTime()).isPresent();
      assertThat(aws.stub().extras.filterCalls() - calls).as("searched again after the first, empty search")
          .isGreaterThanOrEqualTo(2);
      assertThat(seconds).as("bounded by sebs.aws.logWait").isLessThan(30);
    }
  }

  @Test
  void reportLinesThatNeverArriveLeaveProviderTimesUnknownAfterTheWait() {
    try (BenchmarkRun run = run("1s")) {
    PreparedFunction function = run.prepare(run.spec("901.echo", "nodejs", "", "test", 384, 10));
      List<Invocation> invocations = invokeThreeTimes(function);
      aws.stub().extras.dropLogs();
      long t0 = System.nanoTime();
      List<Invocation> filled = run.platform().fetchMetrics(function.deployed(), invocations);
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertThat(filled).allSatisfy(i -> assertThat(i.providerTime()).isEmpty());
      assertThat(filled).extracting(Invocation::requestId)
          .containsExactlyElementsOf(invocations.stream().map(Invocation::requestId).toList());
      assertThat(seconds).as("gave up after about sebs.aws.logWait").isLessThan(15);
    }
  }

  @Test
  void invocationsThatCarriedTheirReportNeedNoDownload() {
    try (BenchmarkRun run = new BenchmarkRun(Fixtures.config(results, SebsConfig.PLATFORM, "aws",
        AwsSettings.REGION, "us-east-1"))) {
    PreparedFunction function = run.prepare(run.spec("901.echo", "python", "", "test", 512, 10));
      List<Invocation> invocations = invokeThreeTimes(function);
      long calls = aws.stub().extras.filterCalls();
      assertThat(run.platform().fetchMetrics(function.deployed(), invocations)).isEqualTo(invocations);
      assertThat(aws.stub().extras.filterCalls()).isEqualTo(calls);
    }
  }
}
