package io.sebs.junit.series;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.platform.PreparedInvocation;
import java.util.Optional;

/**
 * What a {@link io.sebs.junit.FunctionInvoker} can also be so that {@link SeriesRunner#bursts} sends a burst's
 * warm requests from one thread, back to back, instead of waking a thread per invocation to send its own (issue
 * 16). An invoker that is not one, or an invocation it cannot prepare, is invoked on its own thread after the
 * release, as before.
 */
public interface PreparingInvoker {

  /**
   * A warm invocation of {@code payload} made ready to send, or empty when this one must be invoked with
   * {@link io.sebs.junit.FunctionInvoker#invoke(Object)} after the release (a cold start, a platform that
   * cannot prepare).
   */
  Optional<PreparedInvocation> prepare(JsonNode payload);
}
