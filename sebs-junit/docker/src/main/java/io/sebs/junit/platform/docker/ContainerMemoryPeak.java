package io.sebs.junit.platform.docker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A container's peak memory from its memory cgroup on this host: cgroup v2's {@code memory.peak} or
 * cgroup v1's {@code memory.max_usage_in_bytes}, both the most the container's processes have held since it
 * started, page cache included. It is read straight from the cgroup filesystem, a file read of a few
 * microseconds, because the engine's statistics API takes a second per sample (it waits for a second CPU
 * reading) and has no peak on cgroup v2. With a remote or rootless engine the container's cgroup is not
 * visible here and the figure is unknown.
 */
final class ContainerMemoryPeak {

  private static final Path CGROUP = Path.of("/sys/fs/cgroup");

  private final Optional<Path> file;

  private ContainerMemoryPeak(Optional<Path> file) {
    this.file = file;
  }

  /** Finds the cgroup file of a running container (its full id), for the systemd and cgroupfs drivers. */
  static ContainerMemoryPeak of(String containerId) {
    return of(CGROUP, containerId);
  }

  /**
   * As {@link #of(String)} under another cgroup mount: cgroup v2 ({@code memory.peak}, Linux 5.19+) with
   * the systemd or cgroupfs driver first, then cgroup v1's memory controller.
   */
  static ContainerMemoryPeak of(Path cgroup, String containerId) {
    List<Path> candidates = List.of(
        cgroup.resolve("system.slice/docker-" + containerId + ".scope/memory.peak"),
        cgroup.resolve("docker/" + containerId + "/memory.peak"),
        cgroup.resolve("memory/docker/" + containerId + "/memory.max_usage_in_bytes"),
        cgroup.resolve("memory/system.slice/docker-" + containerId + ".scope/memory.max_usage_in_bytes"));
    return new ContainerMemoryPeak(candidates.stream().filter(Files::isReadable).findFirst());
  }

  /** Whether the container's cgroup was found, so {@link #megabytes()} can answer. */
  boolean visible() {
    return file.isPresent();
  }

  /** The peak in MB; negative when the cgroup is not visible or gone (container removed). */
  double megabytes() {
    if (file.isEmpty()) {
      return -1;
    }
    try {
      String text = new String(Files.readAllBytes(file.get()), StandardCharsets.US_ASCII).trim();
      return Long.parseLong(text) / (1024.0 * 1024.0);
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }
}
