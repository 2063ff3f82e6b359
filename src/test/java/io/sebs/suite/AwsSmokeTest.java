package io.sebs.suite;

import io.sebs.junit.Platform;

/**
 * The live smoke subset ({@link CloudSmokeTest}) for real AWS Lambda: runs only with {@code -Dsebs.platform=aws}
 * (skipped, with the reason, on every other platform) and needs credentials from the AWS SDK's default chain;
 * without them the run fails with how to provide them. Provider times come from the log tail, or from CloudWatch
 * Logs with {@code -Dsebs.aws.trigger=url}. Deployed functions stay for reuse; remove them with {@code
 * io.sebs.junit.platform.aws.AwsResources --delete} (see README).
 */
@Platform("aws")
class AwsSmokeTest extends CloudSmokeTest {}
