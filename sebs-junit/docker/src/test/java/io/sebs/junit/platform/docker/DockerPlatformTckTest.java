package io.sebs.junit.platform.docker;

import com.github.dockerjava.api.DockerClient;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.tck.PlatformTck;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;

/**
 * The platform contract on the docker platform: instances are containers, and none labelled with the run
 * may remain after it. Skipped, saying how to get one, where no Docker engine answers.
 */
class DockerPlatformTckTest extends PlatformTck {

  private DockerClient docker;

  @BeforeEach
  void engine() {
    docker = TestDockerEngine.clientOrSkip();
  }

  @Override
  protected SebsConfig config(Path resultsDir) {
    return Fixtures.config(resultsDir, "sebs.platform", "docker", DockerSettings.KEEP_ALIVE, "60s");
  }

  @Override
  protected Leftovers leftovers(BenchmarkRun run) {
    String runId = run.runId();
    return () -> new DockerResources(docker).list(runId).stream().map(Object::toString).toList();
  }
}
