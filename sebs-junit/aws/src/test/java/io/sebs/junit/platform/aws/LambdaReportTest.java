package io.sebs.junit.platform.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Lambda's REPORT line is the source of provider, billed and init times. */
class LambdaReportTest {

  @Test
  void aColdStartReportCarriesTheInitDuration() {
    String tail = "START RequestId: 8f5 Version: $LATEST\nhello\nEND RequestId: 8f5\n"
        + "REPORT RequestId: 8f5\tDuration: 102.47 ms\tBilled Duration: 103 ms\tMemory Size: 256 MB\t"
        + "Max Memory Used: 71 MB\tInit Duration: 231.09 ms\t\n";
    LambdaReport report = LambdaReport.parse(tail).orElseThrow();
    assertThat(report.requestId()).isEqualTo("8f5");
    assertThat(report.durationMs()).isEqualTo(102.47);
    assertThat(report.billedMs()).isEqualTo(103);
    assertThat(report.memoryMb()).isEqualTo(256);
    assertThat(report.maxMemoryUsedMb()).isEqualTo(71);
    assertThat(report.initMs()).hasValue(231.09);
  }

  @Test
  void aWarmReportHasNoInitDuration() {
    LambdaReport report = LambdaReport.parse("REPORT RequestId: a1 Duration: 1.05 ms Billed Duration: 2 ms "
        + "Memory Size: 128 MB Max Memory Used: 40 MB").orElseThrow();
    assertThat(report.initMs()).isEmpty();
    assertThat(report.billedMs()).isEqualTo(2);
  }

  @Test
  void aTailWithoutReportGivesNothingAndABrokenReportIsAnError() {
    assertThat(LambdaReport.parse("START RequestId: x\nsome output\n")).isEmpty();
    assertThatThrownBy(() -> LambdaReport.parse("REPORT RequestId: x Max Memory Used: 1 MB"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Billed Duration");
  }
}
