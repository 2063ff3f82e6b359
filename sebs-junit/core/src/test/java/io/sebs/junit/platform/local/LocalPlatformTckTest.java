package io.sebs.junit.platform.local;

import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.tck.PlatformTck;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;

/** The platform contract on the local platform: instances are processes, and none may outlive the run. */
class LocalPlatformTckTest extends PlatformTck {

  @Override
  protected SebsConfig config(Path resultsDir) {
    return Fixtures.config(resultsDir, "sebs.local.keepAlive", "60s");
  }

  @Override
  protected Leftovers leftovers(BenchmarkRun run) {
    List<Long> pids = ((LocalPlatform) run.platform()).instancePids();
    return () -> pids.stream()
        .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        .map(pid -> "instance process " + pid)
        .toList();
  }
}
