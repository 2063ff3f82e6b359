package io.sebs.junit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One function invocation as seen from both ends: the client's wall-clock time and the function's own
 * report (its begin/end timestamps, cold flag and instance id). Times have microsecond resolution.
 */
public interface Invocation {

  /** The request id the function reported (or the client's, when the call failed before an answer). */
  String requestId();

  /** Client-side latency: from just before the request was sent to the full response, including any
   * instance start-up the platform did on the way. */
  Duration clientTime();

  /** Function-side execution time: the wrapper's {@code end - begin} around the benchmark handler. */
  Duration benchmarkTime();

  /** Execution time the provider reports (billing logs, REPORT lines); empty where there is none. */
  Optional<Duration> providerTime();

  /** Instance initialisation time, on cold invocations where the platform reports it. */
  Optional<Duration> initTime();

  /**
   * Memory used in MB: the peak of the instance that served this request, from its start until just after
   * this invocation, like AWS Lambda's "Max Memory Used" of an execution environment. So it never falls
   * within one instance, and a warm invocation reports at least what earlier ones on its instance needed.
   * What is measured depends on the platform: aws reads the REPORT line's Max Memory Used; docker the
   * container's memory cgroup peak (which counts page cache too); local the wrapper process's peak resident
   * set ({@code VmHWM}, Linux only; for Java functions the whole JVM). Empty where the platform cannot tell.
   */
  default OptionalDouble memoryUsed() {
    return OptionalDouble.empty();
  }

  /** Whether the function reported that this request started its instance. */
  boolean isCold();

  /**
   * Whether the invocation ran on an instance that was already running: for a function, not cold; a
   * workflow run is warm only when all of its functions were (see {@link WorkflowRun#isWarm()}).
   */
  default boolean isWarm() {
    return !isCold();
  }

  /** The id of the function instance (container, process) that served the request. */
  String containerId();

  /** Whether the invocation failed (function error, timeout, crash, invalid output). */
  boolean failed();

  /** Why it failed; empty when it did not. */
  Optional<String> failureReason();

  /** The benchmark's result ({@code result.output} of the function contract); a missing node when failed. */
  JsonNode output();

  /** The benchmark's own measurements ({@code result.measurement}); a missing node when there are none. */
  JsonNode measurement();

  /** When the client sent the request (client clock). */
  Instant clientBegin();
}
