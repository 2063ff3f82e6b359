package io.sebs.junit.platform.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sebs.junit.config.SebsConfig;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The azure platform's settings: defaults, endpoint overrides, derived names, and misuse messages. */
class AzureSettingsTest {

  private static AzureSettings settings(Map<String, String> environment, String... keyValues) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      values.put(keyValues[i], keyValues[i + 1]);
    }
    return AzureSettings.from(new SebsConfig(k -> Optional.ofNullable(values.get(k))), environment::get);
  }

  @Test
  void defaultsAreAzuresEndpointsInWestEuropeWithAResourceGroupPerRegion() {
    AzureSettings s = settings(Map.of("AZURE_SUBSCRIPTION_ID", "sub-1"));
    assertThat(s.subscription()).isEqualTo("sub-1");
    assertThat(s.region()).isEqualTo("westeurope");
    assertThat(s.resourceGroup()).isEqualTo("sebs-junit-westeurope");
    assertThat(s.resourceManager()).isEqualTo(URI.create("https://management.azure.com"));
    assertThat(s.logs()).isEqualTo(URI.create("https://api.loganalytics.io"));
    assertThat(s.endpoint("blob")).isEmpty();
    assertThat(s.accessToken()).as("DefaultAzureCredential unless a token is given").isEmpty();
    assertThat(s.maxInstances()).isEqualTo(100);
    assertThat(s.logWait()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void theSettingBeatsTheEnvironmentAndRegionsAreWrittenAsAzureNamesThem() {
    AzureSettings s = settings(Map.of("AZURE_SUBSCRIPTION_ID", "from-env"), AzureSettings.SUBSCRIPTION, "from-setting",
        AzureSettings.REGION, "North Europe");
    assertThat(s.subscription()).isEqualTo("from-setting");
    assertThat(s.region()).isEqualTo("northeurope");
  }

  @Test
  void endpointsOverrideResourceManagerAndEachServiceWithoutATrailingSlash() {
    AzureSettings s = settings(Map.of(), AzureSettings.SUBSCRIPTION, "s", AzureSettings.ENDPOINT,
        "http://127.0.0.1:9000/", AzureSettings.ENDPOINT + ".logs", "http://127.0.0.1:9001",
        AzureSettings.ENDPOINT + ".blob", "http://127.0.0.1:10000/devstoreaccount1");
    assertThat(s.resourceManager()).isEqualTo(URI.create("http://127.0.0.1:9000"));
    assertThat(s.logs()).isEqualTo(URI.create("http://127.0.0.1:9001"));
    assertThat(s.endpoint("blob")).contains(URI.create("http://127.0.0.1:10000/devstoreaccount1"));
    assertThatThrownBy(() -> s.endpoint("queues")).hasMessageContaining("known: [logs, blob, cosmos]");
  }

  @Test
  void withoutASubscriptionTheMessageSaysWhereToFindIt() {
    assertThatThrownBy(() -> settings(Map.of()))
        .hasMessageContaining("-Dsebs.azure.subscription").hasMessageContaining("AZURE_SUBSCRIPTION_ID")
        .hasMessageContaining("az account show");
  }

  @Test
  void badValuesAreNamedWithTheirRange() {
    assertThatThrownBy(() -> settings(Map.of(), AzureSettings.SUBSCRIPTION, "s", AzureSettings.MAX_INSTANCES, "10"))
        .hasMessageContaining("between 40 and 1000");
    assertThatThrownBy(() -> settings(Map.of(), AzureSettings.SUBSCRIPTION, "s", AzureSettings.ENDPOINT, "localhost"))
        .hasMessageContaining("base URL");
    assertThatThrownBy(() -> settings(Map.of(), AzureSettings.SUBSCRIPTION, "s", AzureSettings.RESOURCE_GROUP, "a/b"))
        .hasMessageContaining(AzureSettings.RESOURCE_GROUP);
  }

  @Test
  void globallyUniqueNamesAreStablePerSubscriptionAndGroupAndValidForAzure() {
    AzureSettings a = settings(Map.of(), AzureSettings.SUBSCRIPTION, "s1");
    AzureSettings again = settings(Map.of(), AzureSettings.SUBSCRIPTION, "s1");
    AzureSettings other = settings(Map.of(), AzureSettings.SUBSCRIPTION, "s2");
    assertThat(a.storageAccountName()).isEqualTo(again.storageAccountName()).matches("[a-z0-9]{3,24}")
        .isNotEqualTo(other.storageAccountName());
    String app = AzurePlatform.appName("sebs-110.dynamic-html-python-3.11-256", a.uniqueSuffix());
    assertThat(app).matches("[a-z0-9][a-z0-9-]{0,58}[a-z0-9]").endsWith(a.uniqueSuffix().substring(0, 6));
    String longName = AzurePlatform.appName("x".repeat(100), a.uniqueSuffix());
    assertThat(longName).hasSizeLessThanOrEqualTo(60)
        .isNotEqualTo(AzurePlatform.appName("x".repeat(99), a.uniqueSuffix()));
  }

  @Test
  void flexConsumptionInstanceMemoryIsTheSmallestSizeThatHoldsTheBenchmark() {
    assertThat(AzureSettings.instanceMemoryMb(128)).isEqualTo(512);
    assertThat(AzureSettings.instanceMemoryMb(512)).isEqualTo(512);
    assertThat(AzureSettings.instanceMemoryMb(1024)).isEqualTo(2048);
    assertThat(AzureSettings.instanceMemoryMb(4096)).isEqualTo(4096);
    assertThatThrownBy(() -> AzureSettings.instanceMemoryMb(8192)).hasMessageContaining("4096 MB");
  }

  @Test
  void tokensGoInClearTextToLoopbackOnly() {
    assertThat(AzureClients.scheme("127.0.0.1:8080")).isEqualTo("http");
    assertThat(AzureClients.scheme("localhost:8080")).isEqualTo("http");
    assertThat(AzureClients.scheme("myapp.scm.azurewebsites.net")).isEqualTo("https");
  }
}
