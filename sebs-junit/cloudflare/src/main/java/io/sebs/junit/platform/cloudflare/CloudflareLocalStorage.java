package io.sebs.junit.platform.cloudflare;

import io.sebs.junit.NoSqlStorage;
import io.sebs.junit.storage.PlatformStorage;
import io.sebs.junit.storage.S3ObjectStorage;
import io.sebs.junit.storage.StorageEndpoints;
import io.sebs.junit.storage.local.LocalStorage;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * cloudflare-local's storage, arranged as R2 is on Cloudflare: the test side reads and writes objects through the S3
 * API (the local platform's S3-API server), and function Workers through R2 bucket bindings, which workerd sends to
 * {@link R2BindingServer} in this JVM, answering from that same server. NoSQL tables are Durable Objects of the
 * sebs-nosql Worker ({@link NoSqlWorker}, one workerd process for the run, started on first use): functions reach it
 * through their {@value NoSqlWorker#BINDING} service binding, the test through its HTTP API ({@link
 * CloudflareNoSqlStorage}). Workers get bindings, not endpoints and keys: {@link #endpoints()} hands functions nothing.
 */
final class CloudflareLocalStorage implements PlatformStorage {

  /** The binding name of the i-th bound bucket. */
  static final String R2_BINDING_PREFIX = "SEBS_R2_";

  private final LocalStorage local;
  private final java.util.function.Supplier<NoSqlWorker> noSqlWorkerStart;
  private S3Client bindingClient;
  private R2BindingServer r2Server;
  private NoSqlWorker noSqlWorker;
  private CloudflareNoSqlStorage noSql;

  /** @param noSqlWorkerStart starts the sebs-nosql Worker (called at most once, on first use of NoSQL) */
  CloudflareLocalStorage(Path cacheDir, String runId, java.util.function.Supplier<NoSqlWorker> noSqlWorkerStart) {
    this.local = new LocalStorage(cacheDir, runId);
    this.noSqlWorkerStart = noSqlWorkerStart;
  }

  @Override
  public S3ObjectStorage objectStorage() {
    return local.objectStorage();
  }

  /** The tables of the sebs-nosql Worker, through its HTTP API; the Worker starts on first use. */
  @Override
  public synchronized NoSqlStorage noSqlStorage() {
    if (noSql == null) {
      noSql = new CloudflareNoSqlStorage(noSqlWorker().endpoint(), java.util.Optional.empty());
    }
    return noSql;
  }

  /** A function's {@value NoSqlWorker#BINDING} service binding to the sebs-nosql Worker (started if it is not). */
  synchronized WorkerdConfig.ExternalService noSqlBinding() {
    return noSqlWorker().binding();
  }

  private NoSqlWorker noSqlWorker() {
    if (noSqlWorker == null) {
      noSqlWorker = noSqlWorkerStart.get();
    }
    return noSqlWorker;
  }

  /**
   * The R2 bindings of a function using object storage: the run's benchmarks bucket (created if missing, as a
   * deployment to Cloudflare creates it), served by the binding server started on first use.
   */
  synchronized List<WorkerdConfig.R2Bucket> r2Buckets() {
    S3ObjectStorage objects = objectStorage();
    String bucket = objects.benchmarksBucket();
    objects.createBucket(bucket);
    if (r2Server == null) {
      bindingClient = bindingClient(local.endpoints());
      r2Server = R2BindingServer.start(bindingClient);
    }
    return List.of(new WorkerdConfig.R2Bucket(R2_BINDING_PREFIX + 0, bucket, r2Server.address()));
  }

  /**
   * The binding server's S3 client: no optional checksums (the SDK's default CRC on every put streams the body
   * aws-chunked with a trailer, which costs the loopback server more than the copy itself).
   */
  private static S3Client bindingClient(StorageEndpoints endpoints) {
    return S3Client.builder()
        .endpointOverride(endpoints.s3())
        .forcePathStyle(true)
        .region(software.amazon.awssdk.regions.Region.of(endpoints.region()))
        .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(endpoints.accessKey(),
                endpoints.secretKey())))
        .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
        .build();
  }

  /** Workers reach storage through bindings: no endpoint or key goes into a function's environment. */
  @Override
  public StorageEndpoints endpoints() {
    return new StorageEndpoints(null, null, null, null, null);
  }

  @Override
  public synchronized void close() {
    if (noSqlWorker != null) {
      noSqlWorker.close();
    }
    if (r2Server != null) {
      r2Server.close();
      bindingClient.close();
    }
    local.close();
  }
}
