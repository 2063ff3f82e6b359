package io.sebs.junit.platform.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sebs.junit.config.SebsConfig;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** sebs.cloudflare.* settings: defaults, and a wrong value fails naming the key and the fix. */
class CloudflareSettingsTest {

  private static CloudflareSettings settings(Map<String, String> values) {
    return CloudflareSettings.from(new SebsConfig(key -> Optional.ofNullable(values.get(key))));
  }

  @Test
  void defaultsPinTheCompatibilityDateAndUseNpmsWorkerd() {
    CloudflareSettings s = settings(Map.of());

    assertThat(s.workerd()).isEmpty();
    assertThat(s.compatibilityDate()).isEqualTo(LocalDate.parse(CloudflareSettings.DEFAULT_COMPATIBILITY_DATE));
    assertThat(s.keepAlive()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.maxInstances()).isEqualTo(8);
  }

  @Test
  void aCompatibilityDateThatIsNotADateNamesTheKeyAndTheFormat() {
    assertThatThrownBy(() -> settings(Map.of(CloudflareSettings.COMPATIBILITY_DATE, "last tuesday")))
        .hasMessageContaining("sebs.cloudflare.compatibilityDate must be a date as YYYY-MM-DD")
        .hasMessageContaining("'last tuesday'");
  }

  @Test
  void aWorkerdPathThatIsNoProgramNamesTheKeyAndTheAlternative() {
    assertThatThrownBy(() -> settings(Map.of(CloudflareSettings.WORKERD, "/nonexistent/workerd")))
        .hasMessageContaining("sebs.cloudflare.workerd names /nonexistent/workerd, which is not an executable file")
        .hasMessageContaining("remove the setting to install workerd from npm");
  }

  @Test
  void aCapnpStringIsQuotedSoAnyEnvironmentValueSurvives() {
    assertThat(WorkerdConfig.quote("a \"b\" \\ c\nd")).isEqualTo("\"a \\\"b\\\" \\\\ c\\nd\"");
  }

  @Test
  void onlyFilesTheBundleDoesNotHoldBecomeDataModules() {
    assertThat(WorkerBundle.isDataFile("function/templates/template.html")).isTrue();
    assertThat(WorkerBundle.isDataFile("function/function.js")).isFalse();
    assertThat(WorkerBundle.isDataFile("function/package.json")).isFalse();
    assertThat(WorkerBundle.isDataFile("function/node_modules/mustache/README.md")).isFalse();
  }

  private static CloudflareSettings.Api api(Map<String, String> values, Map<String, String> environment) {
    return CloudflareSettings.api(new SebsConfig(key -> Optional.ofNullable(values.get(key))), environment::get);
  }

  @Test
  void theRestPathReadsWranglersVariablesAndTheSettingsWin() {
    Map<String, String> env = Map.of("CLOUDFLARE_API_TOKEN", "env-token", "CLOUDFLARE_ACCOUNT_ID", "env-account",
        "CLOUDFLARE_R2_ACCESS_KEY_ID", "env-key", "CLOUDFLARE_R2_SECRET_ACCESS_KEY", "env-secret");

    CloudflareSettings.Api fromEnv = api(Map.of(), env);
    CloudflareSettings.Api fromSettings = api(Map.of(CloudflareSettings.API_TOKEN, "set-token",
        CloudflareSettings.ACCOUNT_ID, "set-account"), env);

    assertThat(fromEnv.apiToken()).isEqualTo("env-token");
    assertThat(fromEnv.accountId()).isEqualTo("env-account");
    assertThat(fromEnv.r2().keys()).containsExactly("env-key", "env-secret");
    assertThat(fromEnv.r2().endpoint()).hasToString("https://env-account.r2.cloudflarestorage.com");
    assertThat(fromEnv.coldStartTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(fromSettings.apiToken()).isEqualTo("set-token");
    assertThat(fromSettings.accountId()).isEqualTo("set-account");
    assertThat(fromSettings + " " + fromSettings.r2()).as("no secret in what is logged")
        .doesNotContain("set-token", "env-secret");
  }

  @Test
  void apiAndWorkersUrlsAreOverridableForAStandIn() {
    Map<String, String> credentials = Map.of("CLOUDFLARE_API_TOKEN", "t", "CLOUDFLARE_ACCOUNT_ID", "a");

    CloudflareSettings.Api api = api(Map.of(CloudflareSettings.API_URL, "http://127.0.0.1:8080/client/v4/",
        CloudflareSettings.WORKERS_URL, "http://127.0.0.1:8080/workers/{script}/"), credentials);

    assertThat(api.apiUrl()).as("no trailing slash").hasToString("http://127.0.0.1:8080/client/v4");
    assertThat(api.workersUrl()).isEqualTo("http://127.0.0.1:8080/workers/{script}/");
    assertThatThrownBy(() -> api(Map.of(CloudflareSettings.WORKERS_URL, "http://127.0.0.1:8080/"), credentials))
        .hasMessageContaining("sebs.cloudflare.workersUrl must contain {script}");
    assertThatThrownBy(() -> api(Map.of(CloudflareSettings.API_URL, "api.cloudflare.com"), credentials))
        .hasMessageContaining("sebs.cloudflare.apiUrl must be a URL such as https://api.cloudflare.com/client/v4");
  }
}
