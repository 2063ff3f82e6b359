package io.sebs.junit.platform.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.HostEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether gcp can run on this machine, as a side-by-side run asks before skipping it: credentials where
 * Google's tools (or {@code sebs.gcp.credentials}) find them, and a project. Each case builds its own
 * environment and home folder.
 */
class GcpPlatformAvailabilityTest {

  private static final String SERVICE_ACCOUNT_KEY =
      "{\"type\": \"service_account\", \"project_id\": \"from-the-key\", \"client_email\": \"sa@x\"}";
  private static final String USER_ADC = "{\"type\": \"authorized_user\", \"client_id\": \"id\"}";

  @TempDir
  Path home;

  private final Map<String, String> environment = new HashMap<>();
  private final Map<String, String> config = new HashMap<>();

  private Optional<String> unavailable() {
    return GcpPlatformProvider.unavailable(new SebsConfig(key -> Optional.ofNullable(config.get(key))),
        new HostEnvironment(environment::get, home));
  }

  private Path write(String relative, String text) throws IOException {
    Path file = home.resolve(relative);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  @Test
  void withNothingConfiguredItSaysWhatIsMissingAndHowToProvideIt() {
    assertThat(unavailable()).hasValueSatisfying(reason -> assertThat(reason).contains("no Google credentials")
        .contains("GOOGLE_APPLICATION_CREDENTIALS").contains("gcloud auth application-default login"));
  }

  @Test
  void aServiceAccountKeyBringsItsProject() throws IOException {
    environment.put("GOOGLE_APPLICATION_CREDENTIALS", write("key.json", SERVICE_ACCOUNT_KEY).toString());
    assertThat(unavailable()).isEmpty();
  }

  @Test
  void theStandInsSettingsCount() throws IOException {
    config.put(GcpSettings.CREDENTIALS, write("stand-in-key.json", SERVICE_ACCOUNT_KEY).toString());
    config.put(GcpSettings.ENDPOINT, "http://127.0.0.1:8085");
    config.put(GcpSettings.PROJECT, "stand-in");
    assertThat(unavailable()).isEmpty();
  }

  @Test
  void aKeyFileSettingThatNamesNoFileSaysSo() {
    config.put(GcpSettings.CREDENTIALS, home.resolve("missing.json").toString());
    assertThat(unavailable()).hasValueSatisfying(reason -> assertThat(reason)
        .contains(GcpSettings.CREDENTIALS + " names").contains("missing.json").contains("not a file"));
  }

  @Test
  void gcloudsLoginNeedsAProjectFromGcloudsConfigurationOrTheSettings() throws IOException {
    write(".config/gcloud/application_default_credentials.json", USER_ADC);
    assertThat(unavailable()).hasValueSatisfying(reason -> assertThat(reason)
        .contains("no Google Cloud project").contains("-D" + GcpSettings.PROJECT));
    write(".config/gcloud/configurations/config_default", "[core]\naccount = me@example.com\nproject = mine\n");
    assertThat(unavailable()).isEmpty();
  }

  @Test
  void theProjectCanComeFromTheEnvironmentOrTheActiveGcloudConfiguration() throws IOException {
    write(".config/gcloud/application_default_credentials.json", USER_ADC);
    environment.put("GOOGLE_CLOUD_PROJECT", "from-env");
    assertThat(unavailable()).isEmpty();
    environment.clear();
    write(".config/gcloud/active_config", "work\n");
    write(".config/gcloud/configurations/config_work", "[core]\nproject = at-work\n");
    assertThat(unavailable()).isEmpty();
  }

  @Test
  void onGoogleCloudTheMetadataServerProvidesBoth() {
    environment.put("GCE_METADATA_HOST", "metadata.google.internal");
    assertThat(unavailable()).isEmpty();
  }
}
