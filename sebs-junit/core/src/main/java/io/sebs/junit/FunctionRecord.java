package io.sebs.junit;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One function execution inside a {@link WorkflowRun}, as SeBS-Flow records it: which function, when it
 * began and ended (on the client's clock, corrected for the function's clock where the platform needs
 * it), whether its instance was cold, and which instance ran it.
 *
 * @param name the function's {@code func_name}
 * @param state the definition's state that ran it (a repeat's executions share one state)
 * @param requestId the {@code request-id} the function found in its event
 * @param begin the function's own begin
 * @param end the function's own end
 * @param error the function's error when it failed, else null
 */
public record FunctionRecord(String name, String state, String requestId, Instant begin, Instant end, boolean isCold,
    String containerId, String error) {

  /** The time the function itself ran: end minus begin. */
  public Duration duration() {
    return Duration.between(begin, end);
  }

  /** Whether the function failed (raised); a failure followed by a {@code failure} transition still counts. */
  public boolean failed() {
    return error != null;
  }

  /** The function's error line, when it failed. */
  public Optional<String> failure() {
    return Optional.ofNullable(error);
  }
}
