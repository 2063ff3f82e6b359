package io.sebs.junit.platform.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sebs.junit.benchmark.Language;
import io.sebs.junit.config.SebsConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gcp platform's settings: defaults, endpoint overrides and their order, and misuse messages. */
class GcpSettingsTest {

  private static GcpSettings settings(Map<String, String> environment, String... keyValues) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      values.put(keyValues[i], keyValues[i + 1]);
    }
    return GcpSettings.from(new SebsConfig(k -> Optional.ofNullable(values.get(k))), environment::get);
  }

  @Test
  void defaultsAreGooglesEndpointsInUsCentral1WithPrivateFunctions() {
    GcpSettings s = settings(Map.of());
    assertThat(s.region()).isEqualTo("us-central1");
    assertThat(s.endpoints()).isEmpty();
    assertThat(s.allowUnauthenticated()).isFalse();
    assertThat(s.maxInstances()).isEqualTo(100);
    assertThat(s.project()).isEmpty();
    assertThat(s.cpu()).as("Google's default for the memory size").isEmpty();
  }

  @Test
  void anExplicitCpuIsWrittenAsTheApiTakesIt() {
    assertThat(settings(Map.of(), GcpSettings.CPU, "500m").cpu()).contains("0.5");
    assertThat(settings(Map.of(), GcpSettings.CPU, "2.0").cpu()).contains("2");
  }

  @Test
  void aServiceEndpointBeatsGooglesEmulatorVariableWhichBeatsTheBaseEndpoint() {
    GcpSettings s = settings(Map.of("STORAGE_EMULATOR_HOST", "http://127.0.0.1:4443",
            "DATASTORE_EMULATOR_HOST", "127.0.0.1:8081"),
        GcpSettings.ENDPOINT, "http://127.0.0.1:9000/", GcpSettings.ENDPOINT + ".logging", "http://127.0.0.1:9001");

    assertThat(s.endpoint("functions")).contains(URI.create("http://127.0.0.1:9000"));
    assertThat(s.endpoint("logging")).contains(URI.create("http://127.0.0.1:9001"));
    assertThat(s.endpoint("storage")).contains(URI.create("http://127.0.0.1:4443"));
    assertThat(s.endpoint("datastore")).as("host:port, as Google's emulators write it")
        .contains(URI.create("http://127.0.0.1:8081"));

    GcpSettings own = settings(Map.of("STORAGE_EMULATOR_HOST", "http://127.0.0.1:4443"),
        GcpSettings.ENDPOINT + ".storage", "http://127.0.0.1:5555");
    assertThat(own.endpoint("storage")).contains(URI.create("http://127.0.0.1:5555"));
  }

  @Test
  void badValuesAreRefusedNamingTheKeyAndWhatIsExpected() {
    assertThatThrownBy(() -> settings(Map.of(), GcpSettings.ENDPOINT, "localhost:9000"))
        .hasMessageContaining(GcpSettings.ENDPOINT).hasMessageContaining("base URL such as http://");
    assertThatThrownBy(() -> settings(Map.of(), GcpSettings.CPU, "lots")).hasMessageContaining(GcpSettings.CPU)
        .hasMessageContaining("vCPU count");
    assertThatThrownBy(() -> settings(Map.of(), GcpSettings.MAX_INSTANCES, "0"))
        .hasMessageContaining(GcpSettings.MAX_INSTANCES);
    assertThatThrownBy(() -> settings(Map.of()).endpoint("bigquery")).hasMessageContaining("known: [functions");
  }

  @Test
  void runtimesAreTheSecondGenerationIdsOfEachLanguage() {
    assertThat(GcpSettings.runtime(Language.PYTHON, "")).isEqualTo("python311");
    assertThat(GcpSettings.runtime(Language.PYTHON, "3.12")).isEqualTo("python312");
    assertThat(GcpSettings.runtime(Language.NODEJS, "")).isEqualTo("nodejs20");
    assertThat(GcpSettings.runtime(Language.JAVA, "21")).isEqualTo("java21");
    assertThatThrownBy(() -> GcpSettings.runtime(Language.JAVA, "11")).hasMessageContaining("use languageVersion 17");
    assertThat(GcpSettings.sebsVersion("python311")).isEqualTo("3.11");
    assertThat(GcpSettings.sebsVersion("nodejs20")).isEqualTo("20");
  }

  @Test
  void theDefaultCpuFollowsGooglesTableForTheMemorySize() {
    assertThat(GcpSettings.defaultCpu(128)).isEqualTo("0.083");
    assertThat(GcpSettings.defaultCpu(256)).isEqualTo("0.167");
    assertThat(GcpSettings.defaultCpu(1024)).isEqualTo("0.583");
    assertThat(GcpSettings.defaultCpu(2048)).isEqualTo("1");
    assertThat(GcpSettings.defaultCpu(4096)).isEqualTo("2");
  }

  @Test
  void missingCredentialsSayHowToProvideThem(@TempDir Path dir) {
    GcpSettings s = settings(Map.of(), GcpSettings.CREDENTIALS, dir.resolve("absent.json").toString());
    assertThatThrownBy(() -> GcpCredentials.resolve(s))
        .hasMessageContaining("absent.json")
        .hasMessageContaining("GOOGLE_APPLICATION_CREDENTIALS")
        .hasMessageContaining("gcloud auth application-default login");
  }
}
