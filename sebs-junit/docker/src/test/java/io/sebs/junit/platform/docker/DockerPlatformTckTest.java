package io.sebs.junit.platform.docker;

import com.github.dockerjava.api.DockerClient;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.tck.PlatformTck;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/**
 * The platform contract on the docker platform: instances are containers, and none labelled with the run
 * may remain after it. Skipped, saying how to get one, where no Docker engine answers.
 */
class DockerPlatformTckTest extends PlatformTck {

  private static final String HOST = System.getenv().getOrDefault("DOCKER_HOST", DockerSettings.DEFAULT_HOST);
  private static final boolean ENGINE = DockerEngine.available(HOST);
  private DockerClient docker;

  @BeforeEach
  void engine() {
    Assumptions.assumeTrue(ENGINE,
        "No Docker engine answers at " + HOST + ": docker platform tests skipped. " + DockerEngine.HOW_TO_GET_ONE);
    if (docker == null) {
      docker = DockerEngine.connect(HOST);
    }
  }

  @AfterAll
  void disconnect() {
    if (docker != null) {
      DockerEngine.closeQuietly(docker);
    }
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
