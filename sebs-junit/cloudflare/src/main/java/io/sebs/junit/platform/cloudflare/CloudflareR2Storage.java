package io.sebs.junit.platform.cloudflare;

import io.sebs.junit.NoSqlStorage;
import io.sebs.junit.ObjectStorage;
import io.sebs.junit.storage.PlatformStorage;
import io.sebs.junit.storage.S3ObjectStorage;
import io.sebs.junit.storage.StorageEndpoints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Storage of the cloudflare platform: R2. Buckets are created and deleted through Cloudflare's API (as wrangler
 * does), Workers read and write them through R2 bucket bindings, and the test side through R2's S3 API with an R2
 * API token's keys ({@link CloudflareSettings.R2}). The buckets the run created are emptied and deleted when it
 * closes. NoSQL tables are the run's sebs-nosql Worker's ({@link DeployedNoSqlWorker}), which the platform
 * deploys on the first call of {@link #noSqlStorage()} and deletes itself.
 */
final class CloudflareR2Storage implements PlatformStorage {

  private static final Logger LOG = Logger.getLogger(CloudflareR2Storage.class.getName());

  private final String runId;
  private final CloudflareApi api;
  private final CloudflareSettings.R2 r2;
  private final java.util.function.Supplier<NoSqlStorage> noSqlStart;
  private NoSqlStorage noSql;
  private final Set<String> created = new LinkedHashSet<>();
  private S3ObjectStorage s3;
  private R2Objects objects;

  /** @param noSqlStart the tables of the run's sebs-nosql Worker (deploying it), called on first use */
  CloudflareR2Storage(String runId, CloudflareApi api, CloudflareSettings.R2 r2,
      java.util.function.Supplier<NoSqlStorage> noSqlStart) {
    this.runId = runId;
    this.api = api;
    this.r2 = r2;
    this.noSqlStart = noSqlStart;
  }

  /** R2 bucket names: 3-63 lowercase letters, digits and hyphens. */
  static String bucketName(String runId) {
    String name = ("sebs-" + runId).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-+$", "");
    return name.length() <= 63 ? name : name.substring(0, 63).replaceAll("-+$", "");
  }

  @Override
  public synchronized ObjectStorage objectStorage() {
    if (objects == null) {
      String[] keys = r2.keys();
      S3Client client = S3Client.builder()
          .endpointOverride(r2.endpoint())
          .region(Region.of("auto"))
          .forcePathStyle(true)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(keys[0], keys[1])))
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
          .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
          .build();
      s3 = new S3ObjectStorage(client, bucketName(runId));
      objects = new R2Objects();
    }
    return objects;
  }

  /** The R2 buckets a function using object storage is bound to: binding name to bucket (the run's bucket). */
  synchronized java.util.Map<String, String> r2Bindings() {
    ObjectStorage objects = objectStorage();
    objects.createBucket(objects.benchmarksBucket());
    return java.util.Map.of(CloudflareLocalStorage.R2_BINDING_PREFIX + 0, objects.benchmarksBucket());
  }

  /** The tables of the run's sebs-nosql Worker on workers.dev, with the run's secret; deployed on first use. */
  @Override
  public synchronized NoSqlStorage noSqlStorage() {
    if (noSql == null) {
      noSql = noSqlStart.get();
    }
    return noSql;
  }

  /** Workers reach R2 through bindings: no endpoint or key goes into a function's environment. */
  @Override
  public StorageEndpoints endpoints() {
    return new StorageEndpoints(null, null, null, null, null);
  }

  /** Empties and deletes the buckets this run created; those that stay are named in the log and the exception. */
  @Override
  public synchronized void close() {
    List<String> failed = new ArrayList<>();
    for (String bucket : new ArrayList<>(created)) {
      try {
        for (String key : s3.list(bucket, "")) {
          s3.delete(bucket, key);
        }
        api.deleteR2Bucket(bucket);
        created.remove(bucket);
      } catch (RuntimeException e) {
        failed.add(bucket + " (" + e.getMessage() + ")");
      }
    }
    if (s3 != null) {
      s3.close();
    }
    if (!failed.isEmpty()) {
      String message = "R2 buckets left in the Cloudflare account, delete them by hand (dashboard > R2, or wrangler r2"
          + " bucket delete <bucket>): " + String.join(", ", failed);
      LOG.severe(message);
      throw new IllegalStateException(message);
    }
  }

  /** The buckets this run created and has not deleted. */
  synchronized List<String> createdBuckets() {
    return List.copyOf(created);
  }

  /** Objects through R2's S3 API; buckets through Cloudflare's API. */
  private final class R2Objects implements ObjectStorage {

    @Override
    public String benchmarksBucket() {
      return s3.benchmarksBucket();
    }

    @Override
    public void createBucket(String bucket) {
      synchronized (CloudflareR2Storage.this) {
        if (!created.contains(bucket)) {
          api.createR2Bucket(bucket);
          created.add(bucket);
        }
      }
    }

    @Override
    public void upload(String bucket, String key, Path file) {
      s3.upload(bucket, key, file);
    }

    @Override
    public void upload(String bucket, String key, byte[] content) {
      s3.upload(bucket, key, content);
    }

    @Override
    public byte[] download(String bucket, String key) {
      return s3.download(bucket, key);
    }

    @Override
    public void download(String bucket, String key, Path target) {
      s3.download(bucket, key, target);
    }

    @Override
    public List<String> list(String bucket, String prefix) {
      return s3.list(bucket, prefix);
    }

    @Override
    public void delete(String bucket, String key) {
      s3.delete(bucket, key);
    }

    @Override
    public void deleteBucket(String bucket) {
      try {
        for (String key : s3.list(bucket, "")) {
          s3.delete(bucket, key);
        }
      } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException e) {
        // gone already
      }
      api.deleteR2Bucket(bucket);
      synchronized (CloudflareR2Storage.this) {
        created.remove(bucket);
      }
    }
  }
}
