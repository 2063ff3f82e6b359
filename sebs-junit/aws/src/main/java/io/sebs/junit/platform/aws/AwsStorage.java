package io.sebs.junit.platform.aws;

import io.sebs.junit.storage.DynamoDbNoSqlStorage;
import io.sebs.junit.storage.PlatformStorage;
import io.sebs.junit.storage.S3ObjectStorage;
import io.sebs.junit.storage.StorageEndpoints;
import java.net.URI;
import java.time.Duration;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CreateBucketConfiguration;

/**
 * S3 and DynamoDB for the aws platform, through the same {@link S3ObjectStorage} and
 * {@link DynamoDbNoSqlStorage} as the local platform. Clients take credentials and region from the SDK's
 * default chains (never static keys) and honour its endpoint overrides ({@code AWS_ENDPOINT_URL_S3} /
 * {@code aws.endpointUrlS3}, {@code AWS_ENDPOINT_URL_DYNAMODB} / {@code aws.endpointUrlDynamoDb} (this spelling: the SDK
 * ignores {@code aws.endpointUrlDynamodb}), else the
 * global {@code AWS_ENDPOINT_URL} / {@code aws.endpointUrl}); S3 uses path-style addressing only when its
 * endpoint is overridden.
 *
 * <p>Naming: the run's bucket is {@code sebs-<run id>} ({@code sebs-yyyyMMdd-HHmmss-<6 hex>}, 27 characters,
 * lowercase), created in the platform's region; S3 bucket names are global across all accounts, so a name
 * taken by someone else is an error saying so. Tables are {@code sebs-<run id>-<benchmark>-<table>}. Both
 * stay after the run, and {@link AwsResources} finds them by these names and removes them.
 *
 * <p>Functions: with no override they get no storage endpoint and their modules use the SDK's defaults on
 * Lambda (the execution role's credentials, the function's region); with an override in effect, its URL is
 * passed to them as {@code SEBS_STORAGE_ENDPOINT} / {@code SEBS_NOSQL_ENDPOINT}, so functions reach the same
 * stand-in the platform does (only meaningful when functions can reach it, e.g. a test's stub on loopback).
 */
public final class AwsStorage implements PlatformStorage {

  private static final Logger LOG = Logger.getLogger(AwsStorage.class.getName());
  /** What S3 accepts as a bucket name (3-63 lowercase letters, digits, dots, hyphens). */
  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  private final Region region;
  private final String bucket;
  private S3ObjectStorage objectStorage;
  private URI s3Override;
  private DynamoDbNoSqlStorage noSqlStorage;
  private URI dynamoOverride;

  public AwsStorage(Region region, String runId) {
    this.region = region;
    this.bucket = bucketName(runId);
  }

  /** {@code sebs-<run id>}, checked against S3's naming rules. */
  static String bucketName(String runId) {
    String name = "sebs-" + runId;
    if (!BUCKET_NAME.matcher(name).matches() || name.contains("..")) {
      throw new IllegalArgumentException("The run's bucket name '" + name + "' is not a valid S3 bucket name "
          + "(3-63 characters: lowercase letters, digits, dots and hyphens): the run id must be lowercase and "
          + "at most 58 characters");
    }
    return name;
  }

  /** The run's bucket, created in the region on first use. */
  @Override
  public synchronized S3ObjectStorage objectStorage() {
    if (objectStorage == null) {
      S3Client s3 = s3Client(false);
      s3Override = s3.serviceClientConfiguration().endpointOverride().orElse(null);
      if (s3Override != null) { // a stand-in (not virtual-host capable): path-style addressing
        s3.close();
        s3 = s3Client(true);
      }
      createRunBucket(s3);
      objectStorage = new S3ObjectStorage(s3, bucket);
    }
    return objectStorage;
  }

  private S3Client s3Client(boolean pathStyle) {
    return S3Client.builder().region(region).credentialsProvider(DefaultCredentialsProvider.builder().build())
        .forcePathStyle(pathStyle).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  private void createRunBucket(S3Client s3) {
    try {
      s3.createBucket(b -> b.bucket(bucket).createBucketConfiguration(region.equals(Region.US_EAST_1) ? null
          : CreateBucketConfiguration.builder().locationConstraint(region.id()).build()));
      LOG.info(() -> "Created bucket " + bucket + " in " + region + (s3Override == null ? "" : " at " + s3Override));
    } catch (BucketAlreadyOwnedByYouException ours) {
      // created earlier by this run (or a run with the same id): reuse it
    } catch (BucketAlreadyExistsException taken) {
      throw new IllegalStateException("The S3 bucket name " + bucket + " is already taken by another AWS account "
          + "(bucket names are global): start a new run, whose id and so bucket name differ", taken);
    }
  }

  @Override
  public synchronized DynamoDbNoSqlStorage noSqlStorage() {
    if (noSqlStorage == null) {
      DynamoDbClient dynamo = DynamoDbClient.builder().region(region)
          .credentialsProvider(DefaultCredentialsProvider.builder().build())
          .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
      dynamoOverride = dynamo.serviceClientConfiguration().endpointOverride().orElse(null);
      noSqlStorage = new DynamoDbNoSqlStorage(dynamo, Duration.ofMinutes(2));
    }
    return noSqlStorage;
  }

  /**
   * For functions: only the endpoint overrides in effect (null = the SDK's default endpoint), no
   * credentials and no region, which Lambda provides (and reserves).
   */
  @Override
  public synchronized StorageEndpoints endpoints() {
    return new StorageEndpoints(s3Override, dynamoOverride, null, null, null);
  }

  /** Closes the clients; the run's bucket and tables stay (remove them with {@link AwsResources}). */
  @Override
  public synchronized void close() {
    if (objectStorage != null) {
      LOG.info(() -> "Bucket " + bucket + " left for inspection (remove with AwsResources --delete --run <run id>)");
      objectStorage.close();
    }
    if (noSqlStorage != null) {
      noSqlStorage.close();
    }
  }
}
