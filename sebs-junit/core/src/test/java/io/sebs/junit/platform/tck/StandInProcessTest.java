package io.sebs.junit.platform.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stand-in process hands a run its settings as a properties file that is there whole or not at all. */
class StandInProcessTest {

  @Test
  void settingsAreWrittenAsAPropertiesFileARunCanLoad(@TempDir Path dir) throws Exception {
    Path file = StandInProcess.writeSettings(dir.resolve("nested/standin.properties"),
        StandInProcess.Started.pairs(List.of("sebs.gcp.endpoint", "http://127.0.0.1:4321", "sebs.gcp.project", "p")));

    Properties loaded = new Properties();
    try (var in = Files.newInputStream(file)) {
      loaded.load(in);
    }
    assertThat(loaded).containsEntry("sebs.gcp.endpoint", "http://127.0.0.1:4321").containsEntry("sebs.gcp.project", "p");
    assertThat(file).isAbsolute();
    assertThat(dir.resolve("nested")).isDirectoryNotContaining("glob:**.partial");
  }

  @Test
  void aRewriteReplacesTheWholeFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("standin.properties");
    StandInProcess.writeSettings(file, Map.of("a", "1", "b", "2"));
    StandInProcess.writeSettings(file, Map.of("c", "3"));
    assertThat(Files.readString(file)).isEqualTo("c=3\n");
  }

  @Test
  void pairsKeepTheStandInsOrder() {
    assertThat(StandInProcess.Started.pairs(List.of("z", "1", "a", "2")).keySet()).containsExactly("z", "a");
  }
}
