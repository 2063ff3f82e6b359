package io.sebs.junit.platform.aws;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.logging.Logger;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;

/**
 * IAM is eventually consistent: for about ten seconds after a role is created or changed, CreateFunction can
 * refuse it ("The role defined for the function cannot be assumed by Lambda", InvalidParameterValueException).
 * This retries such a call with exponential backoff (doubling from {@code firstDelay}, capped at
 * {@code maxDelay}) within a time budget, and then fails naming the role and what to check. Other errors are
 * not retried.
 */
record RolePropagation(Duration firstDelay, Duration maxDelay, Duration budget) {

  /** 1 s, 2 s, 4 s, 8 s, then every 10 s, for at most 90 s. */
  static final RolePropagation DEFAULT = new RolePropagation(Duration.ofSeconds(1), Duration.ofSeconds(10),
      Duration.ofSeconds(90));
  private static final Logger LOG = Logger.getLogger(RolePropagation.class.getName());

  /** Whether Lambda refused the role because IAM has not propagated it yet. */
  static boolean isRoleNotYetUsable(InvalidParameterValueException e) {
    String message = String.valueOf(e.awsErrorDetails() != null ? e.awsErrorDetails().errorMessage() : e.getMessage());
    return message.contains("cannot be assumed by Lambda") || message.contains("execution role does not have permissions");
  }

  /** Runs {@code call} (e.g. CreateFunction with {@code roleArn}), retrying while the role is not yet usable. */
  <T> T retry(String roleArn, String functionName, Supplier<T> call) {
    long start = System.nanoTime();
    Duration delay = firstDelay;
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (InvalidParameterValueException e) {
        if (!isRoleNotYetUsable(e)) {
          throw e;
        }
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        if (waited.plus(delay).compareTo(budget) > 0) {
          throw new IllegalStateException("Lambda still refuses the execution role " + roleArn + " for function "
              + functionName + " after " + attempt + " attempts in " + waited.toSeconds() + " s (IAM normally "
              + "propagates a new or changed role within seconds): check that its trust policy lets "
              + "lambda.amazonaws.com assume it (sts:AssumeRole), or pass another role with -D" + AwsSettings.ROLE
              + ". Lambda said: " + e.getMessage(), e);
        }
        Duration wait = delay;
        int tried = attempt;
        LOG.info(() -> "Role " + roleArn + " not yet usable by Lambda (attempt " + tried + "), retrying in "
            + wait.toMillis() + " ms");
        sleep(wait);
        delay = delay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : delay.multipliedBy(2);
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for IAM to propagate the execution role", e);
    }
  }
}
