package io.sebs.junit.platform.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where a container's peak memory is read on each cgroup layout Docker uses. The real engine's layout on
 * this machine (cgroup v1, cgroupfs driver) is exercised by DockerPlatformTest; the others are laid out
 * here as files, since a host has only one of them.
 */
class ContainerMemoryPeakTest {

  private static final String ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @TempDir
  Path cgroup;

  @ParameterizedTest
  @ValueSource(strings = {
      "system.slice/docker-" + ID + ".scope/memory.peak", // cgroup v2, systemd driver
      "docker/" + ID + "/memory.peak", // cgroup v2, cgroupfs driver
      "memory/docker/" + ID + "/memory.max_usage_in_bytes", // cgroup v1, cgroupfs driver
      "memory/system.slice/docker-" + ID + ".scope/memory.max_usage_in_bytes"}) // cgroup v1, systemd driver
  void thePeakIsFoundOnEveryLayoutAndReadInMegabytes(String file) throws IOException {
    write(file, "52428800\n");

    ContainerMemoryPeak peak = ContainerMemoryPeak.of(cgroup, ID);

    assertThat(peak.visible()).isTrue();
    assertThat(peak.megabytes()).isEqualTo(50.0);
  }

  @Test
  void aPeakWrittenLaterIsReadFresh() throws IOException {
    write("docker/" + ID + "/memory.peak", "1048576");
    ContainerMemoryPeak peak = ContainerMemoryPeak.of(cgroup, ID);

    write("docker/" + ID + "/memory.peak", "3145728");

    assertThat(peak.megabytes()).isEqualTo(3.0);
  }

  @Test
  void anInvisibleOrVanishedCgroupIsUnknownNotZero() throws IOException {
    assertThat(ContainerMemoryPeak.of(cgroup, ID).visible()).as("a remote engine's container").isFalse();
    assertThat(ContainerMemoryPeak.of(cgroup, ID).megabytes()).isNegative();

    write("docker/" + ID + "/memory.peak", "1048576");
    ContainerMemoryPeak peak = ContainerMemoryPeak.of(cgroup, ID);
    Files.delete(cgroup.resolve("docker/" + ID + "/memory.peak"));
    assertThat(peak.megabytes()).as("the container was removed").isNegative();
  }

  private void write(String relative, String content) throws IOException {
    Path file = cgroup.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
