package io.sebs.junit.platform.cloudflare;

import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.tck.PlatformTck;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The platform contract on the cloudflare platform (Workers deployed through Cloudflare's API) against the API
 * stand-in ({@link CloudflareApiStandIn}), which checks the uploads as Cloudflare does and runs each uploaded version
 * in a workerd process of its own. Node.js only (Workers run JavaScript here). "Nothing left" means every script the
 * run uploaded was deleted and no workerd of them still runs.
 */
class CloudflareStandInPlatformTckTest extends PlatformTck {

  @RegisterExtension
  static final CloudflareApiStandIn cloudflare = new CloudflareApiStandIn();

  @Override
  protected SebsConfig config(Path resultsDir) {
    List<String> settings = new ArrayList<>(List.of(SebsConfig.PLATFORM, CloudflarePlatform.NAME));
    settings.addAll(cloudflare.settings());
    return Fixtures.config(resultsDir, settings.toArray(String[]::new));
  }

  @Override
  protected List<String> languages() {
    return List.of("nodejs");
  }

  @Override
  protected Optional<String> cannotShow(Behaviour behaviour) {
    return switch (behaviour) {
      case SCALE_OUT -> Optional.of("a Worker's isolate serves concurrent requests itself and Cloudflare alone decides"
          + " when to add isolates; the stand-in runs one workerd (one isolate) per version");
      case CRASH -> Optional.of("a Worker cannot crash its isolate: process.exit() cancels the request (a failed"
          + " invocation) and the isolate keeps serving, on Cloudflare as on workerd");
      case SUB_MILLISECOND_CLOCK -> Optional.of("Workers read time in whole milliseconds (Date.now())");
      default -> Optional.empty();
    };
  }

  @Override
  protected Leftovers leftovers(BenchmarkRun run) {
    List<String> uploaded = ((CloudflarePlatform) run.platform()).scripts();
    List<Long> pids = cloudflare.pids();
    return () -> {
      List<String> left = new ArrayList<>();
      cloudflare.scripts().stream().filter(uploaded::contains).forEach(s -> left.add("script " + s));
      pids.stream().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
          .forEach(pid -> left.add("workerd process " + pid));
      return left;
    };
  }
}
