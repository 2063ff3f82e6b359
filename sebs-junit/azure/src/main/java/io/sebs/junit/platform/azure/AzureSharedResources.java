package io.sebs.junit.platform.azure;

import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.applicationinsights.models.ApplicationInsightsComponent;
import com.azure.resourcemanager.applicationinsights.models.ApplicationType;
import com.azure.resourcemanager.resources.fluent.models.GenericResourceInner;
import com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner;
import com.azure.resourcemanager.storage.fluent.models.BlobContainerInner;
import com.azure.resourcemanager.storage.fluent.models.StorageAccountInner;
import com.azure.resourcemanager.storage.models.Kind;
import com.azure.resourcemanager.storage.models.MinimumTlsVersion;
import com.azure.resourcemanager.storage.models.Sku;
import com.azure.resourcemanager.storage.models.SkuName;
import com.azure.resourcemanager.storage.models.StorageAccountCreateParameters;
import com.azure.resourcemanager.storage.models.StorageAccountKey;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * What every function app of a resource group shares, created on first use and reused by later runs: the
 * resource group, a storage account (the apps' {@code AzureWebJobsStorage}, their deployment containers and the
 * benchmarks' Blob data), and Application Insights on a Log Analytics workspace (request telemetry, queried for
 * provider times). All are tagged {@value AzurePlatform#TAG}.
 */
final class AzureSharedResources {

  private static final Logger LOG = Logger.getLogger(AzureSharedResources.class.getName());
  static final String WORKSPACE_API_VERSION = "2023-09-01";
  static final String COSMOS_API_VERSION = "2024-11-15";
  static final String INSIGHTS_NAME = "sebs-junit-insights";
  static final String WORKSPACE_NAME = "sebs-junit-logs";

  private final AzureClients clients;
  private final AzureSettings settings;
  private String storageConnectionString;
  private String blobEndpoint;
  private String insightsConnectionString;
  private String workspaceId;
  private AzureStorage.CosmosAccount cosmos;

  AzureSharedResources(AzureClients clients) {
    this.clients = clients;
    this.settings = clients.settings();
  }

  String resourceGroup() {
    return settings.resourceGroup();
  }

  /** Creates what is missing; idempotent, and cheap once done. */
  synchronized void ensure() {
    if (storageConnectionString != null) {
      return;
    }
    Map<String, String> tags = Map.of(AzurePlatform.TAG, "true");
    String rg = settings.resourceGroup();
    step("create resource group " + rg, () -> clients.resources().serviceClient().getResourceGroups()
        .createOrUpdate(rg, new ResourceGroupInner().withLocation(settings.region()).withTags(tags)));
    String account = settings.storageAccountName();
    StorageAccountInner storage = step("read storage account " + account, () -> existingStorageAccount(rg, account))
        .orElseGet(() -> step("create storage account " + account, () -> {
          LOG.info(() -> "Creating storage account " + account + " in " + rg);
          return clients.storage().serviceClient().getStorageAccounts().create(rg, account,
              new StorageAccountCreateParameters().withSku(new Sku().withName(SkuName.STANDARD_LRS))
                  .withKind(Kind.STORAGE_V2).withLocation(settings.region()).withTags(tags)
                  .withMinimumTlsVersion(MinimumTlsVersion.TLS1_2).withAllowBlobPublicAccess(false));
        }));
    String key = step("list the keys of storage account " + account, () -> clients.storage().serviceClient()
        .getStorageAccounts().listKeys(rg, account).keys().stream().map(StorageAccountKey::value).findFirst()
        .orElseThrow(() -> new IllegalStateException("Storage account " + account + " has no keys")));
    blobEndpoint = settings.endpoint("blob").map(Object::toString)
        .orElseGet(() -> storage.primaryEndpoints().blob().replaceAll("/$", ""));
    storageConnectionString = "DefaultEndpointsProtocol=" + (blobEndpoint.startsWith("http://") ? "http" : "https")
        + ";AccountName=" + account + ";AccountKey=" + key + ";BlobEndpoint=" + blobEndpoint + ";";
    GenericResourceInner workspace = step("create Log Analytics workspace " + WORKSPACE_NAME,
        () -> clients.resources().serviceClient().getResources().createOrUpdate(rg, "Microsoft.OperationalInsights",
            "", "workspaces", WORKSPACE_NAME, WORKSPACE_API_VERSION, new GenericResourceInner()
                .withLocation(settings.region()).withTags(tags)
                .withProperties(Map.of("sku", Map.of("name", "PerGB2018"), "retentionInDays", 30))));
    workspaceId = customerId(workspace);
    ApplicationInsightsComponent component = step("create Application Insights " + INSIGHTS_NAME,
        () -> clients.insights().components().define(INSIGHTS_NAME).withRegion(settings.region())
            .withExistingResourceGroup(rg).withKind("web").withApplicationType(ApplicationType.WEB)
            .withWorkspaceResourceId(workspace.id()).withTags(tags).create());
    insightsConnectionString = component.connectionString();
  }

  private Optional<StorageAccountInner> existingStorageAccount(String rg, String account) {
    try {
      return Optional.ofNullable(clients.storage().serviceClient().getStorageAccounts().getByResourceGroup(rg, account));
    } catch (ManagementException e) {
      if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** A blob container in the shared account (a function app's deployment container), created if missing. */
  void ensureContainer(String container) {
    ensure();
    step("create blob container " + container, () -> clients.storage().serviceClient().getBlobContainers()
        .create(settings.resourceGroup(), settings.storageAccountName(), container, new BlobContainerInner()));
  }

  /**
   * The Cosmos DB account for NoSQL tables: {@code sebs.azure.endpoint.cosmos} with {@code
   * sebs.azure.cosmosKey} (or {@code AZURE_COSMOS_KEY}) when given, else a serverless account of the resource
   * group ({@code sebs<suffix>}), created on first use (Azure takes minutes) and reused by later runs.
   */
  synchronized AzureStorage.CosmosAccount cosmosAccount() {
    if (cosmos != null) {
      return cosmos;
    }
    Optional<java.net.URI> given = settings.endpoint("cosmos");
    if (given.isPresent()) {
      String key = settings.cosmosKey().orElseThrow(() -> new IllegalStateException("-D" + AzureSettings.ENDPOINT
          + ".cosmos is set without the account's key: set -D" + AzureSettings.COSMOS_KEY + " or AZURE_COSMOS_KEY"));
      return cosmos = new AzureStorage.CosmosAccount(given.get(), key);
    }
    ensure();
    String rg = settings.resourceGroup();
    String name = settings.storageAccountName();
    Optional<AzureStorage.CosmosAccount> existing = existingCosmosAccount();
    if (existing.isPresent()) { // written again, an account would start an update of minutes
      return cosmos = existing.get();
    }
    GenericResourceInner account = step("create the serverless Cosmos DB account " + name, () -> {
      LOG.info(() -> "Creating or reading Cosmos DB account " + name + " (serverless) in " + rg);
      return clients.resources().serviceClient().getResources().createOrUpdate(rg, "Microsoft.DocumentDB", "",
          "databaseAccounts", name, COSMOS_API_VERSION, new GenericResourceInner().withLocation(settings.region())
              .withKind("GlobalDocumentDB").withTags(Map.of(AzurePlatform.TAG, "true"))
              .withProperties(Map.of("databaseAccountOfferType", "Standard",
                  "locations", java.util.List.of(Map.of("locationName", settings.region(), "failoverPriority", 0)),
                  "capabilities", java.util.List.of(Map.of("name", "EnableServerless")))));
    });
    Object endpoint = account.properties() instanceof Map ? ((Map<?, ?>) account.properties()).get("documentEndpoint")
        : null;
    if (endpoint == null) {
      throw new IllegalStateException("Cosmos DB account " + name + " came back without a documentEndpoint: "
          + account.properties());
    }
    return cosmos = new AzureStorage.CosmosAccount(java.net.URI.create(endpoint.toString()), cosmosKey(account.id()));
  }

  /** The primary key of a Cosmos DB account (listKeys is an action the generic resource client does not offer). */
  private String cosmosKey(String accountId) {
    String url = settings.resourceManager() + accountId + "/listKeys?api-version=" + COSMOS_API_VERSION;
    try (com.azure.core.http.HttpResponse response = clients.arm().sendSync(
        new com.azure.core.http.HttpRequest(com.azure.core.http.HttpMethod.POST, url),
        com.azure.core.util.Context.NONE)) {
      String body = response.getBodyAsBinaryData() == null ? "" : response.getBodyAsBinaryData().toString();
      com.fasterxml.jackson.databind.JsonNode keys = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
      if (response.getStatusCode() != 200 || !keys.path("primaryMasterKey").isTextual()) {
        throw new IllegalStateException("Cannot list the keys of Cosmos DB account " + accountId + ": HTTP "
            + response.getStatusCode() + " " + body);
      }
      return keys.path("primaryMasterKey").asText();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("The keys of Cosmos DB account " + accountId + " are not JSON", e);
    }
  }

  /** The shared storage account's connection string if the account exists; creates nothing (for clean-up). */
  Optional<String> existingStorageConnectionString() {
    String rg = settings.resourceGroup();
    String account = settings.storageAccountName();
    Optional<StorageAccountInner> storage;
    try {
      storage = existingStorageAccount(rg, account);
    } catch (ManagementException e) {
      if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
        return Optional.empty(); // no resource group
      }
      throw e;
    }
    if (storage.isEmpty()) {
      return Optional.empty();
    }
    String key = clients.storage().serviceClient().getStorageAccounts().listKeys(rg, account).keys().stream()
        .map(StorageAccountKey::value).findFirst().orElseThrow();
    String endpoint = settings.endpoint("blob").map(Object::toString)
        .orElseGet(() -> storage.get().primaryEndpoints().blob().replaceAll("/$", ""));
    return Optional.of(AzureStorage.connectionString(java.net.URI.create(endpoint), account, key));
  }

  /** The Cosmos DB account if it exists (or is given); creates nothing (for clean-up). */
  Optional<AzureStorage.CosmosAccount> existingCosmosAccount() {
    if (settings.endpoint("cosmos").isPresent()) {
      return Optional.of(cosmosAccount());
    }
    GenericResourceInner account;
    try {
      account = clients.resources().serviceClient().getResources().get(settings.resourceGroup(),
          "Microsoft.DocumentDB", "", "databaseAccounts", settings.storageAccountName(), COSMOS_API_VERSION);
    } catch (ManagementException e) {
      if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
    Object endpoint = account == null || !(account.properties() instanceof Map) ? null
        : ((Map<?, ?>) account.properties()).get("documentEndpoint");
    return endpoint == null ? Optional.empty()
        : Optional.of(new AzureStorage.CosmosAccount(java.net.URI.create(endpoint.toString()), cosmosKey(account.id())));
  }

  synchronized String storageConnectionString() {
    ensure();
    return storageConnectionString;
  }

  synchronized String blobEndpoint() {
    ensure();
    return blobEndpoint;
  }

  synchronized String insightsConnectionString() {
    ensure();
    return insightsConnectionString;
  }

  /** The Log Analytics workspace id (its customerId GUID) that request telemetry is queried in. */
  synchronized String workspaceId() {
    ensure();
    return workspaceId;
  }

  private static String customerId(GenericResourceInner workspace) {
    Object properties = workspace.properties();
    if (properties instanceof Map && ((Map<?, ?>) properties).get("customerId") != null) {
      return ((Map<?, ?>) properties).get("customerId").toString();
    }
    throw new IllegalStateException("Log Analytics workspace " + workspace.id() + " came back without a customerId: "
        + properties);
  }

  /** Runs one Resource Manager step, naming it and the fix in the error. */
  static <T> T step(String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (ManagementException e) {
      throw new IllegalStateException("Azure refused to " + what + ": " + e.getMessage() + hint(e), e);
    } catch (RuntimeException e) {
      if (e.getClass().getName().contains("ClientAuthenticationException")
          || e.getClass().getName().contains("CredentialUnavailable")) {
        throw new IllegalStateException("No Azure credentials to " + what + ": " + e.getMessage() + ". Log in with"
            + " `az login`, or set AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET (a service principal), or"
            + " -D" + AzureSettings.ACCESS_TOKEN, e);
      }
      throw e;
    }
  }

  private static String hint(ManagementException e) {
    int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
    if (status == 401 || status == 403) {
      return ". The identity needs Contributor on the resource group (or subscription) -D"
          + AzureSettings.RESOURCE_GROUP + " names";
    }
    if (e.getValue() != null && "SubscriptionNotFound".equals(e.getValue().getCode())) {
      return ". Check -D" + AzureSettings.SUBSCRIPTION;
    }
    return "";
  }
}
