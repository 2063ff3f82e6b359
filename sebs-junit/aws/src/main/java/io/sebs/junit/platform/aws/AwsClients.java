package io.sebs.junit.platform.aws;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The platform's AWS SDK clients, configured only through the SDK's own chains: credentials and region
 * from the default providers, endpoints from the standard overrides ({@code AWS_ENDPOINT_URL},
 * {@code AWS_ENDPOINT_URL_LAMBDA}, {@code AWS_ENDPOINT_URL_IAM}, {@code AWS_ENDPOINT_URL_S3},
 * {@code AWS_ENDPOINT_URL_CLOUDWATCH_LOGS}, {@code AWS_ENDPOINT_URL_SFN} and their {@code aws.endpointUrl*} system properties), which is what
 * lets the contract tests point everything at a local stub. No client is given an explicit endpoint.
 */
record AwsClients(LambdaClient lambda, IamClient iam, Region region) implements AutoCloseable {

  static AwsClients create(AwsSettings settings) {
    AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
    try {
      credentials.resolveCredentials();
    } catch (SdkClientException e) {
      throw new IllegalArgumentException("No AWS credentials found for -Dsebs.platform=aws. Provide them the way "
          + "every AWS SDK reads them: environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and "
          + "AWS_SESSION_TOKEN for temporary ones), a profile in ~/.aws/credentials selected with AWS_PROFILE, "
          + "SSO (aws sso login), or a role of the machine. The SDK said: " + e.getMessage(), e);
    }
    Region region;
    if (settings.region().isPresent()) {
      region = Region.of(settings.region().get());
    } else {
      try {
        region = DefaultAwsRegionProviderChain.builder().build().getRegion();
      } catch (SdkClientException e) {
        throw new IllegalArgumentException("No AWS region configured for -Dsebs.platform=aws: set "
            + AwsSettings.REGION + " (e.g. -D" + AwsSettings.REGION + "=us-east-1), AWS_REGION, or a region in "
            + "~/.aws/config", e);
      }
    }
    LambdaClient lambda = LambdaClient.builder().region(region).credentialsProvider(credentials)
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    IamClient iam = IamClient.builder().region(Region.AWS_GLOBAL).credentialsProvider(credentials)
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    return new AwsClients(lambda, iam, region);
  }

  /**
   * An S3 client for the region, from the default chains; with an endpoint override in effect (a stand-in,
   * which cannot do virtual-host addressing) it addresses buckets path-style.
   */
  static S3Client s3(Region region) {
    S3Client s3 = s3(region, false);
    if (s3.serviceClientConfiguration().endpointOverride().isEmpty()) {
      return s3;
    }
    s3.close();
    return s3(region, true);
  }

  private static S3Client s3(Region region, boolean pathStyle) {
    return S3Client.builder().region(region).credentialsProvider(DefaultCredentialsProvider.builder().build())
        .forcePathStyle(pathStyle).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  /** A CloudWatch Logs client for the region ({@code AWS_ENDPOINT_URL_CLOUDWATCH_LOGS} / {@code aws.endpointUrlCloudWatchLogs}). */
  static CloudWatchLogsClient logs(Region region) {
    return CloudWatchLogsClient.builder().region(region).credentialsProvider(DefaultCredentialsProvider.builder().build())
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  /**
   * A Step Functions client for the region ({@code AWS_ENDPOINT_URL_SFN} / {@code aws.endpointUrlSfn}) whose
   * connections wait {@code socketTimeout} for an answer (StartSyncExecution answers when the execution
   * ends). With an endpoint override in effect (a stand-in) the SDK's host prefix for StartSyncExecution
   * ({@code sync-}, AWS's separate endpoint for it) is not added, as it would make the stand-in's address
   * unresolvable. {@code retries}: false for a client that starts Express executions, which a retry after
   * a lost answer would run twice.
   */
  static software.amazon.awssdk.services.sfn.SfnClient sfn(Region region, java.time.Duration socketTimeout,
      boolean retries) {
    software.amazon.awssdk.services.sfn.SfnClient sfn = sfn(region, socketTimeout, retries, false);
    if (sfn.serviceClientConfiguration().endpointOverride().isEmpty()) {
      return sfn;
    }
    sfn.close();
    return sfn(region, socketTimeout, retries, true);
  }

  private static software.amazon.awssdk.services.sfn.SfnClient sfn(Region region, java.time.Duration socketTimeout,
      boolean retries, boolean withoutHostPrefix) {
    return software.amazon.awssdk.services.sfn.SfnClient.builder().region(region)
        .credentialsProvider(DefaultCredentialsProvider.builder().build())
        .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(socketTimeout))
        .overrideConfiguration(o -> {
          o.putAdvancedOption(software.amazon.awssdk.core.client.config.SdkAdvancedClientOption
              .DISABLE_HOST_PREFIX_INJECTION, withoutHostPrefix);
          if (!retries) {
            o.retryStrategy(software.amazon.awssdk.retries.DefaultRetryStrategy.doNotRetry());
          }
        })
        .build();
  }

  @Override
  public void close() {
    lambda.close();
    iam.close();
  }
}
