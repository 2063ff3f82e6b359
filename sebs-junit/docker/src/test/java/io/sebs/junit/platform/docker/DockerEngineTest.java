package io.sebs.junit.platform.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.Platforms;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without an engine, the docker platform says how to get one; runs with or without Docker. */
class DockerEngineTest {

  @TempDir
  Path dir;

  @Test
  void anAddressWhereNoEngineAnswersFailsWithHowToGetAnEngine() {
    String nowhere = "unix://" + dir.resolve("no-engine.sock");

    assertThat(DockerEngine.available(nowhere)).isFalse();
    assertThatThrownBy(() -> DockerEngine.connect(nowhere))
        .isInstanceOf(DockerEngine.DockerUnavailableException.class)
        .hasMessageContaining("No Docker engine answers at " + nowhere)
        .hasMessageContaining("apt-get install docker.io")
        .hasMessageContaining("DOCKER_HOST");
  }

  @Test
  void theDockerPlatformIsInstalledAndReadsItsEngineAddressFromTheConfiguration() {
    assertThat(Platforms.discover().names()).contains(DockerPlatform.NAME);
    Map<String, String> values = Map.of(DockerSettings.HOST, "unix:///elsewhere.sock", DockerSettings.CPUS, "1.5");
    DockerSettings settings = DockerSettings.from(new SebsConfig(k -> Optional.ofNullable(values.get(k))));
    assertThat(settings.host()).isEqualTo("unix:///elsewhere.sock");
    assertThat(settings.cpus()).contains(1.5);
  }
}
