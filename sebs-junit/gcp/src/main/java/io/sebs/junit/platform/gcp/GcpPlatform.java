package io.sebs.junit.platform.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.functions.v2.BuildConfig;
import com.google.cloud.functions.v2.CreateFunctionRequest;
import com.google.cloud.functions.v2.Environment;
import com.google.cloud.functions.v2.Function;
import com.google.cloud.functions.v2.GenerateUploadUrlResponse;
import com.google.cloud.functions.v2.ServiceConfig;
import com.google.cloud.functions.v2.Source;
import com.google.cloud.functions.v2.StorageSource;
import com.google.cloud.functions.v2.UpdateFunctionRequest;
import com.google.protobuf.FieldMask;
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
import io.sebs.junit.storage.PlatformStorage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Google Cloud Functions (2nd gen, i.e. Cloud Run functions) through the Cloud Functions v2 API. Deploying
 * generates an upload URL, uploads the deterministic source zip ({@link GcpPackage}), creates or updates the
 * function and waits for the long-running operation; a function that exists with the same code (label {@value
 * #CODE_LABEL}) and configuration is reused. Each instance takes one request at a time (concurrency 1), as the
 * other platforms measure. Functions stay deployed after the run (labelled {@value #TAG} and with the run id) so
 * the next run reuses them; {@link GcpResources} lists and removes them.
 *
 * <p>Invocations go to the function's HTTPS trigger (the URI the API returns) with an ID token for that audience
 * (functions are never public unless {@code sebs.gcp.public=true}), and with the client's own {@code
 * X-Cloud-Trace-Context}, whose trace id is the request id known before the answer arrives; Cloud Run's request
 * log of that trace gives the provider time ({@link CloudRunRequestLogs}, in {@link #fetchMetrics}). A cold start
 * is enforced by changing an environment variable, which makes Cloud Run deploy a new revision whose instances
 * are all new; the wrapper's {@code is_cold} verifies it.
 *
 * <p>Workflows run on Google Workflows ({@link GcpWorkflowOrchestrator}, {@link GoogleWorkflowsTranscription}):
 * each workflow function is deployed here with {@code SEBS_WORKFLOW_FUNCTION}, the Datastore environment and
 * the run's records kind ({@code SEBS_WORKFLOW_RECORDS}).
 */
public final class GcpPlatform implements Platform {

  public static final String NAME = "gcp";
  /** Label on everything the platform creates. */
  public static final String TAG = "sebs-junit";
  static final String RUN_LABEL = "sebs-junit-run";
  static final String CODE_LABEL = "sebs-code";
  static final String COLD_START_VARIABLE = "SEBS_COLD_START";
  static final String TRACE_HEADER = "X-Cloud-Trace-Context";
  private static final Logger LOG = Logger.getLogger(GcpPlatform.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PlatformContext context;
  private final GcpSettings settings;
  private final GcpClients clients;
  private final Map<String, DeployedFunction> deployed = new ConcurrentHashMap<>();
  /** Deployments under way or done, by deployment key: one per key, others wait for it (without a map lock). */
  private final io.sebs.junit.platform.OncePerKey<DeployedFunction> deployments = new io.sebs.junit.platform.OncePerKey<>();
  private final Map<String, Function> functions = new ConcurrentHashMap<>();
  private final AtomicLong coldStarts = new AtomicLong();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
      .version(HttpClient.Version.HTTP_1_1).build();
  private CloudRunRequestLogs requestLogs;
  private GcpStorage storage;
  private GcpWorkflowOrchestrator orchestrator;

  GcpPlatform(PlatformContext context, GcpSettings settings, GcpClients clients) {
    this.context = context;
    this.settings = settings;
    this.clients = clients;
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Deploys once per deployment key; concurrent callers of the same key wait for that deployment, others go on
   * (a deployment takes seconds to minutes, so no lock is held across it).
   */
  @Override
  public DeployedFunction deploy(FunctionSpec spec, Map<String, String> environment) {
    return deployments.get(spec.deploymentKey(), () -> {
      DeployedFunction function = create(spec, environment);
      deployed.put(spec.deploymentKey(), function);
      return function;
    });
  }


  private DeployedFunction create(FunctionSpec spec, Map<String, String> extraEnvironment) {
    String runtime = GcpSettings.runtime(spec.language(), spec.languageVersion());
    CodePackage code = code(spec, runtime);
    String name = functionId(spec.functionName());
    GcpPackage zip = GcpPackage.build(context.cacheDir(), name, code, spec.language());
    Map<String, String> environment = new LinkedHashMap<>(extraEnvironment);
    if (usesStorage(spec)) {
      Map<String, String> storageEnvironment = storage().functionEnvironment();
      if (settings.endpoint("functions").isEmpty() && (storageEnvironment.containsKey("STORAGE_EMULATOR_HOST")
          || storageEnvironment.containsKey("DATASTORE_EMULATOR_HOST"))) {
        LOG.warning(() -> "Functions deploy to Google's Cloud Functions but storage is overridden ("
            + storageEnvironment + "): the functions will call that endpoint, which must be reachable from Google"
            + " Cloud (unset STORAGE_EMULATOR_HOST / DATASTORE_EMULATOR_HOST / -D" + GcpSettings.ENDPOINT
            + ".storage|datastore to use Cloud Storage and Datastore)");
      }
      environment.putAll(storageEnvironment);
    }
    if (extraEnvironment.containsKey("SEBS_WORKFLOW_FUNCTION")) {
      // a function of a Google Workflows workflow: it records each execution in the run's Datastore kind
      storage().noSqlStorage();
      environment.putAll(storage().functionEnvironment());
      environment.putAll(orchestrator().functionEnvironment());
    }
    environment.put("GOOGLE_CLOUD_PROJECT", clients.project());
    environment.put("SEBS_FUNCTION_NAME", name);
    Function wanted = function(spec, name, runtime, zip, environment);
    Optional<Function> existing = current(name);
    Function result;
    if (existing.isEmpty()) {
      LOG.info(() -> "Creating Cloud Function " + name + " (" + runtime + ", " + spec.memoryMb() + " MB)");
      Function withSource = withSource(wanted, upload(zip));
      result = await("create " + name, clients.functions().createFunctionAsync(CreateFunctionRequest.newBuilder()
          .setParent(clients.location()).setFunctionId(name).setFunction(withSource).build()));
    } else if (!sameDeployment(existing.get(), wanted)) {
      // a function whose last deployment failed may still serve an older revision: its code label is not proof
      boolean newCode = existing.get().getState() != Function.State.ACTIVE
          || !zip.sha256().substring(0, 63).equals(existing.get().getLabelsMap().get(CODE_LABEL));
      LOG.info(() -> "Updating Cloud Function " + name + (newCode ? " (new code)" : " (configuration)"));
      Function update = newCode ? withSource(wanted, upload(zip))
          : wanted.toBuilder().setBuildConfig(existing.get().getBuildConfig().toBuilder()
              .setRuntime(wanted.getBuildConfig().getRuntime())
              .setEntryPoint(wanted.getBuildConfig().getEntryPoint())).build();
      result = await("update " + name, clients.functions().updateFunctionAsync(UpdateFunctionRequest.newBuilder()
          .setFunction(update).build()));
    } else {
      result = existing.get();
    }
    if (result.getServiceConfig().getUri().isEmpty()) {
      throw new IllegalStateException("Cloud Function " + name + " is " + result.getState() + " without a URL: "
          + result.getStateMessagesList());
    }
    if (settings.allowUnauthenticated()) {
      allowUnauthenticated(result.getServiceConfig().getService());
    }
    functions.put(name, result);
    return new DeployedFunction(name, spec, code.codeHash());
  }

  /** The wrapper and benchmark code with the storage modules' dependencies (and, for Java, the wrapper's). */
  private CodePackage code(FunctionSpec spec, String runtime) {
    Language language = spec.language();
    Map<String, byte[]> wrapper = new java.util.TreeMap<>(context.wrappers().files(NAME, language));
    wrapper.keySet().removeIf(path -> !io.sebs.junit.storage.StorageModules.shipsWrapperFile(path, spec));
    CodePackage code = CodePackage.assemble(wrapper, spec.benchmark().codeDirectory(language))
        .forRuntime(language, GcpSettings.sebsVersion(runtime), "x86_64")
        .withDependencies(language, GcpStorageModules.dependencies(language, spec.benchmark().config().modules()));
    if (language == Language.JAVA) {
      code = code.withDependencies(language, javaJackson(usesStorage(spec)))
          .withProvidedJavaDependencies(Map.of(GcpPackage.FUNCTIONS_FRAMEWORK_API,
              GcpPackage.FUNCTIONS_FRAMEWORK_VERSION));
    }
    return code;
  }

  /**
   * The wrapper's Jackson, and with Google's storage clients (which bring an older Jackson of their own) the rest
   * of Jackson at the same version: Maven's nearest-wins would otherwise mix versions, and jackson-databind fails
   * to load with an older jackson-annotations.
   */
  static Map<String, String> javaJackson(boolean withGoogleClients) {
    String version = io.sebs.junit.storage.StorageModules.JACKSON_VERSION;
    Map<String, String> jackson = new LinkedHashMap<>();
    jackson.put(io.sebs.junit.storage.StorageModules.JACKSON_DATABIND, version);
    if (withGoogleClients) {
      jackson.put("com.fasterxml.jackson.core:jackson-core", version);
      // since 2.20 jackson-annotations is versioned by major.minor only
      jackson.put("com.fasterxml.jackson.core:jackson-annotations", version.replaceAll("^(\\d+\\.\\d+).*", "$1"));
      jackson.put("com.fasterxml.jackson.dataformat:jackson-dataformat-xml", version);
      jackson.put("com.fasterxml.jackson.datatype:jackson-datatype-jsr310", version);
    }
    return jackson;
  }

  private static boolean usesStorage(FunctionSpec spec) {
    return io.sebs.junit.storage.StorageModules.usesObjectStorage(spec)
        || io.sebs.junit.storage.StorageModules.usesNoSql(spec);
  }

  /**
   * Cloud Functions ids: lowercase letters, digits and hyphens, starting with a letter; at most 62 characters
   * (the API allows 63, Firebase's tools 62: the shorter limit is safe for both).
   */
  static String functionId(String name) {
    String id = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("-+", "-");
    if (id.length() > 62) {
      String hash = GcpPackage.sha256(id.getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 8);
      id = id.substring(0, 53) + "-" + hash;
    }
    return id.replaceAll("-$", "");
  }

  /**
   * Cloud Run's rules for CPU and memory, checked before deploying so that a bad combination fails at once naming
   * the limit (Google would refuse it only after the upload): fractional CPUs allow at most 512 MiB below 0.5 vCPU
   * and 1 GiB below 1 vCPU, more than 1 vCPU must be a whole number, and each CPU count has its memory range.
   */
  static void checkCpuAndMemory(String cpu, int memoryMb) {
    double vcpu = Double.parseDouble(cpu);
    String fix = " (-D" + GcpSettings.CPU + ", or leave it unset for Google's default for the memory size)";
    if (vcpu > 1 && vcpu != Math.rint(vcpu)) {
      throw new IllegalArgumentException("Cloud Run functions take more than 1 vCPU only in whole numbers, not " + cpu
          + fix);
    }
    if (memoryMb > 512 && vcpu < 0.5) {
      throw new IllegalArgumentException(memoryMb + " MB needs at least 0.5 vCPU on Cloud Run, not " + cpu + fix);
    }
    if (memoryMb > 1024 && vcpu < 1) {
      throw new IllegalArgumentException(memoryMb + " MB needs at least 1 vCPU on Cloud Run, not " + cpu + fix);
    }
    int minimum = vcpu >= 6 ? 4096 : vcpu >= 4 ? 2048 : 0;
    int maximum = vcpu >= 8 ? 32768 : vcpu >= 6 ? 24576 : vcpu >= 4 ? 16384 : vcpu >= 2 ? 8192 : vcpu >= 1 ? 4096
        : vcpu >= 0.5 ? 1024 : 512;
    if (memoryMb < minimum || memoryMb > maximum) {
      throw new IllegalArgumentException(cpu + " vCPU on Cloud Run allows " + minimum + " to " + maximum + " MB of"
          + " memory, not " + memoryMb + " MB" + fix);
    }
  }

  private Function function(FunctionSpec spec, String name, String runtime, GcpPackage zip,
      Map<String, String> environment) {
    String cpu = settings.cpu().orElse(GcpSettings.defaultCpu(spec.memoryMb()));
    checkCpuAndMemory(cpu, spec.memoryMb());
    Map<String, String> env = new LinkedHashMap<>(environment);
    env.put(COLD_START_VARIABLE, "0");
    return Function.newBuilder()
        .setName(clients.location() + "/functions/" + name)
        .setEnvironment(Environment.GEN_2)
        .putLabels(TAG, "true").putLabels(RUN_LABEL, context.runId())
        .putLabels(CODE_LABEL, zip.sha256().substring(0, 63))
        .setBuildConfig(BuildConfig.newBuilder().setRuntime(runtime).setEntryPoint(entryPoint(spec.language())))
        .setServiceConfig(ServiceConfig.newBuilder()
            .setAvailableMemory(spec.memoryMb() + "Mi")
            .setAvailableCpu(cpu)
            .setTimeoutSeconds(spec.timeoutSeconds())
            .setMaxInstanceCount(settings.maxInstances())
            .setMaxInstanceRequestConcurrency(1)
            .setAllTrafficOnLatestRevision(true)
            .putAllEnvironmentVariables(env))
        .build();
  }

  /** The runtime's entry point: the wrappers' {@code handler}, or the Java wrapper's class. */
  static String entryPoint(Language language) {
    return language == Language.JAVA ? "sebs.wrapper.GcpHandler" : "handler";
  }

  private static Function withSource(Function function, StorageSource source) {
    return function.toBuilder().setBuildConfig(function.getBuildConfig().toBuilder()
        .setSource(Source.newBuilder().setStorageSource(source))).build();
  }

  /**
   * Whether the existing function already is what would be deployed: active, with the same code, runtime,
   * resources and the variables sebs-junit sets (Google adds its own, such as {@code LOG_EXECUTION_ID}, which do
   * not count). Variables that name the run's storage (its bucket and tables) differ from run to run, so a
   * function using storage is updated, with a new revision, by every run.
   */
  static boolean sameDeployment(Function existing, Function wanted) {
    ServiceConfig a = existing.getServiceConfig();
    ServiceConfig b = wanted.getServiceConfig();
    Map<String, String> env = new LinkedHashMap<>();
    b.getEnvironmentVariablesMap().keySet().forEach(k -> {
      if (a.getEnvironmentVariablesMap().containsKey(k)) {
        env.put(k, a.getEnvironmentVariablesMap().get(k));
      }
    });
    env.put(COLD_START_VARIABLE, "0"); // an earlier run's enforced cold start does not make it different
    return existing.getState() == Function.State.ACTIVE
        && existing.getLabelsMap().getOrDefault(CODE_LABEL, "").equals(wanted.getLabelsMap().get(CODE_LABEL))
        && existing.getBuildConfig().getRuntime().equals(wanted.getBuildConfig().getRuntime())
        && existing.getBuildConfig().getEntryPoint().equals(wanted.getBuildConfig().getEntryPoint())
        && a.getAvailableMemory().equals(b.getAvailableMemory()) && a.getAvailableCpu().equals(b.getAvailableCpu())
        && a.getTimeoutSeconds() == b.getTimeoutSeconds() && a.getMaxInstanceCount() == b.getMaxInstanceCount()
        && a.getMaxInstanceRequestConcurrency() == 1 && env.equals(b.getEnvironmentVariablesMap());
  }

  /**
   * Lets anyone invoke the function ({@code sebs.gcp.public=true}, as SeBS deploys them): adds {@code allUsers}
   * as {@code roles/run.invoker} to the IAM policy of the function's Cloud Run service (read, amended, written
   * back with its etag, so other bindings stay). Organisations that forbid public services refuse it, and the
   * message says so.
   */
  private void allowUnauthenticated(String service) {
    String base = clients.baseUrl("run", GcpClients.RUN_HOST) + "/v2/" + service;
    com.fasterxml.jackson.databind.node.ObjectNode policy = (com.fasterxml.jackson.databind.node.ObjectNode)
        clients.rest().get(URI.create(base + ":getIamPolicy"));
    for (JsonNode binding : policy.path("bindings")) {
      if (binding.path("role").asText().equals("roles/run.invoker")
          && binding.path("members").toString().contains("\"allUsers\"")) {
        return;
      }
    }
    policy.withArray("bindings").addObject().put("role", "roles/run.invoker").putArray("members").add("allUsers");
    com.fasterxml.jackson.databind.node.ObjectNode request = JSON.createObjectNode();
    request.set("policy", policy);
    try {
      clients.rest().post(URI.create(base + ":setIamPolicy"), request);
    } catch (RuntimeException e) {
      throw new IllegalStateException("Cannot make " + service + " public (-D" + GcpSettings.PUBLIC + "=true): "
          + e.getMessage() + ". An organisation policy may forbid allUsers (iam.allowedPolicyMemberDomains); leave "
          + GcpSettings.PUBLIC + " unset to invoke with ID tokens", e);
    }
  }

  /** Generates an upload URL and PUTs the zip to it; the storage source to deploy from. */
  private StorageSource upload(GcpPackage zip) {
    GenerateUploadUrlResponse url = clients.functions().generateUploadUrl(
        com.google.cloud.functions.v2.GenerateUploadUrlRequest.newBuilder().setParent(clients.location())
            .setEnvironment(Environment.GEN_2).build());
    clients.rest().uploadZip(URI.create(url.getUploadUrl()), zip.zip());
    return url.getStorageSource();
  }

  private Function await(String what, com.google.api.gax.longrunning.OperationFuture<Function, ?> operation) {
    try {
      return operation.get(settings.deployTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Cloud Functions did not finish the " + what + " within "
          + settings.deployTimeout().toSeconds() + " s (-D" + GcpSettings.DEPLOY_TIMEOUT + "); operation "
          + operationName(operation), e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Cloud Functions could not " + what + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted waiting for the " + what, e);
    }
  }

  private static String operationName(com.google.api.gax.longrunning.OperationFuture<?, ?> operation) {
    try {
      return operation.getName();
    } catch (InterruptedException | ExecutionException e) {
      return "(unknown)";
    }
  }

  private Optional<Function> current(String name) {
    try {
      return Optional.of(clients.functions().getFunction(clients.location() + "/functions/" + name));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public InvocationResult invoke(DeployedFunction function, JsonNode payload) {
    String trace = HexFormat.of().formatHex(randomBytes(16));
    Function deployedFunction = functions.get(function.name());
    URI uri = URI.create(deployedFunction.getServiceConfig().getUri());
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(payload);
    } catch (IOException e) {
      throw new IllegalArgumentException("The payload cannot be written as JSON", e);
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(function.spec().timeoutSeconds() + 60L))
        .header("Content-Type", "application/json")
        .header(TRACE_HEADER, trace + "/" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()) + ";o=1")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (!settings.allowUnauthenticated()) {
      try {
        request.header("Authorization", clients.credentials().idTokenAuthorization(uri.toString()));
      } catch (RuntimeException e) {
        return InvocationResult.failedBeforeAnswer(trace, ClientClock.nowEpochMicros(), 0,
            "no ID token for " + uri + ": " + e.getMessage());
      }
    }
    HttpRequest built = request.build();
    ClientClock.Stopwatch clock = ClientClock.start();
    long clientBegin = clock.beginEpochMicros();
    HttpResponse<String> response;
    try {
      response = http.send(built, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      return InvocationResult.failedBeforeAnswer(trace, clientBegin, clock.elapsedMicros(),
          "no answer within the function's timeout plus 60 s: " + e.getMessage());
    } catch (IOException e) {
      return InvocationResult.failedBeforeAnswer(trace, clientBegin, clock.elapsedMicros(),
          "the request failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return InvocationResult.failedBeforeAnswer(trace, clientBegin, clock.elapsedMicros(), "interrupted");
    }
    long clientMicros = clock.elapsedMicros();
    return answer(response.statusCode(), response.body(), trace, clientBegin, clientMicros);
  }

  /** The function contract's answer, or a failure saying what came instead (Cloud Run's 429, 500, 504...). */
  static InvocationResult answer(int status, String body, String trace, long clientBegin, long clientMicros) {
    return FunctionContract.readHttp(status, body, trace, clientBegin, clientMicros, (code, page) ->
        code == 429 ? "throttled: no instance available (HTTP 429, max instances or quota)"
            : code == 504 ? "timed out: the function did not answer within its timeout (HTTP 504)"
            : "HTTP " + code + ": " + FunctionContract.abbreviate(page));
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }

  /** Cloud Run's request latencies from Cloud Logging (see {@link CloudRunRequestLogs}). */
  @Override
  public List<Invocation> fetchMetrics(DeployedFunction function, List<Invocation> invocations) {
    synchronized (this) {
      if (requestLogs == null) {
        requestLogs = new CloudRunRequestLogs(clients.rest(), clients.baseUrl("logging", GcpClients.LOGGING_HOST),
            clients.project(), settings.logWait(), Duration.ofSeconds(5));
      }
    }
    return requestLogs.fill(function.name(), invocations);
  }

  /**
   * Changes an environment variable, so Cloud Run deploys a new revision and serves the next requests from new
   * instances; waits until the update is done.
   */
  @Override
  public void enforceColdStart(DeployedFunction function) {
    Function current = functions.get(function.name());
    ServiceConfig config = current.getServiceConfig().toBuilder()
        .putEnvironmentVariables(COLD_START_VARIABLE, context.runId() + "-" + coldStarts.incrementAndGet()).build();
    Function update = Function.newBuilder().setName(current.getName()).setServiceConfig(config).build();
    Function updated = await("update " + function.name() + " for a cold start",
        clients.functions().updateFunctionAsync(UpdateFunctionRequest.newBuilder().setFunction(update)
            .setUpdateMask(FieldMask.newBuilder().addPaths("service_config.environment_variables")).build()));
    functions.put(function.name(), updated);
  }

  /** Google Workflows ({@link GcpWorkflowOrchestrator}): SeBS-Flow workflows transcribed and run there. */
  @Override
  public Optional<io.sebs.junit.platform.WorkflowOrchestrator> workflowOrchestrator() {
    return Optional.of(orchestrator());
  }

  private synchronized GcpWorkflowOrchestrator orchestrator() {
    if (orchestrator == null) {
      orchestrator = new GcpWorkflowOrchestrator(clients, context.runId(),
          new GcpWorkflowOrchestrator.Records(() -> storage().noSqlStorage(), context.runId()),
          this::functionUrl, context.config().duration(GcpWorkflowOrchestrator.WORKFLOW_TIMEOUT, Duration.ofMinutes(15)),
          Math.min(GoogleWorkflowsTranscription.GOOGLE_MAX_CONCURRENCY, context.config().workflowConcurrency()),
          context.config().get(GcpWorkflowOrchestrator.SERVICE_ACCOUNT).orElse(null));
    }
    return orchestrator;
  }

  /** A deployed function's HTTPS URL (its trigger), by its name on the platform. */
  private String functionUrl(String name) {
    Function f = functions.get(name);
    if (f == null) {
      throw new IllegalStateException("Function " + name + " is not deployed by this platform");
    }
    return f.getServiceConfig().getUri();
  }

  /** Cloud Storage and Firestore in Datastore mode (see {@link GcpStorage}), connected on first use. */
  @Override
  public synchronized GcpStorage storage() {
    if (storage == null) {
      storage = new GcpStorage(context.runId(), clients.project(), clients.credentials().google(),
          settings.endpoint("storage").orElse(null), settings.endpoint("datastore").orElse(null),
          context.config().get(GcpStorage.DATASTORE_DATABASE).orElse(null), settings.region());
    }
    return storage;
  }

  /** Closes the clients; deployed functions stay for reuse (remove them with {@link GcpResources}). */
  @Override
  public void close() {
    if (!deployed.isEmpty()) {
      LOG.info(() -> "Cloud Functions left deployed for reuse (remove with GcpResources): "
          + deployed.values().stream().map(DeployedFunction::name).toList());
    }
    synchronized (this) {
      if (storage != null) {
        storage.close();
      }
    }
    clients.close();
  }

  PlatformStorage storageIfStarted() {
    return storage;
  }
}
