package io.sebs.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One run of a workflow, end to end: its output, the client's time, every function execution, and the two
 * figures SeBS-Flow separates, the {@linkplain #criticalPath() critical path} of function work and the
 * {@linkplain #overhead() orchestration overhead} around it.
 *
 * <p>A run is also an {@link Invocation}, so series of runs get the same statistics, budgets, results files
 * and baselines as functions: its {@linkplain #benchmarkTime() benchmark time} is the critical path, and it
 * {@linkplain #isCold() is cold} when every function in it ran on a new instance.
 */
public final class WorkflowRun implements Invocation {

  private final String requestId;
  private final String failure;
  private final JsonNode output;
  private final Instant clientBegin;
  private final Duration clientTime;
  private final List<FunctionRecord> functions;
  private final Duration criticalPath;

  /**
   * @param failure why the run failed (the function's error, or the engine's), null when it succeeded
   * @param functions the function executions, in any order (kept in start order)
   * @param criticalPath the longest chain of function durations through the workflow's dependencies
   */
  public WorkflowRun(String requestId, String failure, JsonNode output, Instant clientBegin, Duration clientTime,
      List<FunctionRecord> functions, Duration criticalPath) {
    this.requestId = requestId;
    this.failure = failure;
    this.output = output == null ? MissingNode.getInstance() : output;
    this.clientBegin = clientBegin;
    this.clientTime = clientTime;
    this.functions = functions.stream().sorted(Comparator.comparing(FunctionRecord::begin)).toList();
    this.criticalPath = criticalPath;
  }

  /** The workflow's own request id (each function's is in {@link FunctionRecord#requestId()}). */
  @Override
  public String requestId() {
    return requestId;
  }

  @Override
  public boolean failed() {
    return failure != null;
  }

  /** Why the run failed: the failing function's error and state, or what the engine could not do. */
  public Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  @Override
  public Optional<String> failureReason() {
    return failure();
  }

  /** The workflow's result: the payload after its last state. */
  @Override
  public JsonNode output() {
    return output;
  }

  /** End to end, on the client: from starting the run to having its result. */
  @Override
  public Duration clientTime() {
    return clientTime;
  }

  @Override
  public Instant clientBegin() {
    return clientBegin;
  }

  /** Every function execution, in start order. */
  public List<FunctionRecord> functions() {
    return functions;
  }

  /**
   * The longest chain of function executions through the workflow's dependencies: sequential states add
   * their functions' durations, a map or parallel state counts its slowest element or branch. What the run
   * would take if orchestration cost nothing.
   */
  public Duration criticalPath() {
    return criticalPath;
  }

  /** What orchestration added: {@link #clientTime()} minus {@link #criticalPath()}. */
  public Duration overhead() {
    return clientTime.minus(criticalPath);
  }

  /** The critical path: the function work a run cannot avoid. */
  @Override
  public Duration benchmarkTime() {
    return criticalPath;
  }

  @Override
  public Optional<Duration> providerTime() {
    return Optional.empty();
  }

  @Override
  public Optional<Duration> initTime() {
    return Optional.empty();
  }

  /**
   * Cold when no function execution of the run reused an instance from before it: the first execution on
   * each instance was a cold start (a repeat or loop then reuses that instance, as it would in the cloud).
   * A run that is neither cold nor {@linkplain #isWarm() warm} (a map that scaled out beside warm
   * instances) counts as misclassified in both cold and warm series.
   */
  @Override
  public boolean isCold() {
    java.util.Set<String> instances = new java.util.HashSet<>();
    return !functions.isEmpty()
        && functions.stream().filter(f -> instances.add(f.containerId())).allMatch(FunctionRecord::isCold);
  }

  /** Warm when every function execution of the run reused a running instance. */
  @Override
  public boolean isWarm() {
    return !functions.isEmpty() && functions.stream().noneMatch(FunctionRecord::isCold);
  }

  /** The first function's instance. */
  @Override
  public String containerId() {
    return functions.isEmpty() ? "" : functions.get(0).containerId();
  }

  @Override
  public JsonNode measurement() {
    return MissingNode.getInstance();
  }

  @Override
  public String toString() {
    return "WorkflowRun[" + requestId + (failed() ? ", failed: " + failure : "") + ", client " + clientTime.toNanos() / 1000
        + " us, critical path " + criticalPath.toNanos() / 1000 + " us, " + functions.size() + " functions]";
  }
}
