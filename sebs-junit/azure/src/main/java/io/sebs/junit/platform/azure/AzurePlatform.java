package io.sebs.junit.platform.azure;

import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.appservice.fluent.models.AppServicePlanInner;
import com.azure.resourcemanager.appservice.fluent.models.FunctionEnvelopeInner;
import com.azure.resourcemanager.appservice.fluent.models.SiteConfigInner;
import com.azure.resourcemanager.appservice.fluent.models.SiteInner;
import com.azure.resourcemanager.appservice.fluent.models.StringDictionaryInner;
import com.azure.resourcemanager.appservice.models.AuthenticationType;
import com.azure.resourcemanager.appservice.models.FunctionAppConfig;
import com.azure.resourcemanager.appservice.models.FunctionsDeployment;
import com.azure.resourcemanager.appservice.models.FunctionsDeploymentStorage;
import com.azure.resourcemanager.appservice.models.FunctionsDeploymentStorageAuthentication;
import com.azure.resourcemanager.appservice.models.FunctionsDeploymentStorageType;
import com.azure.resourcemanager.appservice.models.FunctionsRuntime;
import com.azure.resourcemanager.appservice.models.FunctionsScaleAndConcurrency;
import com.azure.resourcemanager.appservice.models.FunctionsScaleAndConcurrencyTriggers;
import com.azure.resourcemanager.appservice.models.FunctionsScaleAndConcurrencyTriggersHttp;
import com.azure.resourcemanager.appservice.models.HostType;
import com.azure.resourcemanager.appservice.models.HostnameSslState;
import com.azure.resourcemanager.appservice.models.NameValuePair;
import com.azure.resourcemanager.appservice.models.RuntimeName;
import com.azure.resourcemanager.appservice.models.SkuDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.Invocation;
import io.sebs.junit.benchmark.CodePackage;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.platform.ClientClock;
import io.sebs.junit.platform.DeployedFunction;
import io.sebs.junit.platform.FunctionContract;
import io.sebs.junit.platform.InvocationResult;
import io.sebs.junit.platform.Platform;
import io.sebs.junit.platform.PlatformContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Azure Functions on the Flex Consumption plan, through Azure Resource Manager. Each benchmark x language x memory
 * size is a function app of its own (Flex Consumption scales and bills per app and takes one instance memory size
 * per app) on its own FC1 plan, in one resource group with a shared storage account and Application Insights
 * ({@link AzureSharedResources}). Deploying creates or updates the plan and the site (runtime, instance memory,
 * maximum instances, one request per instance, app settings), then uploads the deterministic zip ({@link
 * AzurePackage}) to the app's deployment endpoint (OneDeploy, {@code /api/publish} on its SCM host) and waits for
 * the deployment and for the function to be listed; an app that already runs the same code and settings (tag
 * {@value #CODE_TAG}) is reused. Apps stay deployed after the run, tagged with the run id; {@link AzureResources}
 * lists and removes them.
 *
 * <p>Invocations go to the function's URL as Resource Manager returns it, with the function's key ({@code
 * x-functions-key}: the trigger is never anonymous). The wrapper answers with Azure's invocation id, by which
 * {@link #fetchMetrics} finds the request telemetry ({@code FunctionExecutionTimeMs}) in Application Insights. A
 * cold start is enforced by changing an app setting ({@value #COLD_START_SETTING}), which restarts the app;
 * instances started before the change may still be serving for a while, so the next invocation names the new
 * value ({@value #COLD_START_HEADER}) and an older instance's wrapper refuses it without running the benchmark
 * (409); it is sent again until a new instance takes it, bounded by {@code sebs.azure.coldStartTimeout} and
 * failing with the count of refusals when none does. The wrapper's {@code is_cold} then verifies the cold start
 * (where SeBS sleeps and hopes).
 */
public final class AzurePlatform implements Platform {

  public static final String NAME = "azure";
  /** Tag on everything the platform creates. */
  public static final String TAG = "sebs-junit";
  static final String RUN_TAG = "sebs-junit-run";
  static final String CODE_TAG = "sebs-code";
  static final String COLD_START_SETTING = "SEBS_COLD_START";
  static final String FUNCTION = "handler";
  /** The Cosmos DB database of every run's tables (tables are named by run). */
  static final String DATABASE = "sebs-junit";
  static final String KEY_HEADER = "x-functions-key";
  /** Names the cold-start setting's new value; the wrappers of older instances refuse such a request. */
  static final String COLD_START_HEADER = "x-sebs-cold-start";
  /** Overrides the host id the Functions host derives from the app name's first 32 characters. */
  static final String HOST_ID_SETTING = "AzureFunctionsWebHost__hostid";
  /** Azure's front end ends an HTTP-triggered invocation after 230 s, whatever functionTimeout says. */
  static final int FRONT_END_TIMEOUT_SECONDS = 230;
  /** Microsoft.Web's API version, the one azure-resourcemanager-appservice speaks. */
  static final String WEB_API_VERSION = "2025-03-01";
  static final String DEPLOYMENT_STORAGE_SETTING = "DEPLOYMENT_STORAGE_CONNECTION_STRING";
  private static final Logger LOG = Logger.getLogger(AzurePlatform.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PlatformContext context;
  private final AzureSettings settings;
  private final AzureClients clients;
  private final AzureSharedResources shared;
  private final io.sebs.junit.platform.OncePerKey<DeployedFunction> deployments = new io.sebs.junit.platform.OncePerKey<>();
  private final Map<String, App> apps = new ConcurrentHashMap<>();
  private final AtomicLong coldStarts = new AtomicLong();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
      .version(HttpClient.Version.HTTP_1_1).build();
  private AzureStorage storage;
  private ApplicationInsightsRequests requests;
  private AzureWorkflowOrchestrator orchestrator;

  /** A deployed function app: where to call it, and an enforced cold start not yet seen. */
  static final class App {
    final String name;
    final URI url;
    final String key;
    final int timeoutSeconds;
    /** The cold-start setting's new value while an enforced cold start has not reached a new instance. */
    volatile String coldStartPending;

    App(String name, URI url, String key, int timeoutSeconds) {
      this.name = name;
      this.url = url;
      this.key = key;
      this.timeoutSeconds = timeoutSeconds;
    }
  }

  AzurePlatform(PlatformContext context, AzureSettings settings, AzureClients clients) {
    this.context = context;
    this.settings = settings;
    this.clients = clients;
    this.shared = new AzureSharedResources(clients);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Deploys once per deployment key; concurrent callers of the same key wait for that deployment. */
  @Override
  public DeployedFunction deploy(FunctionSpec spec, Map<String, String> environment) {
    return deployments.get(spec.deploymentKey(), () -> create(spec, environment));
  }


  private DeployedFunction create(FunctionSpec spec, Map<String, String> extraEnvironment) {
    FlexRuntime runtime = FlexRuntime.of(spec.language(), spec.languageVersion());
    CodePackage code = code(spec, runtime);
    AzurePackage zip = AzurePackage.build(context.cacheDir(), code, spec.language(), spec.timeoutSeconds());
    Map<String, String> appSettings = new LinkedHashMap<>(extraEnvironment);
    if (io.sebs.junit.storage.StorageModules.usesObjectStorage(spec)) {
      storage().objectStorage();
    }
    if (io.sebs.junit.storage.StorageModules.usesNoSql(spec)) {
      storage().noSqlStorage();
    }
    if (usesStorage(spec)) {
      appSettings.putAll(storage().functionEnvironment());
    }
    deployApp(new AppSpec(appName(spec.functionName(), settings.uniqueSuffix()), runtime,
        AzureSettings.instanceMemoryMb(spec.memoryMb()), zip, spec.language() == Language.PYTHON, appSettings,
        spec.benchmark().id(), FUNCTION, spec.timeoutSeconds()));
    return new DeployedFunction(appName(spec.functionName(), settings.uniqueSuffix()), spec, code.codeHash());
  }

  /**
   * One function app to deploy: its name, runtime, instance memory, package (built with Python's remote build
   * or not), app settings beyond the platform's own, the benchmark it belongs to (a tag), the HTTP function that
   * is called and its timeout.
   */
  record AppSpec(String name, FlexRuntime runtime, int memoryMb, AzurePackage zip, boolean remoteBuild,
      Map<String, String> settings, String benchmarkId, String function, int timeoutSeconds) {}

  /**
   * Creates or updates (or reuses, when its code and settings are unchanged) one function app and returns where
   * to call its function; the platform's own settings (storage, Application Insights, host id, cold-start marker)
   * come beneath the app's.
   */
  App deployApp(AppSpec spec) {
    String name = spec.name();
    FlexRuntime runtime = spec.runtime();
    int memory = spec.memoryMb();
    AzurePackage zip = spec.zip();
    String rg = settings.resourceGroup();
    shared.ensure();

    Map<String, String> appSettings = new LinkedHashMap<>();
    appSettings.put("AzureWebJobsStorage", shared.storageConnectionString());
    appSettings.put(DEPLOYMENT_STORAGE_SETTING, shared.storageConnectionString());
    appSettings.put("APPLICATIONINSIGHTS_CONNECTION_STRING", shared.insightsConnectionString());
    appSettings.putAll(spec.settings());
    appSettings.put("SEBS_FUNCTION_NAME", name);
    // apps sharing a storage account must not share a host id, which the Functions host otherwise takes from the
    // first 32 characters of the name (apps of one benchmark and language differ only after them): it shuts down
    appSettings.put(HOST_ID_SETTING, hostId(name));
    appSettings.put(COLD_START_SETTING, "0");

    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(TAG, "true");
    tags.put(RUN_TAG, context.runId());
    tags.put("sebs-benchmark", spec.benchmarkId());
    String codeTag = zip.sha256().substring(0, 64);
    if (spec.timeoutSeconds() > FRONT_END_TIMEOUT_SECONDS) {
      LOG.warning(() -> name + ": a timeout of " + spec.timeoutSeconds() + " s is longer than the " + FRONT_END_TIMEOUT_SECONDS
          + " s after which Azure's front end ends an HTTP-triggered invocation; longer invocations fail there");
    }

    Optional<SiteInner> existing = site(name);
    boolean reuse = existing.isPresent() && sameDeployment(existing.get(), codeTag, runtime, memory,
        settings.maxInstances()) && sameSettings(name, appSettings);
    if (reuse) {
      tag(existing.get().id(), Map.of(RUN_TAG, context.runId())); // the clean-up of this run finds it
    } else {
      String container = deploymentContainer(name);
      shared.ensureContainer(container);
      String planId = AzureSharedResources.step("create the Flex Consumption plan of " + name,
          () -> clients.appService().serviceClient().getAppServicePlans().createOrUpdate(rg, name,
              new AppServicePlanInner().withLocation(settings.region()).withKind("functionapp").withReserved(true)
                  .withSku(new SkuDescription().withName("FC1").withTier("FlexConsumption")).withTags(tags))).id();
      LOG.info(() -> (existing.isPresent() ? "Updating" : "Creating") + " function app " + name + " ("
          + runtime + ", " + memory + " MB instances)");
      SiteInner wanted = new SiteInner().withLocation(settings.region()).withKind("functionapp,linux").withTags(tags)
          .withServerFarmId(planId).withHttpsOnly(true)
          .withSiteConfig(new SiteConfigInner().withAppSettings(appSettings.entrySet().stream()
              .map(e -> new NameValuePair().withName(e.getKey()).withValue(e.getValue())).toList()))
          .withFunctionAppConfig(functionAppConfig(shared.blobEndpoint() + "/" + container, runtime, memory,
              settings.maxInstances()));
      SiteInner site = AzureSharedResources.step("create or update function app " + name,
          () -> clients.appService().serviceClient().getWebApps().createOrUpdate(rg, name, wanted));
      new OneDeploy(clients.arm(), settings.deployTimeout()).publish(scmHost(site), zip.zip(), spec.remoteBuild());
      // the code tag only once the code is deployed: a failed deployment is never taken for a reusable one
      tag(site.id(), Map.of(CODE_TAG, codeTag));
    }
    FunctionEnvelopeInner function = awaitFunction(name, spec.function());
    String key = functionKey(name, spec.function());
    App app = new App(name, URI.create(function.invokeUrlTemplate()), key, spec.timeoutSeconds());
    apps.put(name, app);
    return app;
  }

  /** A function app this platform deployed in this run, by name. */
  Optional<App> app(String name) {
    return Optional.ofNullable(apps.get(name));
  }

  PlatformContext context() {
    return context;
  }

  AzureSettings settings() {
    return settings;
  }

  /** Merges tags into a resource's (Resource Manager's tags API: the resource itself is not written). */
  private void tag(String resourceId, Map<String, String> tags) {
    // the scope without its leading slash: the request path is {endpoint}/{scope}/providers/...
    AzureSharedResources.step("tag " + resourceId, () -> clients.resources().serviceClient().getTagOperations()
        .updateAtScope(resourceId.replaceFirst("^/+", ""), new com.azure.resourcemanager.resources.models.TagsPatchResource()
            .withOperation(com.azure.resourcemanager.resources.models.TagsPatchOperation.MERGE)
            .withProperties(new com.azure.resourcemanager.resources.models.Tags().withTags(tags))));
  }

  /**
   * The function's default key. Read over the pipeline rather than with the SDK's {@code listFunctionKeys}: the
   * service answers a flat {@code {"default": "<key>"}} where the API specification (and so the SDK) expects a
   * StringDictionary with {@code properties}, and the SDK's result comes back empty.
   */
  private String functionKey(String name, String function) {
    // listkeys goes to the app's host, which may still be starting after a deployment: retried within the
    // deployment timeout
    long deadline = System.nanoTime() + settings.deployTimeout().toNanos();
    long pause = 500;
    while (true) {
      try {
        return functionKeyOnce(name, function);
      } catch (IllegalStateException e) {
        if (System.nanoTime() + pause * 1_000_000L > deadline) {
          throw e;
        }
        LOG.fine(() -> "Function keys of " + name + " not yet readable (" + e.getMessage() + "); retrying");
      }
      sleep(pause);
      pause = Math.min(pause * 2, 5000);
    }
  }

  private String functionKeyOnce(String name, String function) {
    String url = settings.resourceManager() + "/subscriptions/" + settings.subscription() + "/resourceGroups/"
        + settings.resourceGroup() + "/providers/Microsoft.Web/sites/" + name + "/functions/" + function
        + "/listkeys?api-version=" + WEB_API_VERSION;
    try (com.azure.core.http.HttpResponse response = clients.arm().sendSync(
        new com.azure.core.http.HttpRequest(com.azure.core.http.HttpMethod.POST, url), com.azure.core.util.Context.NONE)) {
      String body = response.getBodyAsBinaryData() == null ? "" : response.getBodyAsBinaryData().toString();
      if (response.getStatusCode() != 200) {
        throw new IllegalStateException("Cannot list the keys of " + name + "/" + function + ": HTTP "
            + response.getStatusCode() + " " + abbreviate(body));
      }
      JsonNode keys = JSON.readTree(body);
      JsonNode key = keys.path("properties").isObject() ? keys.path("properties").path("default") : keys.path("default");
      if (!key.isTextual() || key.asText().isEmpty()) {
        throw new IllegalStateException("Function " + name + "/" + function + " has no default key: " + abbreviate(body));
      }
      return key.asText();
    } catch (IOException e) {
      throw new IllegalStateException("The keys of " + name + "/" + function + " are not JSON", e);
    }
  }

  static FunctionAppConfig functionAppConfig(String deploymentContainerUrl, FlexRuntime runtime,
      int memoryMb, int maxInstances) {
    return new FunctionAppConfig()
        .withDeployment(new FunctionsDeployment().withStorage(new FunctionsDeploymentStorage()
            .withType(FunctionsDeploymentStorageType.BLOB_CONTAINER).withValue(deploymentContainerUrl)
            .withAuthentication(new FunctionsDeploymentStorageAuthentication()
                .withType(AuthenticationType.STORAGE_ACCOUNT_CONNECTION_STRING)
                .withStorageAccountConnectionStringName(DEPLOYMENT_STORAGE_SETTING))))
        .withRuntime(new FunctionsRuntime().withName(RuntimeName.fromString(runtime.name()))
            .withVersion(runtime.version()))
        .withScaleAndConcurrency(new FunctionsScaleAndConcurrency().withInstanceMemoryMB(memoryMb)
            .withMaximumInstanceCount(maxInstances)
            .withTriggers(new FunctionsScaleAndConcurrencyTriggers()
                .withHttp(new FunctionsScaleAndConcurrencyTriggersHttp().withPerInstanceConcurrency(1))));
  }

  /** Whether the existing app runs this code, runtime and scale settings already (app settings checked apart). */
  static boolean sameDeployment(SiteInner existing, String codeTag, FlexRuntime runtime, int memoryMb,
      int maxInstances) {
    FunctionAppConfig config = existing.functionAppConfig();
    if (config == null || config.runtime() == null || config.scaleAndConcurrency() == null
        || existing.tags() == null) {
      return false;
    }
    FunctionsScaleAndConcurrency scale = config.scaleAndConcurrency();
    return codeTag.equals(existing.tags().get(CODE_TAG)) && "Running".equalsIgnoreCase(existing.state())
        && runtime.name().equalsIgnoreCase(String.valueOf(config.runtime().name()))
        && runtime.version().equals(config.runtime().version())
        && Integer.valueOf(memoryMb).equals(scale.instanceMemoryMB())
        && Integer.valueOf(maxInstances).equals(scale.maximumInstanceCount())
        && scale.triggers() != null && scale.triggers().http() != null
        && Integer.valueOf(1).equals(scale.triggers().http().perInstanceConcurrency());
  }

  /** Whether the app's settings are the wanted ones (an earlier enforced cold start's marker does not count). */
  private boolean sameSettings(String name, Map<String, String> wanted) {
    Map<String, String> current = new LinkedHashMap<>(appSettings(name));
    current.put(COLD_START_SETTING, "0");
    return current.equals(wanted);
  }

  private Map<String, String> appSettings(String name) {
    StringDictionaryInner settingsNow = AzureSharedResources.step("read the app settings of " + name,
        () -> clients.appService().serviceClient().getWebApps().listApplicationSettings(settings.resourceGroup(),
            name));
    return settingsNow.properties() == null ? Map.of() : settingsNow.properties();
  }

  private Optional<SiteInner> site(String name) {
    try {
      return Optional.ofNullable(clients.appService().serviceClient().getWebApps()
          .getByResourceGroup(settings.resourceGroup(), name));
    } catch (ManagementException e) {
      if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
        return Optional.empty();
      }
      throw new IllegalStateException("Cannot read function app " + name + ": " + e.getMessage(), e);
    }
  }

  /** The SCM (deployment) host Resource Manager lists for the site. */
  static String scmHost(SiteInner site) {
    if (site.hostnameSslStates() != null) {
      for (HostnameSslState state : site.hostnameSslStates()) {
        if (state.hostType() == HostType.REPOSITORY && state.name() != null) {
          return state.name();
        }
      }
    }
    throw new IllegalStateException("Function app " + site.name() + " lists no SCM host (hostNameSslStates of type"
        + " Repository): cannot deploy to it");
  }

  /** Waits (bounded) until the deployed app lists its HTTP function: the host has synced its triggers. */
  private FunctionEnvelopeInner awaitFunction(String name, String wanted) {
    long deadline = System.nanoTime() + settings.deployTimeout().toNanos();
    long pause = 500;
    while (true) {
      List<FunctionEnvelopeInner> functions = new ArrayList<>();
      AzureSharedResources.step("list the functions of " + name, () -> {
        clients.appService().serviceClient().getWebApps().listFunctions(settings.resourceGroup(), name)
            .forEach(functions::add);
        return functions;
      });
      for (FunctionEnvelopeInner f : functions) {
        String shortName = f.name().substring(f.name().lastIndexOf('/') + 1);
        if (shortName.equals(wanted) && f.invokeUrlTemplate() != null) {
          return f;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Function app " + name + " did not list function '" + wanted + "' within "
            + settings.deployTimeout().toSeconds() + " s of its deployment (-D" + AzureSettings.DEPLOY_TIMEOUT
            + "); it lists " + functions.stream().map(FunctionEnvelopeInner::name).toList()
            + ". The deployment log on its SCM site (/api/deployments/latest) says why");
      }
      sleep(pause);
      pause = Math.min(pause * 2, 5000);
    }
  }

  /** The wrapper and benchmark code with the storage modules' dependencies. */
  private CodePackage code(FunctionSpec spec, FlexRuntime runtime) {
    Language language = spec.language();
    Map<String, byte[]> wrapper = new java.util.TreeMap<>(context.wrappers().files(NAME, language));
    wrapper.keySet().removeIf(path -> !io.sebs.junit.storage.StorageModules.shipsWrapperFile(path, spec));
    return AzurePackage.code(wrapper, spec.benchmark().codeDirectory(language), runtime,
        AzureStorageModules.dependencies(language, spec.benchmark().config().modules()));
  }

  private static boolean usesStorage(FunctionSpec spec) {
    return io.sebs.junit.storage.StorageModules.usesObjectStorage(spec)
        || io.sebs.junit.storage.StorageModules.usesNoSql(spec);
  }

  /**
   * Function app names are host names ({@code <name>.azurewebsites.net}), unique across Azure: letters, digits
   * and hyphens, at most 60 characters; the subscription's suffix keeps them apart from other users'. (The
   * Functions host's id, which it would take from the first 32, is set apart: {@link #hostId}.)
   */
  static String appName(String functionName, String suffix) {
    String base = functionName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("-+", "-")
        .replaceAll("^-|-$", "");
    String tail = "-" + suffix.substring(0, 6);
    if (base.length() + tail.length() > 60) {
      String hash = sha256(base).substring(0, 6);
      base = base.substring(0, 60 - tail.length() - 7) + "-" + hash;
    }
    return base + tail;
  }

  /** A host id unique per app: at most 32 lowercase letters, digits and hyphens, not ending in a hyphen. */
  static String hostId(String appName) {
    return "sebs-" + sha256(appName).substring(0, 27);
  }

  /** The app's deployment container: a name valid for Blob storage (3-63 characters) and unique per app. */
  static String deploymentContainer(String appName) {
    return "app-package-" + sha256(appName).substring(0, 40);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public InvocationResult invoke(DeployedFunction function, JsonNode payload) {
    App app = apps.get(function.name());
    if (app == null) {
      throw new IllegalStateException("Function app " + function.name() + " is not deployed by this platform");
    }
    String expected = app.coldStartPending;
    if (expected == null) {
      return invokeOnce(app, payload, null);
    }
    // an enforced cold start: instances started before the app-settings change may still be serving; they refuse
    // a request that names the new value (409, without running the benchmark), and it is sent again
    long deadline = System.nanoTime() + settings.coldStartTimeout().toNanos();
    int stale = 0;
    while (true) {
      InvocationResult result = invokeOnce(app, payload, expected);
      if (!STALE.equals(result.failureReason().orElse(""))) {
        app.coldStartPending = null;
        if (stale > 0) {
          int n = stale;
          LOG.info(() -> app.name + ": " + n + " request(s) reached instances started before the enforced cold start"
              + " and were refused unrun; a new instance took the next");
        }
        return result;
      }
      stale++;
      if (System.nanoTime() > deadline) {
        app.coldStartPending = null;
        return result.withFailure("enforced cold start not observed: for " + settings.coldStartTimeout().toSeconds()
            + " s (-D" + AzureSettings.COLD_START_TIMEOUT + ") only instances started before the app-settings change"
            + " answered (" + stale + " refused requests)");
      }
      sleep(500);
    }
  }

  /** The failure reason of an answer from an instance that predates an enforced cold start (see the wrappers). */
  static final String STALE = "stale instance: started before the enforced cold start";

  private InvocationResult invokeOnce(App app, JsonNode payload, String expectedColdStart) {
    String clientId = HexFormat.of().formatHex(randomBytes(16));
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(payload);
    } catch (IOException e) {
      throw new IllegalArgumentException("The payload cannot be written as JSON", e);
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(app.url)
        .timeout(Duration.ofMinutes(11))
        .header("Content-Type", "application/json")
        .header(KEY_HEADER, app.key)
        .header("traceparent", "00-" + clientId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (expectedColdStart != null) {
      request.header(COLD_START_HEADER, expectedColdStart);
    }
    ClientClock.Stopwatch clock = ClientClock.start();
    long clientBegin = clock.beginEpochMicros();
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      return InvocationResult.failedBeforeAnswer(clientId, clientBegin, clock.elapsedMicros(),
          "no answer within 11 minutes: " + e.getMessage());
    } catch (IOException e) {
      return InvocationResult.failedBeforeAnswer(clientId, clientBegin, clock.elapsedMicros(),
          "the request failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return InvocationResult.failedBeforeAnswer(clientId, clientBegin, clock.elapsedMicros(), "interrupted");
    }
    long clientMicros = clock.elapsedMicros();
    return answer(response.statusCode(), response.body(), clientId, clientBegin, clientMicros, app.timeoutSeconds);
  }

  /** The function contract's answer, or a failure saying what came instead (429 throttled, 401 key...). */
  static InvocationResult answer(int status, String body, String clientId, long clientBegin, long clientMicros,
      int timeoutSeconds) {
    return FunctionContract.readHttp(status, body, clientId, clientBegin, clientMicros, (code, page) -> {
      // the Functions host answers an invocation past host.json's functionTimeout with a bare 500
      boolean timedOut = code == 500 && timeoutSeconds > 0 && clientMicros >= timeoutSeconds * 1_000_000L;
      boolean frontEnd = (code == 502 || code == 504) && clientMicros >= FRONT_END_TIMEOUT_SECONDS * 1_000_000L;
      return FunctionContract.isStaleRefusal(code, page) ? STALE
          : timedOut ? "timed out: no answer within the function's timeout of " + timeoutSeconds
              + " s (host.json functionTimeout; HTTP 500 from the Functions host)"
          : frontEnd ? "timed out at Azure's front end, which ends HTTP-triggered invocations after "
              + FRONT_END_TIMEOUT_SECONDS + " s (HTTP " + code + ")"
          : code == 429 ? "throttled: no instance available (HTTP 429, maximum instances)"
          : code == 401 ? "HTTP 401: the function key was refused"
          : code == 404 ? "HTTP 404: no function at the URL (is the app deployed and its triggers synced?)"
          : code == 503 ? "HTTP 503: the app is unavailable (restarting, or its host failed to start): "
              + abbreviate(page)
          : "HTTP " + code + ": " + abbreviate(page);
    });
  }

  private static String abbreviate(String text) {
    return FunctionContract.abbreviate(text);
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }

  /** Function execution times from Application Insights' request telemetry ({@link ApplicationInsightsRequests}). */
  @Override
  public List<Invocation> fetchMetrics(DeployedFunction function, List<Invocation> invocations) {
    synchronized (this) {
      if (requests == null) {
        requests = new ApplicationInsightsRequests(clients.logs(), shared::workspaceId, settings.logWait(),
            Duration.ofSeconds(5));
      }
    }
    return requests.fill(function.name(), invocations);
  }

  /**
   * Changes an app setting ({@value #COLD_START_SETTING}), which restarts the app so that new instances serve
   * the next requests; {@link #invoke} then checks that a new instance answers.
   */
  @Override
  public void enforceColdStart(DeployedFunction function) {
    App app = apps.get(function.name());
    if (app == null) {
      throw new IllegalStateException("Function app " + function.name() + " is not deployed by this platform");
    }
    Map<String, String> current = new LinkedHashMap<>(appSettings(app.name));
    String token = context.runId() + "-" + coldStarts.incrementAndGet();
    current.put(COLD_START_SETTING, token);
    AzureSharedResources.step("change the app settings of " + app.name + " for a cold start",
        () -> clients.appService().serviceClient().getWebApps().updateApplicationSettings(settings.resourceGroup(),
            app.name, new StringDictionaryInner().withProperties(current)));
    app.coldStartPending = token;
  }

  /**
   * Durable Functions ({@link AzureWorkflowOrchestrator}): an orchestrator app per workflow interprets the SeBS-Flow
   * definition and calls the workflow's function apps.
   */
  @Override
  public synchronized Optional<io.sebs.junit.platform.WorkflowOrchestrator> workflowOrchestrator() {
    if (orchestrator == null) {
      orchestrator = new AzureWorkflowOrchestrator(this);
    }
    return Optional.of(orchestrator);
  }

  /** Blob storage and Cosmos DB ({@link AzureStorage}), connected on first use. */
  @Override
  public synchronized AzureStorage storage() {
    if (storage == null) {
      storage = new AzureStorage(context.runId(), shared::storageConnectionString, shared::cosmosAccount, DATABASE);
    }
    return storage;
  }

  /** Deployed apps stay for reuse (remove them with {@link AzureResources}). */
  @Override
  public void close() {
    if (!apps.isEmpty()) {
      LOG.info(() -> "Function apps left deployed for reuse (remove with AzureResources): " + apps.keySet());
    }
    synchronized (this) {
      if (storage != null) {
        storage.close();
      }
    }
    clients.close();
  }
}
