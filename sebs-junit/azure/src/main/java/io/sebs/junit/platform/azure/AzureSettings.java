package io.sebs.junit.platform.azure;

import io.sebs.junit.config.SebsConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The azure platform's configuration keys, read from the usual chain (system properties,
 * junit-platform.properties). Credentials come from azure-identity's {@code DefaultAzureCredential} (environment
 * variables, workload or managed identity, the Azure CLI's login...), never from sebs keys, except
 * {@code sebs.azure.accessToken}: a bearer token used as it is, for stand-ins and short sessions.
 *
 * <p>Endpoints: Resource Manager is {@code https://management.azure.com} unless {@code sebs.azure.endpoint} says
 * otherwise (its token audience follows it); {@code sebs.azure.endpoint.<service>} overrides one of {@link
 * #SERVICES}: {@code logs} (the Log Analytics query API that serves Application Insights' request telemetry),
 * {@code blob} (the storage account's Blob endpoint) and {@code cosmos} (the Cosmos DB account). Function URLs
 * and the deployment (SCM) host are whatever Resource Manager returns.
 *
 * @param subscription {@code sebs.azure.subscription}, else {@code AZURE_SUBSCRIPTION_ID}
 * @param region {@code sebs.azure.region} (default {@code westeurope}, SeBS's default)
 * @param resourceGroup {@code sebs.azure.resourceGroup} (default {@code sebs-junit-<region>}): holds everything
 *     the platform creates, shared by runs
 * @param tenant {@code sebs.azure.tenant}, else {@code AZURE_TENANT_ID}; optional
 * @param accessToken {@code sebs.azure.accessToken}: a bearer token for every audience instead of
 *     DefaultAzureCredential
 * @param endpoints the overridden base URLs: {@code arm} and {@link #SERVICES}
 * @param maxInstances {@code sebs.azure.maxInstances}: Flex Consumption's maximumInstanceCount (40 to 1000,
 *     default 100)
 * @param logWait {@code sebs.azure.logWait}: how long {@code fetchMetrics} waits for request telemetry (default
 *     5 min: Application Insights ingestion takes minutes)
 * @param deployTimeout {@code sebs.azure.deployTimeout}: how long creating resources or a deployment may take
 *     (default 10 min)
 * @param coldStartTimeout {@code sebs.azure.coldStartTimeout}: how long an enforced cold start may take to show
 *     (old instances answering after the app-settings change; default 2 min)
 * @param cosmosKey {@code sebs.azure.cosmosKey}, else {@code AZURE_COSMOS_KEY}: the key of the Cosmos DB account
 *     {@code sebs.azure.endpoint.cosmos} names (without that endpoint the platform creates an account and reads
 *     its key)
 */
public record AzureSettings(String subscription, String region, String resourceGroup, Optional<String> tenant,
    Optional<String> accessToken, Map<String, URI> endpoints, int maxInstances, Duration logWait,
    Duration deployTimeout, Duration coldStartTimeout, Optional<String> cosmosKey) {

  public static final String SUBSCRIPTION = "sebs.azure.subscription";
  public static final String REGION = "sebs.azure.region";
  public static final String RESOURCE_GROUP = "sebs.azure.resourceGroup";
  public static final String TENANT = "sebs.azure.tenant";
  public static final String ACCESS_TOKEN = "sebs.azure.accessToken";
  public static final String ENDPOINT = "sebs.azure.endpoint";
  public static final String MAX_INSTANCES = "sebs.azure.maxInstances";
  public static final String LOG_WAIT = "sebs.azure.logWait";
  public static final String DEPLOY_TIMEOUT = "sebs.azure.deployTimeout";
  public static final String COLD_START_TIMEOUT = "sebs.azure.coldStartTimeout";
  public static final String COSMOS_KEY = "sebs.azure.cosmosKey";

  /** Services whose endpoint can be overridden one by one ({@code sebs.azure.endpoint.<service>}). */
  public static final List<String> SERVICES = List.of("logs", "blob", "cosmos");
  static final URI AZURE_RESOURCE_MANAGER = URI.create("https://management.azure.com");
  static final URI AZURE_LOGS = URI.create("https://api.loganalytics.io");

  public AzureSettings {
    endpoints = Map.copyOf(endpoints);
    if (maxInstances < 40 || maxInstances > 1000) {
      throw new IllegalArgumentException(MAX_INSTANCES + " must be between 40 and 1000 (Flex Consumption's range for"
          + " maximumInstanceCount), not " + maxInstances);
    }
    if (!resourceGroup.matches("[-\\w._()]{1,90}") || resourceGroup.endsWith(".")) {
      throw new IllegalArgumentException(RESOURCE_GROUP + " must be 1-90 letters, digits, '-', '_', '.', '(' or ')'"
          + " not ending in '.', not '" + resourceGroup + "'");
    }
  }

  public static AzureSettings from(SebsConfig config) {
    return from(config, System::getenv);
  }

  static AzureSettings from(SebsConfig config, Function<String, String> environment) {
    String subscription = config.get(SUBSCRIPTION)
        .or(() -> Optional.ofNullable(environment.apply("AZURE_SUBSCRIPTION_ID")).filter(s -> !s.isBlank()))
        .orElseThrow(() -> new IllegalArgumentException("No Azure subscription: set -D" + SUBSCRIPTION
            + "=<subscription id> or AZURE_SUBSCRIPTION_ID (az account show --query id -o tsv prints yours)"));
    String region = config.get(REGION).orElse("westeurope").strip().toLowerCase(Locale.ROOT).replace(" ", "");
    Map<String, URI> endpoints = new java.util.LinkedHashMap<>();
    config.get(ENDPOINT).ifPresent(v -> endpoints.put("arm", endpoint(ENDPOINT, v)));
    for (String service : SERVICES) {
      config.get(ENDPOINT + "." + service).ifPresent(v -> endpoints.put(service, endpoint(ENDPOINT + "." + service, v)));
    }
    int maxInstances;
    try {
      maxInstances = Integer.parseInt(config.get(MAX_INSTANCES).orElse("100").strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(MAX_INSTANCES + " must be a whole number, not '"
          + config.get(MAX_INSTANCES).orElse("") + "'", e);
    }
    return new AzureSettings(subscription.strip(), region, config.get(RESOURCE_GROUP).orElse("sebs-junit-" + region),
        config.get(TENANT).or(() -> Optional.ofNullable(environment.apply("AZURE_TENANT_ID")).filter(s -> !s.isBlank())),
        config.get(ACCESS_TOKEN), endpoints, maxInstances, config.duration(LOG_WAIT, Duration.ofMinutes(5)),
        config.duration(DEPLOY_TIMEOUT, Duration.ofMinutes(10)),
        config.duration(COLD_START_TIMEOUT, Duration.ofMinutes(2)),
        config.get(COSMOS_KEY).or(() -> Optional.ofNullable(environment.apply("AZURE_COSMOS_KEY"))
            .filter(s -> !s.isBlank())));
  }

  private static URI endpoint(String key, String value) {
    String v = value.strip();
    URI uri;
    try {
      uri = URI.create(v.endsWith("/") ? v.substring(0, v.length() - 1) : v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " is not a URL: '" + value + "'", e);
    }
    if (uri.getScheme() == null || uri.getHost() == null
        || !List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(key + " must be a base URL such as http://127.0.0.1:8080, not '" + value
          + "'");
    }
    return uri;
  }

  /** Resource Manager's base URL (no trailing slash). */
  public URI resourceManager() {
    return endpoints.getOrDefault("arm", AZURE_RESOURCE_MANAGER);
  }

  /** The overridden endpoint of a service ({@link #SERVICES}); empty = Azure's. */
  public Optional<URI> endpoint(String service) {
    if (!SERVICES.contains(service)) {
      throw new IllegalArgumentException("Unknown service " + service + "; known: " + SERVICES);
    }
    return Optional.ofNullable(endpoints.get(service));
  }

  /** The Log Analytics query API's base URL. */
  public URI logs() {
    return endpoint("logs").orElse(AZURE_LOGS);
  }

  /**
   * A short stable suffix for globally unique names (storage accounts, function app host names): the same for
   * every run of one subscription and resource group, different across them.
   */
  public String uniqueSuffix() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((subscription + "/" + resourceGroup.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The storage account for function apps, deployments and benchmark data: 3-24 lowercase letters and digits. */
  public String storageAccountName() {
    return "sebs" + uniqueSuffix();
  }

  /**
   * Flex Consumption's instance memory for a benchmark's memory size: the smallest of 512, 2048 and 4096 MB that
   * holds it (instances come in those sizes only, and are billed by them).
   */
  public static int instanceMemoryMb(int requestedMb) {
    for (int size : List.of(512, 2048, 4096)) {
      if (requestedMb <= size) {
        return size;
      }
    }
    throw new IllegalArgumentException(requestedMb + " MB is more than Flex Consumption's largest instance (4096 MB);"
        + " use memory sizes up to 4096 on azure");
  }
}
