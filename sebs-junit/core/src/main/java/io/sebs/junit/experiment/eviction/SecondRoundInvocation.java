package io.sebs.junit.experiment.eviction;

/**
 * One invocation of the second round, after the idle period: whether the function reported a cold
 * start, and whether its instance is one the first round started.
 *
 * @param containerId the instance id the function reported
 * @param reusedInstance whether {@code containerId} served a first-round invocation of the same point
 * @param failure why it failed, or {@code null}
 */
public record SecondRoundInvocation(String requestId, boolean cold, String containerId, boolean reusedInstance,
    String failure) {

  public boolean failed() {
    return failure != null;
  }
}
