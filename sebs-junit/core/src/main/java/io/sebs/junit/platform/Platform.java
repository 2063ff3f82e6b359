package io.sebs.junit.platform;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.storage.PlatformStorage;
import java.util.Map;

/**
 * A place functions run: local processes, Docker, a cloud. Implementations are found with
 * {@link java.util.ServiceLoader} through {@link PlatformProvider}, so adding one touches no other.
 * The SPI is about single functions (package, deploy, invoke, enforce a cold start, fetch metrics, clean
 * up); workflows compose them ({@link #orchestratesWorkflowsInTheClient()}).
 *
 * <p>A platform owns what it creates: {@link #close()} removes instances and, where the platform does so
 * per run, deployed resources.
 */
public interface Platform extends AutoCloseable {

  /** The name users select with {@code sebs.platform}. */
  String name();

  /**
   * Packages and deploys a function (or reuses an identical deployment). Failures are exceptions with a
   * message that says what to fix.
   */
  DeployedFunction deploy(FunctionSpec spec, Map<String, String> environment);

  /** Deploys with no extra environment variables. */
  default DeployedFunction deploy(FunctionSpec spec) {
    return deploy(spec, Map.of());
  }

  /**
   * The platform's object storage and NoSQL tables, connected or started on first use; the same
   * instance for the whole run.
   */
  PlatformStorage storage();

  /**
   * Invokes once and waits. Never throws for a failed invocation: function errors, timeouts and crashes
   * come back as a failed {@link InvocationResult} with the reason.
   */
  InvocationResult invoke(DeployedFunction function, JsonNode payload);

  /**
   * A warm invocation prepared for a burst's single sender (see {@link PreparedInvocation}), or empty when this
   * one cannot be prepared: no idle instance (a cold start must stay inside the client time), or a platform
   * whose invocations are requests of its own client. An empty one is invoked with {@link #invoke} after the
   * release. Default: empty.
   */
  default java.util.Optional<PreparedInvocation> prepare(DeployedFunction function, JsonNode payload) {
    return java.util.Optional.empty();
  }

  /**
   * Fetches the provider's metrics that did not come with the answers (e.g. Lambda's REPORT lines from
   * CloudWatch Logs when invocations went through an HTTP trigger) and returns the invocations, in the same
   * order, with what was found filled in (provider time, memory used, init time). Called once per measured
   * series, after its invocations and before statistics and billing, so one download serves a whole series
   * and the provider's log delivery delay is paid once. It may wait (bounded) for late metrics; what never
   * arrives stays unknown. Default: the invocations unchanged, for platforms whose answers carry everything.
   */
  default java.util.List<io.sebs.junit.Invocation> fetchMetrics(DeployedFunction function,
      java.util.List<io.sebs.junit.Invocation> invocations) {
    return invocations;
  }

  /** Makes the next invocation of the function start a new instance. */
  void enforceColdStart(DeployedFunction function);

  /**
   * The rule by which this platform evicts idle instances, when the platform itself enforces a known one
   * (the local platform); empty where eviction is the provider's secret and must be measured.
   */
  default java.util.Optional<KeepAlive> keepAlive() {
    return java.util.Optional.empty();
  }

  /**
   * The offset this platform adds to every clock the function side reads, when it injects one for testing
   * ({@code sebs.local.clockOffsetMs} on local and docker), as {@code function clock - client clock} in
   * microseconds; experiments record it as the known truth beside their estimate. Empty where the platform
   * injects nothing and the true offset is unknown (a cloud).
   */
  default java.util.OptionalDouble injectedClockOffsetMicros() {
    return java.util.OptionalDouble.empty();
  }

  /**
   * Whether sebs-junit's own engine may orchestrate workflows here, invoking each function from the test
   * JVM: true where the platform has no orchestrator to measure (local, docker). A platform with one
   * (Step Functions, Google Workflows, Durable Functions) runs workflows through its {@link
   * #workflowOrchestrator()} instead, and without either, workflows on it fail with a message saying so.
   */
  default boolean orchestratesWorkflowsInTheClient() {
    return false;
  }

  /** The platform's own workflow orchestrator, where it has one and sebs-junit can drive it. */
  default java.util.Optional<WorkflowOrchestrator> workflowOrchestrator() {
    return java.util.Optional.empty();
  }

  /** Releases everything the platform started or created for this run. */
  @Override
  void close();
}
