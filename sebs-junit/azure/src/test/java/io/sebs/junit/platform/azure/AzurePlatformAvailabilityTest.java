package io.sebs.junit.platform.azure;

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
 * Whether azure can run on this machine, as a side-by-side run asks before skipping it: a subscription, and a
 * credential source DefaultAzureCredential (or {@code sebs.azure.accessToken}) could use. Each case builds its
 * own environment and home folder.
 */
class AzurePlatformAvailabilityTest {

  @TempDir
  Path home;

  private final Map<String, String> environment = new HashMap<>();
  private final Map<String, String> config = new HashMap<>();

  private Optional<String> unavailable() {
    return AzurePlatformProvider.unavailable(new SebsConfig(key -> Optional.ofNullable(config.get(key))),
        new HostEnvironment(environment::get, home));
  }

  private void azureProfile(String json) throws IOException {
    Files.createDirectories(home.resolve(".azure"));
    Files.writeString(home.resolve(".azure/azureProfile.json"), "\uFEFF" + json);
  }

  @Test
  void withoutASubscriptionItSaysHowToFindAndSetOne() {
    assertThat(unavailable()).hasValueSatisfying(reason -> assertThat(reason).contains("no Azure subscription")
        .contains("-Dsebs.azure.subscription=").contains("AZURE_SUBSCRIPTION_ID").contains("az account show"));
  }

  @Test
  void aSubscriptionWithoutCredentialsSaysHowToLogIn() {
    environment.put("AZURE_SUBSCRIPTION_ID", "00000000-0000-0000-0000-000000000001");
    assertThat(unavailable()).hasValueSatisfying(reason -> assertThat(reason).contains("no Azure credentials")
        .contains("az login").contains("AZURE_CLIENT_SECRET"));
  }

  @Test
  void theStandInsSubscriptionAndTokenCount() {
    config.put(AzureSettings.SUBSCRIPTION, "stand-in");
    config.put(AzureSettings.ACCESS_TOKEN, "token");
    config.put(AzureSettings.ENDPOINT, "http://127.0.0.1:7071");
    assertThat(unavailable()).isEmpty();
  }

  @Test
  void aServicePrincipalNeedsItsSecretCertificateOrTokenFile() {
    environment.put("AZURE_SUBSCRIPTION_ID", "sub");
    environment.put("AZURE_CLIENT_ID", "app");
    assertThat(unavailable()).as("a client id alone").isPresent();
    for (String proof : new String[] {"AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH",
        "AZURE_FEDERATED_TOKEN_FILE"}) {
      environment.put(proof, "x");
      assertThat(unavailable()).as(proof).isEmpty();
      environment.remove(proof);
    }
  }

  @Test
  void aManagedIdentitysEndpointCounts() {
    environment.put("AZURE_SUBSCRIPTION_ID", "sub");
    environment.put("IDENTITY_ENDPOINT", "http://localhost:42356/msi/token");
    assertThat(unavailable()).isEmpty();
  }

  @Test
  void theAzureCliCountsWhileLoggedIn() throws IOException {
    environment.put("AZURE_SUBSCRIPTION_ID", "sub");
    azureProfile("{\"subscriptions\": [{\"id\": \"sub\", \"isDefault\": true}]}");
    assertThat(unavailable()).isEmpty();
    azureProfile("{\"installationId\": \"x\", \"subscriptions\": []}");
    assertThat(unavailable()).as("after az logout").isPresent();
  }

  @Test
  void theAzureCliConfigFolderCanBeMoved() throws IOException {
    environment.put("AZURE_SUBSCRIPTION_ID", "sub");
    Path elsewhere = Files.createDirectories(home.resolve("elsewhere"));
    Files.writeString(elsewhere.resolve("azureProfile.json"), "{\"subscriptions\": [{\"id\": \"sub\"}]}");
    environment.put("AZURE_CONFIG_DIR", elsewhere.toString());
    assertThat(unavailable()).isEmpty();
  }
}
