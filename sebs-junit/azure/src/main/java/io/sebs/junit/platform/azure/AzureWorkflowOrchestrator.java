package io.sebs.junit.platform.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.FunctionRecord;
import io.sebs.junit.WorkflowRun;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.benchmark.WorkflowDefinition;
import io.sebs.junit.platform.ClientClock;
import io.sebs.junit.platform.DeployedFunction;
import io.sebs.junit.platform.DeployedWorkflow;
import io.sebs.junit.platform.FunctionContract;
import io.sebs.junit.platform.WorkflowClocks;
import io.sebs.junit.platform.WorkflowOrchestrator;
import io.sebs.junit.workflow.CriticalPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Workflows on Azure Durable Functions. Each workflow's functions are function apps of their own, deployed as for
 * single invocations (in workflow mode, {@code SEBS_WORKFLOW_FUNCTION}); {@link #deploy} adds an orchestrator app
 * beside them ({@link AzurePackage#workflow}: Node.js with durable-functions, one per workflow, its own task hub)
 * whose orchestration interprets the SeBS-Flow definition (as SeBS-Flow's own Azure orchestrator does, with
 * sebs-junit's engine's data flow), and whose
 * activity calls each function over HTTPS with its key (the apps' URLs and keys are the orchestrator app's
 * {@code SEBS_WORKFLOW_FUNCTIONS} setting). SeBS-Flow instead packs the functions into the orchestrator's app as
 * activities, so a run here has one HTTP hop more per function, and any language's functions can take part.
 *
 * <p>{@link #run} posts {@code {"payload", "request_id"}} to the app's HTTP starter, which starts the orchestration
 * with instance id = request id and answers when it ended (polling its status on Azure's side every 10 ms for
 * the first 2 s, then up to every 100 ms, so the client's time includes up to one interval of waiting), or terminates it after {@value #WAIT_SECONDS} s, below the
 * 230 s after which Azure's front end ends the request. The orchestration's output carries the function records
 * (as the wrappers answered them: Azure invocation ids, times on the functions' clocks, placed on the client's with
 * {@link WorkflowClocks}); a function's failure ends the run with the function, state and error line, as the local
 * engine reports it.
 */
final class AzureWorkflowOrchestrator implements WorkflowOrchestrator {

  /** The orchestrator app's HTTP starter. */
  static final String STARTER = "sebs_workflow";
  /** How long the starter waits for the orchestration (Azure's front end allows 230 s). */
  static final int WAIT_SECONDS = 220;
  /** The orchestrator app's instance memory: Flex Consumption's default size (it only waits and makes HTTP calls). */
  static final int MEMORY_MB = 2048;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AzurePlatform platform;
  private final Map<String, AzurePlatform.App> apps = new ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
      .version(HttpClient.Version.HTTP_1_1).build();

  AzureWorkflowOrchestrator(AzurePlatform platform) {
    this.platform = platform;
  }

  /** The orchestrator app's name: the workflow's, marked, within Azure's 60 characters. */
  static String appName(FunctionSpec spec, String suffix) {
    return AzurePlatform.appName(spec.functionName() + "-flow", suffix);
  }

  /** The app's own Durable task hub: letters and digits, a letter first, 3-45 characters. */
  static String hubName(String appName) {
    return "sebs" + AzurePlatform.sha256(appName).substring(0, 24);
  }

  @Override
  public DeployedWorkflow deploy(FunctionSpec spec, WorkflowDefinition definition,
      Map<String, DeployedFunction> functions) {
    ObjectNode urls = JSON.createObjectNode();
    for (Map.Entry<String, DeployedFunction> f : new TreeMap<>(functions).entrySet()) {
      AzurePlatform.App app = platform.app(f.getValue().name()).orElseThrow(() -> new IllegalStateException(
          "Workflow function " + f.getKey() + " (" + f.getValue().name() + ") is not deployed by this platform"));
      urls.putObject(f.getKey()).put("url", app.url.toString()).put("key", app.key);
    }
    byte[] definitionJson;
    try {
      definitionJson = Files.readAllBytes(spec.benchmark().workflowDefinition());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the workflow definition of " + spec.benchmark().id(), e);
    }
    String name = appName(spec, platform.settings().uniqueSuffix());
    AzurePackage zip = AzurePackage.workflow(platform.context().cacheDir(), definitionJson, hubName(name),
        AzurePlatform.FRONT_END_TIMEOUT_SECONDS);
    Map<String, String> settings = new java.util.LinkedHashMap<>();
    settings.put("SEBS_WORKFLOW_FUNCTIONS", urls.toString());
    settings.put("SEBS_WORKFLOW_WAIT_SECONDS", Integer.toString(WAIT_SECONDS));
    AzurePlatform.App app = platform.deployApp(new AzurePlatform.AppSpec(name, FlexRuntime.of(Language.NODEJS, ""),
        MEMORY_MB, zip, false, settings, spec.benchmark().id(), STARTER, AzurePlatform.FRONT_END_TIMEOUT_SECONDS));
    apps.put(name, app);
    return new DeployedWorkflow(name, app.url.toString(), spec, definition, functions);
  }

  @Override
  public WorkflowRun run(DeployedWorkflow workflow, JsonNode input) {
    AzurePlatform.App app = apps.get(workflow.name());
    if (app == null) {
      throw new IllegalStateException("Workflow " + workflow.name() + " is not deployed by this orchestrator");
    }
    String requestId = UUID.randomUUID().toString();
    ObjectNode body = JSON.createObjectNode();
    body.set("payload", input.deepCopy());
    body.put("request_id", requestId);
    HttpRequest request = HttpRequest.newBuilder(app.url).timeout(Duration.ofSeconds(AzurePlatform.FRONT_END_TIMEOUT_SECONDS + 30))
        .header("Content-Type", "application/json").header(AzurePlatform.KEY_HEADER, app.key)
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    ClientClock.Stopwatch watch = ClientClock.start();
    Outcome outcome;
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      outcome = outcome(response.statusCode(), response.body(), workflow.name());
    } catch (IOException e) {
      outcome = new Outcome(null, List.of(), "the request to the orchestrator app " + workflow.name() + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = new Outcome(null, List.of(), "interrupted while the workflow ran");
    }
    long clientMicros = watch.elapsedMicros();
    long begin = watch.beginEpochMicros();
    List<Entry> entries = outcome.entries();
    long ahead = entries.isEmpty() ? 0 : WorkflowClocks.functionClockAheadMicros(
        entries.stream().mapToLong(Entry::startMicros).min().orElseThrow(),
        entries.stream().mapToLong(Entry::endMicros).max().orElseThrow(), begin, begin + clientMicros);
    List<FunctionRecord> functions = entries.stream().map(e -> e.toRecord(ahead)).toList();
    return new WorkflowRun(requestId, outcome.failure(), outcome.failure() == null ? outcome.output() : null,
        Instant.EPOCH.plus(begin, ChronoUnit.MICROS), Duration.of(clientMicros, ChronoUnit.MICROS), functions,
        CriticalPath.ofRecords(functions, workflow.definition()));
  }

  /** One function execution as the orchestration's output carries it; times in epoch microseconds, its clock. */
  record Entry(String func, String state, String requestId, long startMicros, long endMicros, boolean isCold,
      String containerId, String error) {
    FunctionRecord toRecord(long aheadMicros) {
      return new FunctionRecord(func, state, requestId, instant(startMicros - aheadMicros),
          instant(Math.max(endMicros, startMicros) - aheadMicros), isCold, containerId, error);
    }
  }

  /** What a run gave: the workflow's output, the functions it ran, and why it failed (null when it did not). */
  record Outcome(JsonNode output, List<Entry> entries, String failure) {}

  /** Reads the starter's answer (see {@code sebs_workflow.js}). */
  static Outcome outcome(int status, String body, String workflow) {
    JsonNode answer;
    try {
      answer = JSON.readTree(body);
    } catch (IOException e) {
      answer = null;
    }
    if (answer == null || !answer.isObject() || !answer.has("instanceId")) {
      String reason = status == 401 ? "HTTP 401: the orchestrator app's key was refused"
          : status == 404 ? "HTTP 404: no starter at the orchestrator app's URL (is it deployed?)"
          : "HTTP " + status + ": " + abbreviate(body);
      return new Outcome(null, List.of(), "the orchestrator app " + workflow + " answered " + reason);
    }
    String instance = answer.path("instanceId").asText();
    String runtimeStatus = answer.path("runtimeStatus").asText();
    JsonNode output = answer.path("output");
    List<Entry> entries = entries(output.path("records"));
    if (status == 202) {
      return new Outcome(null, entries, "the Durable Functions orchestration " + instance + ": "
          + answer.path("error").asText("did not end in time"));
    }
    if (!"Completed".equals(runtimeStatus) || !output.isObject()) {
      return new Outcome(null, entries, "the Durable Functions orchestration " + instance + " ended "
          + runtimeStatus + (output.isMissingNode() || output.isNull() ? "" : ": " + abbreviate(
              output.isTextual() ? output.asText() : output.toString())));
    }
    if (output.hasNonNull("error")) {
      return new Outcome(null, entries, output.get("error").asText());
    }
    return new Outcome(output.has("output") ? output.get("output") : JSON.nullNode(), entries, null);
  }

  private static List<Entry> entries(JsonNode records) {
    List<Entry> entries = new ArrayList<>();
    for (JsonNode r : records) {
      if (!r.hasNonNull("begin") || !r.hasNonNull("end")) {
        continue; // a function that never answered the contract ran nothing measurable
      }
      entries.add(new Entry(r.path("func").asText(), r.path("state").asText(), r.path("request_id").asText(),
          FunctionContract.epochMicros(r.get("begin")), FunctionContract.epochMicros(r.get("end")),
          r.path("is_cold").asBoolean(false), r.path("container_id").asText(),
          r.hasNonNull("error") ? r.get("error").asText() : null));
    }
    return entries;
  }

  private static Instant instant(long epochMicros) {
    return Instant.EPOCH.plus(epochMicros, ChronoUnit.MICROS);
  }

  private static String abbreviate(String text) {
    String t = text == null ? "" : text.strip();
    return t.length() <= 300 ? t : t.substring(0, 300) + "...";
  }
}
