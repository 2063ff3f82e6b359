package io.sebs.junit.platform.cloudflare;

import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.tck.PlatformTck;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The platform contract on cloudflare-local, in Node.js (the only language Workers run here): instances
 * are workerd processes, and none may outlive the run.
 */
class CloudflareLocalPlatformTckTest extends PlatformTck {

  @Override
  protected SebsConfig config(Path resultsDir) {
    return Fixtures.config(resultsDir, "sebs.platform", CloudflareLocalPlatform.NAME,
        CloudflareSettings.KEEP_ALIVE, "60s");
  }

  @Override
  protected List<String> languages() {
    return List.of("nodejs");
  }

  @Override
  protected Optional<String> cannotShow(Behaviour behaviour) {
    switch (behaviour) {
      case CRASH:
        return Optional.of("a Worker cannot crash its isolate: process.exit() cancels the request (a failed"
            + " invocation) and workerd keeps serving the same isolate, as Cloudflare does");
      case SUB_MILLISECOND_CLOCK:
        return Optional.of("Workers read time in whole milliseconds (Date.now(), performance.now())");
      default:
        return Optional.empty();
    }
  }

  @Override
  protected Leftovers leftovers(BenchmarkRun run) {
    List<Long> pids = ((CloudflareLocalPlatform) run.platform()).instancePids();
    return () -> pids.stream()
        .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        .map(pid -> "workerd process " + pid)
        .toList();
  }
}
