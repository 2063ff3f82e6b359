package io.sebs.junit.platform.aws;

import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.tck.PlatformTck;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The platform contract on the aws platform against the Lambda/IAM/Logs stub, S3Proxy and dynalite. Lambda
 * functions stay deployed after a run for reuse (by design, as in SeBS); "nothing left" here means the
 * clean-up command ({@link AwsResources}) removes every function tagged with the run.
 */
class AwsStubPlatformTckTest extends PlatformTck {

  @RegisterExtension
  static final AwsStandIns aws =
      AwsStandIns.stub("AKIDSTUB", "stub-secret").withS3().withDynamoDb().withRoleCredentials();

  @Override
  protected SebsConfig config(Path resultsDir) {
    return Fixtures.config(resultsDir, SebsConfig.PLATFORM, "aws", AwsSettings.REGION, "us-east-1");
  }

  /**
   * The stub runs each call of a Python or Node.js function as one process in one execution environment per
   * function: it models cold and warm environments, errors, timeouts, a runtime that exits, and storage,
   * but not Lambda's scale-out; no test checks that on real Lambda yet.
   */
  @Override
  protected Optional<String> cannotShow(Behaviour behaviour) {
    return behaviour == Behaviour.SCALE_OUT
        ? Optional.of("the Lambda stub keeps one execution environment per function")
        : Optional.empty();
  }

  @Override
  protected Leftovers leftovers(BenchmarkRun run) {
    String runId = run.runId();
    return () -> {
      try (AwsClients clients = AwsClients.create(AwsSettings.from(config(results)))) {
        AwsResources resources = new AwsResources(clients.lambda());
        resources.delete(runId);
        return resources.list(runId).stream().map(r -> "Lambda function " + r.name()).toList();
      }
    };
  }
}
