package io.sebs.junit.platform.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sebs.junit.Invocation;
import io.sebs.junit.benchmark.BenchmarkConfigurationException;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the docker platform, SeBS's per-interpreter pins are those of the image's Python (3.11): a package
 * listed only in {@code requirements.txt.3.11} is installed, and a pin there that no package index satisfies
 * is a configuration error naming pin and file. Skipped, saying how to get one, where no Docker engine answers.
 */
class DockerDependencyPinsTest {


  @TempDir
  Path results;

  private BenchmarkRun run;

  @BeforeEach
  void engine() {
    TestDockerEngine.clientOrSkip();
    run = new BenchmarkRun(Fixtures.config(results, "sebs.platform", "docker", DockerSettings.KEEP_ALIVE, "60s"));
  }

  @AfterEach
  void close() {
    if (run != null) {
      run.close();
    }
  }

  @Test
  void aPackageListedOnlyForTheImagesPythonIsInstalled() {
    Invocation invocation = run.prepare(run.spec("913.sebs-versioned-pins", "python", "", "test", 0, 0))
        .invoker().invoke(Map.of("text", "<b>&</b>"));

    assertThat(invocation.failed()).as("%s", invocation).isFalse();
    assertThat(invocation.output().asText()).isEqualTo("&lt;b&gt;&amp;&lt;/b&gt;");
  }

  @Test
  void anUnsatisfiablePinOfTheImagesPythonIsAConfigurationErrorNamingPinAndFile() {
    assertThatThrownBy(() -> run.prepare(run.spec("914.sebs-unsatisfiable-pin", "python", "", "test", 0, 0)))
        .isInstanceOf(BenchmarkConfigurationException.class)
        .hasMessageStartingWith("pip download cannot install markupsafe==0.0.1, pinned as 'markupsafe==0.0.1' in ")
        .hasMessageContaining("914.sebs-unsatisfiable-pin/python/requirements.txt.3.11: ");
  }
}
