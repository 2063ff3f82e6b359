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
}
