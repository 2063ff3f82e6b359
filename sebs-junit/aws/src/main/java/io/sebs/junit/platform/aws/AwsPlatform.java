package io.sebs.junit.platform.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.benchmark.CodePackage;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.platform.ClientClock;
import io.sebs.junit.platform.DeployedFunction;
import io.sebs.junit.platform.FunctionContract;
import io.sebs.junit.platform.InvocationResult;
import io.sebs.junit.platform.Platform;
import io.sebs.junit.platform.PlatformContext;
import io.sebs.junit.storage.PlatformStorage;
import io.sebs.junit.storage.StorageModules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Architecture;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

/**
 * AWS Lambda through the AWS SDK v2. A deployment is reused when the function exists with the same code
 * (Lambda's CodeSha256 of the deterministic zip) and configuration, and updated otherwise; functions stay
 * deployed after the run (tagged {@value #TAG} and with the run id) so the next run reuses them, and
 * {@link AwsResources} lists and removes them. A cold start is enforced the way SeBS does it, by changing
 * the function's configuration (an environment variable), which retires its execution environments.
 * Benchmarks using the modules {@code storage}/{@code nosql} get S3 and DynamoDB through {@link AwsStorage}
 * and the shared function-side modules; {@code redis} is not offered on aws.
 *
 * <p>Packages over the direct-upload limit go through the account's deployment bucket ({@link CodeBucket});
 * CreateFunction is retried while IAM propagates a new role ({@link RolePropagation}). With
 * {@code sebs.aws.trigger=url} invocations go through the function's IAM-authenticated Function URL
 * ({@link FunctionUrlTrigger}) and {@link #fetchMetrics} downloads the REPORT lines from CloudWatch Logs
 * ({@link LambdaLogReports}).
 *
 * <p>Workflows (SeBS-Flow) run on AWS Step Functions ({@link AwsWorkflowOrchestrator}): each function of a
 * workflow is deployed as its own Lambda function, which records its executions in the run's {@link
 * WorkflowRecords} table, and the definition becomes a state machine ({@link StepFunctionsTranscription}).
 */
public final class AwsPlatform implements Platform {

  public static final String NAME = "aws";
  /** Tag on everything the platform creates. */
  public static final String TAG = "sebs-junit";
  static final String RUN_TAG = "sebs-junit-run";
  static final String COLD_START_VARIABLE = "SEBS_COLD_START";
  private static final Logger LOG = Logger.getLogger(AwsPlatform.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PlatformContext context;
  private final AwsSettings settings;
  private final AwsClients clients;
  private final Map<String, DeployedFunction> deployed = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> environments = new ConcurrentHashMap<>();
  private final AtomicLong coldStarts = new AtomicLong();
  private volatile String roleArn;
  private WorkflowRecords workflowRecords;
  private AwsWorkflowOrchestrator orchestrator;
  private AwsStorage storage;
  private long directUploadLimit = LambdaPackage.DIRECT_UPLOAD_LIMIT;
  private RolePropagation rolePropagation = RolePropagation.DEFAULT;
  private CodeBucket codeBucket;
  private FunctionUrlTrigger urlTrigger;
  private software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient logs;

  AwsPlatform(PlatformContext context, AwsSettings settings, AwsClients clients) {
    this.context = context;
    this.settings = settings;
    this.clients = clients;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public DeployedFunction deploy(FunctionSpec spec, Map<String, String> environment) {
    return deployed.computeIfAbsent(spec.deploymentKey(), key -> create(spec, environment));
  }

  private DeployedFunction create(FunctionSpec spec, Map<String, String> extraEnvironment) {
    String runtime = AwsSettings.runtime(spec.language(), spec.languageVersion());
    CodePackage code = LambdaJavaRuntime.complete(CodePackage.assemble(wrapperFiles(spec),
            spec.benchmark().codeDirectory(spec.language()))
        .forRuntime(spec.language(), AwsSettings.sebsVersion(runtime), settings.architecture())
        .withDependencies(spec.language(), StorageModules.dependencies(spec)), spec);
    String name = spec.functionName();
    LambdaPackage zip = LambdaPackage.build(context.cacheDir(), name, code, spec.language(), runtime, settings);
    Map<String, String> environment = new LinkedHashMap<>(extraEnvironment);
    if (extraEnvironment.containsKey("SEBS_WORKFLOW_FUNCTION")) {
      environment.putAll(workflowRecords().functionEnvironment()); // where the wrapper records executions
    }
    environment.put("SEBS_FUNCTION_NAME", name);
    environment.put(COLD_START_VARIABLE, "0");
    LambdaClient lambda = clients.lambda();
    Optional<FunctionConfiguration> existing = current(name);
    Optional<CodeBucket.Location> inS3 = zip.size() <= directUploadLimit ? Optional.empty()
        : Optional.of(codeBucket(existing.map(FunctionConfiguration::functionArn).orElseGet(this::role))
            .upload(name, code.codeHash(), settings.architecture(), zip));
    if (existing.isEmpty()) {
      createFunction(spec, name, runtime, zip, inS3, environment);
    } else {
      if (!zip.sha256().equals(existing.get().codeSha256())) {
        LOG.info(() -> "Updating the code of " + name);
        lambda.updateFunctionCode(r -> inS3.ifPresentOrElse(l -> r.functionName(name).s3Bucket(l.bucket()).s3Key(l.key()),
            () -> r.functionName(name).zipFile(SdkBytes.fromByteArray(zip.bytes()))));
        lambda.waiter().waitUntilFunctionUpdatedV2(r -> r.functionName(name));
      }
      updateConfiguration(spec, name, runtime, environment);
    }
    environments.put(name, environment);
    return new DeployedFunction(name, spec, code.codeHash());
  }

  /**
   * The Lambda wrapper, plus the function-side storage and NoSQL modules (shared with the HTTP wrapper,
   * whose copies fall back to the SDK's defaults on Lambda) when the benchmark uses them.
   */
  private Map<String, byte[]> wrapperFiles(FunctionSpec spec) {
    Map<String, byte[]> files = new java.util.TreeMap<>(context.wrappers().files(NAME, spec.language()));
    java.util.List<String> modules = new java.util.ArrayList<>();
    if (StorageModules.usesObjectStorage(spec)) {
      modules.add("storage");
    }
    if (StorageModules.usesNoSql(spec)) {
      modules.add("nosql");
    }
    if (!modules.isEmpty()) {
      context.wrappers().files(io.sebs.junit.benchmark.WrapperSource.HTTP, spec.language()).forEach((path, bytes) -> {
        String file = path.substring(path.lastIndexOf('/') + 1);
        // storage.py, storage.js, and Java's sebs/storage/Storage.java
        String stem = (file.contains(".") ? file.substring(0, file.indexOf('.')) : file).toLowerCase(Locale.ROOT);
        if (path.startsWith("function/") && modules.contains(stem)) {
          files.putIfAbsent(path, bytes);
        }
      });
    }
    return files;
  }

  private Optional<FunctionConfiguration> current(String name) {
    try {
      return Optional.of(clients.lambda().getFunction(r -> r.functionName(name)).configuration());
    } catch (ResourceNotFoundException e) {
      return Optional.empty();
    }
  }

  private void createFunction(FunctionSpec spec, String name, String runtime, LambdaPackage zip,
      Optional<CodeBucket.Location> inS3, Map<String, String> environment) {
    String role = role();
    LOG.info(() -> "Creating Lambda function " + name + " (" + runtime + ", " + spec.memoryMb() + " MB)");
    // a role created or changed moments ago may not yet be assumable by Lambda (IAM is eventually consistent)
    rolePropagation.retry(role, name, () -> clients.lambda().createFunction(r -> r.functionName(name)
        .runtime(runtime).role(role).handler(LambdaJavaRuntime.handler(spec.language()))
        .code(c -> inS3.ifPresentOrElse(l -> c.s3Bucket(l.bucket()).s3Key(l.key()),
            () -> c.zipFile(SdkBytes.fromByteArray(zip.bytes()))))
        .memorySize(spec.memoryMb()).timeout(spec.timeoutSeconds())
        .architectures(Architecture.fromValue(settings.architecture()))
        .environment(e -> e.variables(environment))
        .tags(Map.of(TAG, "true", RUN_TAG, context.runId()))));
    clients.lambda().waiter().waitUntilFunctionActiveV2(r -> r.functionName(name));
  }

  private void updateConfiguration(FunctionSpec spec, String name, String runtime, Map<String, String> environment) {
    clients.lambda().updateFunctionConfiguration(r -> r.functionName(name).runtime(runtime)
        .handler(LambdaJavaRuntime.handler(spec.language())).memorySize(spec.memoryMb())
        .timeout(spec.timeoutSeconds()).environment(e -> e.variables(environment)));
    clients.lambda().waiter().waitUntilFunctionUpdatedV2(r -> r.functionName(name));
  }

  private synchronized String role() {
    if (roleArn == null) {
      roleArn = settings.roleArn().orElseGet(() -> ExecutionRole.ensure(clients.iam(), settings.roleName()));
    }
    return roleArn;
  }

  /** The deployment bucket of the account that owns {@code arn} (a role's or a function's). */
  private synchronized CodeBucket codeBucket(String arn) {
    if (codeBucket == null) {
      codeBucket = new CodeBucket(clients.region(), CodeBucket.accountOf(arn));
    }
    return codeBucket;
  }

  /** Packages larger than this go through S3 (tests lower it to force the path with a small package). */
  void directUploadLimit(long bytes) {
    directUploadLimit = bytes;
  }

  /** How CreateFunction waits for a new role (tests shorten it). */
  synchronized void rolePropagation(RolePropagation propagation) {
    rolePropagation = propagation;
    if (orchestrator != null) {
      orchestrator.rolePropagation(propagation);
    }
  }

  @Override
  public InvocationResult invoke(DeployedFunction function, JsonNode payload) {
    String clientId = UUID.randomUUID().toString();
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(payload);
    } catch (IOException e) {
      throw new IllegalArgumentException("The payload cannot be written as JSON", e);
    }
    if (settings.trigger() == AwsSettings.Trigger.URL) {
      return urlTrigger().invoke(function.name(), body);
    }
    ClientClock.Stopwatch clock = ClientClock.start();
    long clientBegin = clock.beginEpochMicros();
    InvokeResponse response;
    try {
      response = clients.lambda().invoke(r -> r.functionName(function.name()).logType(LogType.TAIL)
          .payload(SdkBytes.fromByteArray(body)));
    } catch (TooManyRequestsException e) {
      return InvocationResult.failedBeforeAnswer(clientId, clientBegin, clock.elapsedMicros(),
          "throttled by the platform (concurrency or request rate limit): " + e.getMessage());
    } catch (RuntimeException e) {
      return InvocationResult.failedBeforeAnswer(clientId, clientBegin, clock.elapsedMicros(),
          "invoke failed: " + e.getMessage());
    }
    long clientMicros = clock.elapsedMicros();
    Optional<LambdaReport> report = report(response);
    String answer = response.payload() == null ? "" : response.payload().asUtf8String();
    InvocationResult result;
    if (response.functionError() != null) {
      result = InvocationResult.failedBeforeAnswer(clientId, clientBegin, clientMicros,
          "function error (" + response.functionError() + "): " + answer);
    } else {
      try {
        result = FunctionContract.read(JSON.readTree(answer), clientId, clientBegin, clientMicros);
      } catch (IOException | RuntimeException e) {
        result = InvocationResult.failedBeforeAnswer(clientId, clientBegin, clientMicros,
            "the function's answer is not the function contract's JSON: " + e.getMessage());
      }
    }
    if (report.isPresent()) {
      result = result.withProviderMicros(Math.round(report.get().durationMs() * 1000))
          .withMemoryUsedMb(report.get().maxMemoryUsedMb());
      if (report.get().initMs().isPresent()) {
        result = result.withInitMicros(Math.round(report.get().initMs().getAsDouble() * 1000));
      }
    }
    return result;
  }

  private static Optional<LambdaReport> report(InvokeResponse response) {
    if (response.logResult() == null) {
      return Optional.empty();
    }
    return LambdaReport.parse(new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8));
  }

  private synchronized FunctionUrlTrigger urlTrigger() {
    if (urlTrigger == null) {
      urlTrigger = new FunctionUrlTrigger(clients.lambda(), clients.region());
    }
    return urlTrigger;
  }

  /** REPORT lines from CloudWatch Logs for the invocations that had no log tail (the URL trigger's). */
  @Override
  public java.util.List<io.sebs.junit.Invocation> fetchMetrics(DeployedFunction function,
      java.util.List<io.sebs.junit.Invocation> invocations) {
    synchronized (this) {
      if (logs == null) {
        logs = AwsClients.logs(clients.region());
      }
    }
    return new LambdaLogReports(logs, settings.logWait(), Duration.ofSeconds(2)).fill(function.name(), invocations);
  }

  /** Changes an environment variable, so Lambda starts new execution environments for the next requests. */
  @Override
  public void enforceColdStart(DeployedFunction function) {
    Map<String, String> environment = new LinkedHashMap<>(environments.getOrDefault(function.name(), Map.of()));
    environment.put(COLD_START_VARIABLE, context.runId() + "-" + coldStarts.incrementAndGet());
    clients.lambda().updateFunctionConfiguration(r -> r.functionName(function.name())
        .environment(e -> e.variables(environment)));
    clients.lambda().waiter().waitUntilFunctionUpdatedV2(r -> r.functionName(function.name()));
    environments.put(function.name(), environment);
  }

  /** The run's table of workflow function records, its client created on first use. */
  private synchronized WorkflowRecords workflowRecords() {
    if (workflowRecords == null) {
      workflowRecords = new WorkflowRecords(clients.region(), context.runId());
    }
    return workflowRecords;
  }

  /** AWS Step Functions ({@link AwsWorkflowOrchestrator}), with the type {@code sebs.aws.workflowType}. */
  @Override
  public synchronized Optional<io.sebs.junit.platform.WorkflowOrchestrator> workflowOrchestrator() {
    if (orchestrator == null) {
      orchestrator = new AwsWorkflowOrchestrator(settings, clients, context.runId(), workflowRecords());
      orchestrator.rolePropagation(rolePropagation);
    }
    return Optional.of(orchestrator);
  }

  /** S3 and DynamoDB in the platform's region (see {@link AwsStorage}), connected on first use. */
  @Override
  public synchronized PlatformStorage storage() {
    if (storage == null) {
      storage = new AwsStorage(clients.region(), context.runId());
    }
    return storage;
  }

  /**
   * Closes the clients and deletes the run's workflow records table; deployed functions and state machines
   * stay for reuse (remove them with {@link AwsResources}).
   */
  @Override
  public void close() {
    if (!deployed.isEmpty()) {
      LOG.info(() -> "Lambda functions left deployed for reuse (remove with AwsResources): "
          + deployed.values().stream().map(DeployedFunction::name).toList());
    }
    synchronized (this) {
      if (storage != null) {
        storage.close();
      }
      for (AutoCloseable c : new AutoCloseable[] {codeBucket, urlTrigger, logs, orchestrator, workflowRecords}) {
        if (c != null) {
          try {
            c.close();
          } catch (Exception e) {
            LOG.fine(() -> "Closing " + c + ": " + e);
          }
        }
      }
    }
    clients.close();
  }
}
