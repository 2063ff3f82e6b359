package io.sebs.junit.platform.aws;

import java.util.Locale;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CreateBucketConfiguration;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The deployment bucket for Lambda packages too large to upload directly (over 50 MB zipped): Lambda then
 * takes the code from S3 ({@code S3Bucket}/{@code S3Key}), which must be in the function's region. One bucket
 * per account and region, {@code sebs-junit-code-<account>-<region>}, created on first need and kept, so
 * unchanged packages are not uploaded again: keys are {@code <function>/<code hash>-<architecture>.zip}.
 * It is tagged {@value AwsPlatform#TAG} and {@link AwsResources} lists and removes it.
 */
final class CodeBucket implements AutoCloseable {

  static final String PREFIX = "sebs-junit-code-";
  /** {@code sebs-junit-code-<12-digit account>-<region>}. */
  static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "\\d{12}-[a-z0-9-]+");
  private static final Logger LOG = Logger.getLogger(CodeBucket.class.getName());

  /** Where Lambda finds a package. */
  record Location(String bucket, String key) {}

  private final Region region;
  private final String name;
  private S3Client s3;
  private boolean ensured;

  CodeBucket(Region region, String accountId) {
    this.region = region;
    this.name = name(accountId, region);
  }

  /** The account's code bucket in the region. */
  static String name(String accountId, Region region) {
    if (!accountId.matches("\\d{12}")) {
      throw new IllegalArgumentException("Not an AWS account id: '" + accountId + "' (12 digits expected)");
    }
    return PREFIX + accountId + "-" + region.id().toLowerCase(Locale.ROOT);
  }

  /** The account of an IAM or Lambda ARN ({@code arn:aws:<service>:<region>:<account>:...}). */
  static String accountOf(String arn) {
    String[] parts = arn.split(":");
    if (parts.length < 6 || !parts[4].matches("\\d{12}")) {
      throw new IllegalArgumentException("Cannot read the AWS account from the ARN '" + arn + "'");
    }
    return parts[4];
  }

  String name() {
    return name;
  }

  /** Uploads the package unless the bucket already holds it under its code hash; returns where it is. */
  synchronized Location upload(String functionName, String codeHash, String architecture, LambdaPackage zip) {
    S3Client client = client();
    ensureBucket(client);
    String key = functionName + "/" + codeHash + "-" + architecture + ".zip";
    if (!holds(client, key, zip.size())) {
      LOG.info(() -> "Uploading the " + zip.size() / 1024 + " KB package of " + functionName + " to s3://"
          + name + "/" + key);
      client.putObject(r -> r.bucket(name).key(key).contentLength(zip.size()), RequestBody.fromFile(zip.zip()));
    }
    return new Location(name, key);
  }

  private boolean holds(S3Client client, String key, long size) {
    try {
      return client.headObject(r -> r.bucket(name).key(key)).contentLength() == size;
    } catch (NoSuchKeyException absent) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  private void ensureBucket(S3Client client) {
    if (ensured) {
      return;
    }
    try {
      client.createBucket(b -> b.bucket(name).createBucketConfiguration(region.equals(Region.US_EAST_1) ? null
          : CreateBucketConfiguration.builder().locationConstraint(region.id()).build()));
      LOG.info(() -> "Created the deployment bucket " + name);
      tag(client);
    } catch (BucketAlreadyOwnedByYouException ours) {
      // created by an earlier run: reuse it
    } catch (BucketAlreadyExistsException taken) {
      throw new IllegalStateException("The deployment bucket name " + name + " is taken by another AWS account "
          + "(bucket names are global); packages over 50 MB cannot be uploaded until it is freed", taken);
    }
    ensured = true;
  }

  private void tag(S3Client client) {
    try {
      client.putBucketTagging(r -> r.bucket(name).tagging(t -> t.tagSet(
          Tag.builder().key(AwsPlatform.TAG).value("true").build())));
    } catch (S3Exception e) {
      // S3 stand-ins without tagging (501): the bucket is still recognised by its name
      if (e.statusCode() != 501) {
        throw e;
      }
      LOG.fine(() -> "The S3 endpoint does not support bucket tagging: " + e.getMessage());
    }
  }

  private S3Client client() {
    if (s3 == null) {
      s3 = AwsClients.s3(region);
    }
    return s3;
  }

  @Override
  public synchronized void close() {
    if (s3 != null) {
      s3.close();
    }
  }
}
