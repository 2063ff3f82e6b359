package io.sebs.junit.platform.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The local platform's memory used is VmHWM of the instance's /proc status, in MB. */
class PeakResidentSetTest {

  @Test
  void readsVmHwmInKilobytesAsMegabytes() {
    String status = "Name:\tpython3\nVmPeak:\t  30000 kB\nVmHWM:\t   15360 kB\nVmRSS:\t   10240 kB\n";

    assertThat(PeakResidentSet.parseStatus(status)).isEqualTo(15.0);
  }

  @Test
  void aStatusWithoutMemoryFieldsIsUnknown() {
    assertThat(PeakResidentSet.parseStatus("Name:\tkthreadd\nState:\tS (sleeping)\n")).isNegative();
  }

  @Test
  void thisJvmHasAPeakAndAnEndedProcessHasNone() {
    assertThat(PeakResidentSet.megabytes(ProcessHandle.current().pid())).isGreaterThan(1.0);
    assertThat(PeakResidentSet.megabytes(Long.MAX_VALUE)).isNegative();
  }
}
