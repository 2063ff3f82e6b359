package io.sebs.junit.platform.azure;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.HostEnvironment;
import io.sebs.junit.platform.Platform;
import io.sebs.junit.platform.PlatformContext;
import io.sebs.junit.platform.PlatformProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Registers {@link AzurePlatform} as {@code sebs.platform=azure}. */
public final class AzurePlatformProvider implements PlatformProvider {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String name() {
    return AzurePlatform.NAME;
  }

  @Override
  public Platform create(PlatformContext context) {
    AzureSettings settings = AzureSettings.from(context.config());
    return new AzurePlatform(context, settings, AzureClients.create(settings));
  }

  @Override
  public Optional<String> unavailable(SebsConfig config) {
    return unavailable(config, HostEnvironment.current());
  }

  /**
   * Unavailable without a subscription ({@code sebs.azure.subscription} or {@code AZURE_SUBSCRIPTION_ID}, as
   * {@link AzureSettings} needs) or without any credential source {@link AzureClients} could use here; only
   * their presence is checked, never their validity. Credentials: {@code sebs.azure.accessToken} (what the
   * stand-in sets), else DefaultAzureCredential's sources: a service principal ({@code AZURE_CLIENT_ID} with
   * {@code AZURE_CLIENT_SECRET}, {@code AZURE_CLIENT_CERTIFICATE_PATH}, {@code AZURE_FEDERATED_TOKEN_FILE} or
   * {@code AZURE_USERNAME}), a managed identity's endpoint ({@code IDENTITY_ENDPOINT}, {@code MSI_ENDPOINT}),
   * the Azure CLI's login (a subscription in {@code azureProfile.json} of {@code AZURE_CONFIG_DIR} or
   * {@code ~/.azure}) or Azure PowerShell's ({@code ~/.Azure/AzureRmContext.json}).
   */
  static Optional<String> unavailable(SebsConfig config, HostEnvironment host) {
    boolean subscription = config.get(AzureSettings.SUBSCRIPTION).isPresent()
        || host.anyVariable("AZURE_SUBSCRIPTION_ID");
    if (!subscription) {
      return Optional.of("no Azure subscription: set -D" + AzureSettings.SUBSCRIPTION + "=<subscription id> or"
          + " AZURE_SUBSCRIPTION_ID (az account show --query id -o tsv prints yours)");
    }
    Path cli = host.variable("AZURE_CONFIG_DIR").map(Path::of).orElse(host.inHome(".azure"));
    boolean servicePrincipal = host.anyVariable("AZURE_CLIENT_ID") && host.anyVariable("AZURE_CLIENT_SECRET",
        "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_USERNAME");
    boolean credentials = config.get(AzureSettings.ACCESS_TOKEN).isPresent() || servicePrincipal
        || host.anyVariable("IDENTITY_ENDPOINT", "MSI_ENDPOINT") || cliLoggedIn(cli.resolve("azureProfile.json"))
        || Files.isRegularFile(host.inHome(".Azure/AzureRmContext.json"));
    if (!credentials) {
      return Optional.of("no Azure credentials found (no " + AzureSettings.ACCESS_TOKEN + ", AZURE_CLIENT_ID with"
          + " AZURE_CLIENT_SECRET, managed identity or Azure CLI login in " + cli + "): run `az login`, set"
          + " AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET for a service principal, or run on Azure"
          + " with a managed identity");
    }
    return Optional.empty();
  }

  /** Whether the Azure CLI's profile lists a subscription (it keeps the file, emptied, after {@code az logout}). */
  private static boolean cliLoggedIn(Path profile) {
    try {
      if (!Files.isRegularFile(profile)) {
        return false;
      }
      String text = Files.readString(profile).replace("\uFEFF", ""); // the CLI writes a byte order mark
      return !JSON.readTree(text).path("subscriptions").isEmpty();
    } catch (IOException | RuntimeException e) {
      return true; // there but unreadable: let DefaultAzureCredential judge it
    }
  }
}
