package io.sebs.junit.platform.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.PreparedFunction;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The execution role against the Lambda/IAM stand-in: CreateFunction is retried with backoff while Lambda
 * refuses a role IAM has not propagated yet, and gives up naming the role; the inline storage policy is read
 * first and put only when it is missing or differs, so an unchanged role is left untouched.
 */
class AwsExecutionRoleContractTest {

  static final String ROLE = "arn:aws:iam::123456789012:role/sebs-junit-lambda";
  /** Fast backoff for the tests: 20, 40, 80, 80 ... ms within 2 s. */
  static final RolePropagation FAST = new RolePropagation(Duration.ofMillis(20), Duration.ofMillis(80),
      Duration.ofSeconds(2));

  @TempDir
  Path results;

  @RegisterExtension
  static final AwsStandIns aws = AwsStandIns.stub("AKIDROLE", "role-secret");

  @AfterEach
  void noMoreRefusals() {
    aws.stub().extras.refuseRoleForNextCreates(0);
  }

  private BenchmarkRun run() {
    BenchmarkRun run = new BenchmarkRun(Fixtures.config(results, SebsConfig.PLATFORM, "aws", AwsSettings.REGION,
        "us-east-1"));
    ((AwsPlatform) run.platform()).rolePropagation(FAST);
    return run;
  }

  private static int creates(String name) {
    return (int) aws.stub().requestsTo("POST", "/2015-03-31/functions").stream()
        .filter(r -> r.json().path("FunctionName").asText().equals(name)).count();
  }

  @Test
  void aRoleNotYetAssumableIsRetriedUntilLambdaAcceptsIt() {
    aws.stub().extras.refuseRoleForNextCreates(2);
    int refusedBefore = aws.stub().extras.refusedCreates();
    try (BenchmarkRun run = run()) {
    PreparedFunction function = run.prepare(run.spec("901.echo", "python", "", "test", 256, 10));
      assertThat(aws.stub().extras.refusedCreates() - refusedBefore).isEqualTo(2);
      assertThat(creates(function.deployed().name())).as("two refused, the third created").isEqualTo(3);
      assertThat(function.invoker().invoke(Map.of("after", "retry")).output().path("echo").path("after").asText())
          .isEqualTo("retry");
    }
  }

  @Test
  void aRoleThatStaysRefusedFailsNamingTheRoleAfterABoundedWait() {
    aws.stub().extras.refuseRoleForNextCreates(1000);
    try (BenchmarkRun run = run()) {
    long t0 = System.nanoTime();
      assertThatThrownBy(() -> run.prepare(run.spec("901.echo", "python", "", "test", 384, 10)))
          .rootCause().isInstanceOf(software.amazon.awssdk.services.lambda.model.InvalidParameterValueException.class);
      assertThatThrownBy(() -> run.prepare(run.spec("901.echo", "python", "", "test", 384, 10)))
          .satisfies(e -> assertThat(messages(e)).contains("still refuses the execution role " + ROLE)
              .contains("sebs-901-echo-python-384").contains("sts:AssumeRole").contains("-Dsebs.aws.role"));
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertThat(seconds).as("two bounded waits of about 2 s").isLessThan(15);
    }
    // a refusal for another reason is not retried
    assertThat(RolePropagation.isRoleNotYetUsable((software.amazon.awssdk.services.lambda.model
        .InvalidParameterValueException) software.amazon.awssdk.services.lambda.model.InvalidParameterValueException
        .builder().message("Unzipped size must be smaller than 262144000 bytes").build())).isFalse();
  }

  private static String messages(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
    all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }

  @Test
  void theInlinePolicyIsPutOnlyWhenItIsMissingOrDiffers() {
    try (BenchmarkRun first = run()) {
    first.prepare(first.spec("901.echo", "python", "", "test", 512, 10));
    }
    assertThat(aws.stub().rolePolicies()).containsEntry(ExecutionRole.STORAGE_POLICY_NAME, ExecutionRole.STORAGE_POLICY);
    int puts = iamCount("PutRolePolicy");
    int gets = iamCount("GetRolePolicy");

    try (BenchmarkRun unchanged = run()) {
    unchanged.prepare(unchanged.spec("901.echo", "python", "", "test", 640, 10));
    }
    assertThat(iamCount("GetRolePolicy")).as("read (URL-encoded) and compared").isEqualTo(gets + 1);
    assertThat(iamCount("PutRolePolicy")).as("not put again").isEqualTo(puts);

    aws.stub().rolePolicy(ExecutionRole.STORAGE_POLICY_NAME, "{\"Version\":\"2012-10-17\",\"Statement\":[]}");
    try (BenchmarkRun edited = run()) {
    edited.prepare(edited.spec("901.echo", "python", "", "test", 768, 10));
    }
    assertThat(iamCount("PutRolePolicy")).as("restored").isEqualTo(puts + 1);
    assertThat(aws.stub().rolePolicies()).containsEntry(ExecutionRole.STORAGE_POLICY_NAME, ExecutionRole.STORAGE_POLICY);
  }

  private static int iamCount(String action) {
    return (int) aws.stub().iamActions().stream().filter(action::equals).count();
  }
}
