package io.sebs.junit.platform.gcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.workflows.v1.CreateWorkflowRequest;
import com.google.cloud.workflows.v1.UpdateWorkflowRequest;
import com.google.cloud.workflows.v1.Workflow;
import com.google.protobuf.FieldMask;
import io.sebs.junit.FunctionRecord;
import io.sebs.junit.WorkflowRun;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.WorkflowDefinition;
import io.sebs.junit.platform.ClientClock;
import io.sebs.junit.platform.DeployedFunction;
import io.sebs.junit.platform.DeployedWorkflow;
import io.sebs.junit.platform.WorkflowOrchestrator;
import io.sebs.junit.workflow.CriticalPath;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Workflows on Google Workflows. {@link #deploy} transcribes the definition ({@link
 * GoogleWorkflowsTranscription}) over the functions' HTTPS URLs and creates the workflow {@code <workflow
 * function id>} in the platform's region (labelled {@value GcpPlatform#TAG} and with the run id), or updates it
 * when its source changed, or reuses it as it is, waiting for the operation with the platform's fast polling.
 * Workflows stay deployed for the next run, as the functions do; {@link GcpResources} lists and removes them.
 * The workflow runs as its service account ({@code sebs.gcp.workflowServiceAccount}, else Google's default, the
 * project's Compute Engine account), which needs {@code roles/run.invoker} on the functions.
 *
 * <p>{@link #run} creates one execution on {@code {"payload": input, "request_id": <new id>}} with the
 * Executions REST API (v1) and polls it until it is SUCCEEDED, FAILED or CANCELLED, every {@value
 * #FIRST_POLL_MILLIS} ms at first and 1.5 times as long each time up to {@value #MAX_POLL_MILLIS} ms, bounded
 * by {@code sebs.gcp.workflowTimeout} (then the execution is cancelled). The client's time is from the create
 * call to the poll that saw the end, so it includes up to one poll interval of waiting. The run's functions
 * come from the records the wrappers write to Datastore ({@link Records}); their times, taken on the functions'
 * clocks, are placed on the client's clock with the smallest shift that puts them all inside the client's
 * window, as on aws, and the critical path is {@link CriticalPath#ofRecords}. A failed execution's failure
 * names the function and state whose error ended it, with the function's error line, as the local engine
 * does; an error of Google Workflows itself is given as it reported it.
 */
final class GcpWorkflowOrchestrator implements WorkflowOrchestrator, AutoCloseable {

  static final long FIRST_POLL_MILLIS = 200;
  static final long MAX_POLL_MILLIS = 2000;
  /** A run's bound, when {@code sebs.gcp.workflowTimeout} is not set. */
  static final String WORKFLOW_TIMEOUT = "sebs.gcp.workflowTimeout";
  static final String SERVICE_ACCOUNT = "sebs.gcp.workflowServiceAccount";
  private static final Logger LOG = Logger.getLogger(GcpWorkflowOrchestrator.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final GcpClients clients;
  private final String runId;
  private final Records records;
  private final Function<String, String> functionUrls;
  private final Duration timeout;
  private final Integer concurrencyLimit;
  private final String serviceAccount;

  /**
   * @param functionUrls a deployed function's HTTPS URL by its name on the platform
   * @param concurrencyLimit how many map elements run at once (null: Google's default)
   */
  GcpWorkflowOrchestrator(GcpClients clients, String runId, Records records, Function<String, String> functionUrls,
      Duration timeout, Integer concurrencyLimit, String serviceAccount) {
    this.clients = clients;
    this.runId = runId;
    this.records = records;
    this.functionUrls = functionUrls;
    this.timeout = timeout;
    this.concurrencyLimit = concurrencyLimit;
    this.serviceAccount = serviceAccount;
  }

  /**
   * Where the workflow functions record their executions: one Datastore kind per run, {@code sebs-<run
   * id>-workflow-records}, each record keyed {@code workflow/<run's request id> > <kind>/<execution's request
   * id>}, so one ancestor query (strongly consistent) reads a run's records once its execution has ended (the
   * wrapper writes its record before it answers).
   */
  static final class Records {
    private final java.util.function.Supplier<DatastoreNoSqlStorage> datastore;
    private final String kind;

    Records(java.util.function.Supplier<DatastoreNoSqlStorage> datastore, String runId) {
      this.datastore = datastore;
      this.kind = "sebs-" + runId + "-workflow-records";
    }

    String kind() {
      return kind;
    }

    /** One execution as the wrapper recorded it, times in epoch microseconds on the function's clock. */
    record Entry(String func, String state, String requestId, long startMicros, long endMicros, boolean isCold,
        String containerId, String error) {
      FunctionRecord toRecord(long aheadMicros) {
        return new FunctionRecord(func, state, requestId, instant(startMicros - aheadMicros),
            instant(Math.max(endMicros, startMicros) - aheadMicros), isCold, containerId, error);
      }
    }

    List<Entry> read(String workflowRequestId) {
      DatastoreNoSqlStorage storage = datastore.get();
      storage.createTable(kind, "workflow", "request_id");
      List<Entry> entries = new ArrayList<>();
      for (Map<String, Object> item : storage.query(kind, "workflow", workflowRequestId)) {
        entries.add(new Entry(text(item, "func"), text(item, "state"), text(item, "request_id"),
            number(item, "start"), number(item, "end"), Boolean.TRUE.equals(item.get("is_cold")),
            text(item, "container_id"), text(item, "error")));
      }
      return entries;
    }

    private static String text(Map<String, Object> item, String name) {
      Object value = item.get(name);
      return value == null ? null : value.toString();
    }

    private static long number(Map<String, Object> item, String name) {
      Object value = item.get(name);
      if (value instanceof Number n) {
        return n.longValue();
      }
      return value == null ? 0 : new java.math.BigDecimal(value.toString()).longValue();
    }
  }

  /** What a workflow function needs beyond storage: the kind of its records. */
  Map<String, String> functionEnvironment() {
    return Map.of("SEBS_WORKFLOW_RECORDS", records.kind());
  }

  /** Google's workflow id: letters, digits, hyphens and underscores, a letter first, at most 64. */
  static String workflowId(FunctionSpec spec) {
    String id = GcpPlatform.functionId(spec.functionName());
    return id.length() <= 64 ? id : id.substring(0, 64).replaceAll("-$", "");
  }

  @Override
  public DeployedWorkflow deploy(FunctionSpec spec, WorkflowDefinition definition,
      Map<String, DeployedFunction> functions) {
    Map<String, String> urls = new TreeMap<>();
    functions.forEach((funcName, f) -> urls.put(funcName, functionUrls.apply(f.name())));
    int httpTimeout = functions.values().stream().mapToInt(f -> f.spec().timeoutSeconds()).max().orElse(60) + 60;
    String source = GoogleWorkflowsTranscription.toSource(definition, urls, concurrencyLimit, httpTimeout);
    String id = workflowId(spec);
    String name = clients.location() + "/workflows/" + id;
    Workflow.Builder wanted = Workflow.newBuilder().setName(name).setSourceContents(source)
        .setDescription("sebs-junit: SeBS-Flow workflow " + spec.benchmark().id())
        .putLabels(GcpPlatform.TAG, "true").putLabels(GcpPlatform.RUN_LABEL, label(runId));
    if (serviceAccount != null && !serviceAccount.isBlank()) {
      wanted.setServiceAccount(serviceAccount);
    }
    Optional<Workflow> existing;
    try {
      existing = Optional.of(clients.workflows().getWorkflow(name));
    } catch (NotFoundException e) {
      existing = Optional.empty();
    }
    if (existing.isEmpty()) {
      LOG.info(() -> "Creating the Google workflow " + id);
      await("create " + id, clients.workflows().createWorkflowAsync(CreateWorkflowRequest.newBuilder()
          .setParent(clients.location()).setWorkflowId(id).setWorkflow(wanted.build()).build()));
    } else if (!existing.get().getSourceContents().equals(source)
        || (serviceAccount != null && !serviceAccount.isBlank()
            && !existing.get().getServiceAccount().endsWith(serviceAccount))) {
      LOG.info(() -> "Updating the Google workflow " + id);
      FieldMask.Builder mask = FieldMask.newBuilder().addPaths("source_contents").addPaths("labels")
          .addPaths("description");
      if (serviceAccount != null && !serviceAccount.isBlank()) {
        mask.addPaths("service_account");
      }
      await("update " + id, clients.workflows().updateWorkflowAsync(UpdateWorkflowRequest.newBuilder()
          .setWorkflow(wanted.build()).setUpdateMask(mask).build()));
    }
    return new DeployedWorkflow(id, name, spec, definition, functions);
  }

  private static String label(String value) {
    String v = value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
    return v.length() <= 63 ? v : v.substring(0, 63);
  }

  private Workflow await(String what, com.google.api.gax.longrunning.OperationFuture<Workflow, ?> operation) {
    try {
      return operation.get(clients.settings().deployTimeout().toMillis() + 30_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Google Workflows could not " + what + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Google Workflows did not " + what + " within "
          + clients.settings().deployTimeout(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting to " + what, e);
    }
  }

  /** How an execution ended, as Google reported it, or why it could not be run or waited for. */
  private record Outcome(String state, String result, JsonNode error, long clientMicros, String orchestratorFailure) {
    boolean succeeded() {
      return orchestratorFailure == null && "SUCCEEDED".equals(state);
    }
  }

  @Override
  public WorkflowRun run(DeployedWorkflow workflow, JsonNode input) {
    String requestId = UUID.randomUUID().toString();
    ObjectNode data = JSON.createObjectNode();
    data.set("payload", input.deepCopy());
    data.put("request_id", requestId);
    ClientClock.Stopwatch watch = ClientClock.start();
    Outcome outcome;
    try {
      outcome = execute(workflow, write(data), watch);
    } catch (RuntimeException e) {
      outcome = new Outcome(null, null, null, watch.elapsedMicros(),
          "Google Workflows did not run the workflow " + workflow.name() + ": " + e.getMessage());
    }
    long begin = watch.beginEpochMicros();
    List<Records.Entry> entries;
    String recordsProblem = null;
    try {
      entries = records.read(requestId);
    } catch (RuntimeException e) {
      entries = List.of();
      recordsProblem = "the function records in Datastore kind " + records.kind() + " cannot be read: "
          + e.getMessage();
    }
    long ahead = functionClockAhead(entries, begin, begin + outcome.clientMicros());
    List<FunctionRecord> functions = entries.stream().map(e -> e.toRecord(ahead)).toList();
    String failure = outcome.succeeded() ? recordsProblem : failure(outcome, entries);
    JsonNode output = null;
    if (outcome.succeeded()) {
      try {
        output = outcome.result() == null ? JSON.nullNode() : JSON.readTree(outcome.result());
      } catch (JsonProcessingException e) {
        failure = "Google Workflows' result is not JSON: " + e.getMessage();
      }
    }
    return new WorkflowRun(requestId, failure, output, Instant.EPOCH.plus(begin, ChronoUnit.MICROS),
        Duration.of(outcome.clientMicros(), ChronoUnit.MICROS), functions,
        CriticalPath.ofRecords(functions, workflow.definition()));
  }

  private Outcome execute(DeployedWorkflow workflow, String argument, ClientClock.Stopwatch watch) {
    URI base = clients.baseUrl("executions", GcpClients.EXECUTIONS_HOST);
    ObjectNode body = JSON.createObjectNode();
    body.put("argument", argument);
    JsonNode execution = clients.rest().post(base.resolve("/v1/" + workflow.id() + "/executions"), body);
    String name = execution.path("name").asText();
    if (name.isEmpty()) {
      throw new IllegalStateException("the Executions API answered without an execution name: " + execution);
    }
    long deadline = watch.startNanos() + timeout.toNanos();
    long wait = FIRST_POLL_MILLIS;
    while (true) {
      String state = execution.path("state").asText();
      long now = System.nanoTime();
      if (state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED")) {
        return new Outcome(state, execution.path("result").isTextual() ? execution.get("result").asText() : null,
            execution.path("error"), watch.elapsedMicros(now), null);
      }
      if (now > deadline) {
        try {
          clients.rest().post(base.resolve("/v1/" + name + ":cancel"), JSON.createObjectNode());
        } catch (RuntimeException e) {
          LOG.warning(() -> "Cannot cancel the execution " + name + ": " + e);
        }
        return new Outcome(null, null, null, watch.elapsedMicros(now), "the workflow " + workflow.name()
            + " did not end within " + timeout + " (" + WORKFLOW_TIMEOUT + "); its execution was cancelled");
      }
      sleep(wait);
      wait = Math.min((long) (wait * 1.5), MAX_POLL_MILLIS);
      execution = clients.rest().get(base.resolve("/v1/" + name));
    }
  }

  /** As on aws: the shift of the functions' clocks that puts every execution inside the client's window. */
  static long functionClockAhead(List<Records.Entry> entries, long clientBegin, long clientEnd) {
    if (entries.isEmpty()) {
      return 0;
    }
    long firstStart = entries.stream().mapToLong(Records.Entry::startMicros).min().orElseThrow();
    long lastEnd = entries.stream().mapToLong(Records.Entry::endMicros).max().orElseThrow();
    return io.sebs.junit.platform.WorkflowClocks.functionClockAheadMicros(firstStart, lastEnd, clientBegin, clientEnd);
  }

  /**
   * Why the execution failed: the function whose error ended it (the last failed execution, whose type the
   * execution's error names when it does) with its error line, else Google's own error.
   */
  private static String failure(Outcome outcome, List<Records.Entry> entries) {
    if (outcome.orchestratorFailure() != null) {
      return outcome.orchestratorFailure();
    }
    String payload = outcome.error() == null ? "" : outcome.error().path("payload").asText("");
    String errorType = null;
    try {
      JsonNode error = JSON.readTree(payload);
      if (error != null && error.path("body").path("error").isTextual()) {
        errorType = error.get("body").get("error").asText();
      }
    } catch (JsonProcessingException | RuntimeException notJson) {
      // Google's message as it is
    }
    String type = errorType;
    Optional<Records.Entry> failed = entries.stream().filter(e -> e.error() != null)
        .filter(e -> type == null || e.error().startsWith(type + ":"))
        .max(Comparator.comparingLong(Records.Entry::endMicros));
    if ("FAILED".equals(outcome.state()) && failed.isPresent()) {
      Records.Entry f = failed.get();
      return "function " + f.func() + " (state " + f.state() + ") failed: " + f.error();
    }
    String context = outcome.error() == null ? "" : outcome.error().path("context").asText("");
    return "the Google Workflows execution " + String.valueOf(outcome.state()).toLowerCase(Locale.ROOT)
        + (payload.isEmpty() ? "" : ": " + payload) + (context.isEmpty() ? "" : " (" + context + ")");
  }

  private static Instant instant(long epochMicros) {
    return Instant.EPOCH.plus(epochMicros, ChronoUnit.MICROS);
  }

  private static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for Google Workflows", e);
    }
  }

  /** Nothing to close: the clients are the platform's; workflows stay deployed for reuse. */
  @Override
  public void close() {}

  static Map<String, String> labels(String runId) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(GcpPlatform.TAG, "true");
    labels.put(GcpPlatform.RUN_LABEL, label(runId));
    return labels;
  }
}
