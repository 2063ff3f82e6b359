package io.sebs.junit.platform.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.FunctionRecord;
import io.sebs.junit.WorkflowRun;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.WorkflowDefinition;
import io.sebs.junit.platform.ClientClock;
import io.sebs.junit.platform.DeployedFunction;
import io.sebs.junit.platform.DeployedWorkflow;
import io.sebs.junit.platform.WorkflowOrchestrator;
import io.sebs.junit.workflow.CriticalPath;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.logging.Logger;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StartSyncExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/**
 * Workflows on AWS Step Functions. {@link #deploy} transcribes the definition ({@link
 * StepFunctionsTranscription}) over the functions' Lambda ARNs and creates the state machine {@code
 * <workflow function name>-<express|standard>} (tagged {@value AwsPlatform#TAG} and with the run id), or
 * updates it when its definition or role changed, or reuses it as it is; it runs as the account's {@link
 * StepFunctionsRole}. State machines stay deployed for the next run, as the functions do, and {@link
 * AwsResources} lists and removes them.
 *
 * <p>{@link #run} starts one execution on {@code {"payload": input, "request_id": <new id>}} and waits for
 * its end, bounded by {@code sebs.aws.workflowTimeout} (also the state machine's {@code TimeoutSeconds}):
 * an Express machine with StartSyncExecution, whose answer is the end, so the client's time has no polling
 * error; a Standard one with StartExecution and DescribeExecution polled at most every {@value #POLL_MILLIS}
 * ms (see {@link AwsSettings.WorkflowType}). The run's functions come from {@link WorkflowRecords}; their
 * times, taken on the functions' clocks, are placed on the client's clock with the smallest shift that puts
 * them all inside the client's window (none while Lambda's clock agrees with the client's, as it does when
 * both follow NTP), and the critical path is {@link CriticalPath#ofRecords}. A failed execution's failure
 * names the function and state whose error ended it, with the function's error line, as the local engine
 * does; an error of Step Functions itself is given as it reported it.
 */
final class AwsWorkflowOrchestrator implements WorkflowOrchestrator, AutoCloseable {

  /** The longest wait between two DescribeExecution calls of a Standard execution. */
  static final long POLL_MILLIS = 100;
  private static final Logger LOG = Logger.getLogger(AwsWorkflowOrchestrator.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Step Functions' limit on a state machine's name. */
  private static final int MAX_NAME = 80;

  private final AwsSettings settings;
  private final AwsClients clients;
  private final String runId;
  private final WorkflowRecords records;
  private RolePropagation rolePropagation = RolePropagation.DEFAULT;
  private SfnClient control;
  private SfnClient starter;
  private String roleArn;

  AwsWorkflowOrchestrator(AwsSettings settings, AwsClients clients, String runId, WorkflowRecords records) {
    this.settings = settings;
    this.clients = clients;
    this.runId = runId;
    this.records = records;
  }

  /** How CreateStateMachine waits for a new role (tests shorten it). */
  void rolePropagation(RolePropagation propagation) {
    rolePropagation = propagation;
  }

  /** Control-plane calls and Standard executions (the SDK's retries: starting an execution by name is idempotent). */
  private synchronized SfnClient control() {
    if (control == null) {
      control = AwsClients.sfn(clients.region(), Duration.ofSeconds(60), true);
    }
    return control;
  }

  /** StartSyncExecution: waits as long as a run may take, and never retries (a retry would run it again). */
  private synchronized SfnClient starter() {
    if (starter == null) {
      starter = AwsClients.sfn(clients.region(), settings.workflowTimeout().plusSeconds(30), false);
    }
    return starter;
  }

  private synchronized String role() {
    if (roleArn == null) {
      roleArn = StepFunctionsRole.ensure(clients.iam(), StepFunctionsRole.DEFAULT_NAME);
    }
    return roleArn;
  }

  @Override
  public DeployedWorkflow deploy(FunctionSpec spec, WorkflowDefinition definition,
      Map<String, DeployedFunction> functions) {
    Map<String, String> arns = new TreeMap<>();
    functions.forEach((funcName, f) -> arns.put(funcName,
        clients.lambda().getFunction(r -> r.functionName(f.name())).configuration().functionArn()));
    ObjectNode machine = StepFunctionsTranscription.transcribe(definition, arns);
    machine.put("TimeoutSeconds", timeoutSeconds());
    String asl = write(machine);
    String name = machineName(spec);
    String role = role();
    // arn:<partition>:iam::<account>:role/<name>
    String[] roleParts = role.split(":");
    String arn = "arn:" + roleParts[1] + ":states:" + clients.region().id() + ":" + roleParts[4] + ":stateMachine:"
        + name;
    StateMachineType type = StateMachineType.fromValue(settings.workflowType().name());
    try {
      DescribeStateMachineResponse existing = control().describeStateMachine(r -> r.stateMachineArn(arn));
      if (!sameJson(existing.definition(), asl) || !role.equals(existing.roleArn())) {
        LOG.info(() -> "Updating the state machine " + name);
        control().updateStateMachine(r -> r.stateMachineArn(arn).definition(asl).roleArn(role));
      }
    } catch (StateMachineDoesNotExistException missing) {
      LOG.info(() -> "Creating the " + type + " state machine " + name);
      createWhileTheRolePropagates(name, asl, role, type);
    }
    return new DeployedWorkflow(name, arn, spec, definition, functions);
  }

  /** Express executions end after 5 minutes at most; the state machine's own bound is the run's. */
  private long timeoutSeconds() {
    long seconds = Math.max(1, settings.workflowTimeout().toSeconds());
    return settings.workflowType() == AwsSettings.WorkflowType.EXPRESS ? Math.min(seconds, 300) : seconds;
  }

  /** {@code <workflow>-express} or {@code -standard}: a type cannot change, so each has its own machine. */
  static String machineName(FunctionSpec spec, AwsSettings.WorkflowType type) {
    String name = spec.functionName() + "-" + type.name().toLowerCase(Locale.ROOT);
    if (name.length() > MAX_NAME) {
      throw new IllegalArgumentException("The state machine name " + name + " is longer than Step Functions' "
          + MAX_NAME + " characters");
    }
    return name;
  }

  private String machineName(FunctionSpec spec) {
    return machineName(spec, settings.workflowType());
  }

  /**
   * CreateStateMachine, retried while IAM propagates a role created moments ago (Step Functions then answers
   * that it cannot assume the role), with the backoff and budget of {@link RolePropagation}.
   */
  private void createWhileTheRolePropagates(String name, String asl, String role, StateMachineType type) {
    long start = System.nanoTime();
    Duration delay = rolePropagation.firstDelay();
    for (int attempt = 1; ; attempt++) {
      try {
        control().createStateMachine(r -> r.name(name).definition(asl).roleArn(role).type(type)
            .tags(t -> t.key(AwsPlatform.TAG).value("true"), t -> t.key(AwsPlatform.RUN_TAG).value(runId)));
        return;
      } catch (SfnException e) {
        String message = String.valueOf(e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage());
        if (!message.contains("assume")) {
          throw e;
        }
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        if (waited.plus(delay).compareTo(rolePropagation.budget()) > 0) {
          throw new IllegalStateException("Step Functions still refuses the role " + role + " for state machine " + name
              + " after " + attempt + " attempts in " + waited.toSeconds() + " s: check that its trust policy lets "
              + "states.amazonaws.com assume it. Step Functions said: " + message, e);
        }
        int tried = attempt;
        Duration wait = delay;
        LOG.info(() -> "Role " + role + " not yet usable by Step Functions (attempt " + tried + "), retrying in "
            + wait.toMillis() + " ms");
        sleep(wait.toMillis());
        delay = delay.multipliedBy(2).compareTo(rolePropagation.maxDelay()) > 0 ? rolePropagation.maxDelay()
            : delay.multipliedBy(2);
      }
    }
  }

  /** How an execution ended, as Step Functions reported it, or why it could not be run or waited for. */
  private record Outcome(String status, String output, String error, String cause, long clientMicros,
      String orchestratorFailure) {
    boolean succeeded() {
      return orchestratorFailure == null && "SUCCEEDED".equals(status);
    }
  }

  @Override
  public WorkflowRun run(DeployedWorkflow workflow, JsonNode input) {
    String requestId = UUID.randomUUID().toString();
    ObjectNode data = JSON.createObjectNode();
    data.set("payload", input.deepCopy());
    data.put("request_id", requestId);
    String executionInput = write(data);
    ClientClock.Stopwatch watch = ClientClock.start();
    Outcome outcome;
    try {
      outcome = settings.workflowType() == AwsSettings.WorkflowType.EXPRESS
          ? runExpress(workflow, requestId, executionInput, watch)
          : runStandard(workflow, requestId, executionInput, watch);
    } catch (RuntimeException e) {
      outcome = new Outcome(null, null, null, null, watch.elapsedMicros(),
          "Step Functions did not run the workflow " + workflow.name() + ": " + e.getMessage());
    }
    long begin = watch.beginEpochMicros();
    List<WorkflowRecords.Entry> entries;
    String recordsProblem = null;
    try {
      entries = records.read(requestId);
    } catch (RuntimeException e) {
      entries = List.of();
      recordsProblem = "the function records in " + records.table() + " cannot be read: " + e.getMessage();
    }
    long ahead = functionClockAhead(entries, begin, begin + outcome.clientMicros());
    List<FunctionRecord> functions = entries.stream().map(e -> e.toRecord(ahead)).toList();
    String failure = outcome.succeeded() ? recordsProblem : failure(outcome, entries);
    JsonNode output = null;
    if (outcome.succeeded()) {
      try {
        JsonNode whole = parse(outcome.output());
        output = whole.has("payload") ? whole.get("payload") : whole;
      } catch (IllegalStateException e) {
        failure = e.getMessage();
      }
    }
    return new WorkflowRun(requestId, failure, output, Instant.EPOCH.plus(begin, ChronoUnit.MICROS),
        Duration.of(outcome.clientMicros(), ChronoUnit.MICROS), functions,
        CriticalPath.ofRecords(functions, workflow.definition()));
  }

  private Outcome runExpress(DeployedWorkflow workflow, String requestId, String input, ClientClock.Stopwatch watch) {
    StartSyncExecutionResponse r = starter().startSyncExecution(b -> b.stateMachineArn(workflow.id()).name(requestId)
        .input(input));
    long micros = watch.elapsedMicros();
    return new Outcome(r.statusAsString(), r.output(), r.error(), r.cause(), micros, null);
  }

  private Outcome runStandard(DeployedWorkflow workflow, String requestId, String input, ClientClock.Stopwatch watch) {
    String execution = control().startExecution(b -> b.stateMachineArn(workflow.id()).name(requestId).input(input))
        .executionArn();
    long deadline = watch.startNanos() + settings.workflowTimeout().toNanos();
    long wait = 10;
    while (true) {
      DescribeExecutionResponse d = control().describeExecution(b -> b.executionArn(execution));
      long now = System.nanoTime();
      if (d.status() != ExecutionStatus.RUNNING && d.status() != ExecutionStatus.PENDING_REDRIVE) {
        return new Outcome(d.statusAsString(), d.output(), d.error(), d.cause(), watch.elapsedMicros(now), null);
      }
      if (now > deadline) {
        try {
          control().stopExecution(b -> b.executionArn(execution).error("sebs-junit.Timeout")
              .cause("no end within " + settings.workflowTimeout()));
        } catch (RuntimeException e) {
          LOG.warning(() -> "Cannot stop the execution " + execution + ": " + e);
        }
        return new Outcome(null, null, null, null, watch.elapsedMicros(now), "the workflow " + workflow.name()
            + " did not end within " + settings.workflowTimeout() + " (" + AwsSettings.WORKFLOW_TIMEOUT
            + "); its execution was stopped");
      }
      sleep(wait);
      wait = Math.min(wait * 2, POLL_MILLIS);
    }
  }

  /**
   * How far the functions' clocks are ahead of the client's, as far as the run shows it: every execution
   * lies inside the client's window, so the offset is at least {@code last end - client end} and at most
   * {@code first start - client begin}; the one of these bounds nearest to zero, or zero between them.
   */
  static long functionClockAhead(List<WorkflowRecords.Entry> entries, long clientBegin, long clientEnd) {
    if (entries.isEmpty()) {
      return 0;
    }
    long firstStart = entries.stream().mapToLong(WorkflowRecords.Entry::startMicros).min().orElseThrow();
    long lastEnd = entries.stream().mapToLong(WorkflowRecords.Entry::endMicros).max().orElseThrow();
    return io.sebs.junit.platform.WorkflowClocks.functionClockAheadMicros(firstStart, lastEnd, clientBegin, clientEnd);
  }

  /**
   * Why the execution failed: the function whose error ended it (the last failed execution with Step
   * Functions' error type) with its error line, else Step Functions' own error and cause.
   */
  private static String failure(Outcome outcome, List<WorkflowRecords.Entry> entries) {
    if (outcome.orchestratorFailure() != null) {
      return outcome.orchestratorFailure();
    }
    String error = outcome.error();
    Optional<WorkflowRecords.Entry> failed = entries.stream().filter(e -> e.error() != null)
        .filter(e -> error == null || e.error().startsWith(error + ":"))
        .max(Comparator.comparingLong(WorkflowRecords.Entry::endMicros));
    if ("FAILED".equals(outcome.status()) && failed.isPresent()) {
      WorkflowRecords.Entry f = failed.get();
      return "function " + f.func() + " (state " + f.state() + ") failed: " + f.error();
    }
    String cause = causeMessage(outcome.cause());
    return "the Step Functions execution " + String.valueOf(outcome.status()).toLowerCase(Locale.ROOT)
        + (error == null ? "" : ": " + error + (cause.isEmpty() ? "" : ": " + cause));
  }

  /** Lambda's error JSON in a Cause ({@code {"errorMessage", "errorType", ...}}) to its message. */
  static String causeMessage(String cause) {
    if (cause == null) {
      return "";
    }
    try {
      JsonNode json = JSON.readTree(cause);
      if (json != null && json.path("errorMessage").isTextual()) {
        return json.get("errorMessage").asText();
      }
    } catch (JsonProcessingException notJson) {
      // a plain message
    }
    return cause;
  }

  private static boolean sameJson(String a, String b) {
    try {
      return a != null && JSON.readTree(a).equals(JSON.readTree(b));
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  private static JsonNode parse(String json) {
    try {
      return json == null ? JSON.nullNode() : JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Step Functions' output is not JSON: " + e.getMessage(), e);
    }
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
      throw new IllegalStateException("Interrupted while waiting for Step Functions", e);
    }
  }

  /** Closes the clients; state machines stay deployed for reuse (remove them with {@link AwsResources}). */
  @Override
  public synchronized void close() {
    if (control != null) {
      control.close();
    }
    if (starter != null) {
      starter.close();
    }
  }
}
