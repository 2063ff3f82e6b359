package io.sebs.junit.storage;

import io.sebs.junit.ObjectStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CreateBucketConfiguration;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@link ObjectStorage} over the S3 API (AWS, or any S3-compatible server such as the local one). */
public final class S3ObjectStorage implements ObjectStorage, AutoCloseable {

  private final S3Client s3;
  private final String benchmarksBucket;

  public S3ObjectStorage(S3Client s3, String benchmarksBucket) {
    this.s3 = s3;
    this.benchmarksBucket = benchmarksBucket;
  }

  @Override
  public String benchmarksBucket() {
    return benchmarksBucket;
  }

  @Override
  public void createBucket(String bucket) {
    try {
      s3.headBucket(b -> b.bucket(bucket));
    } catch (NoSuchBucketException e) {
      try {
        String region = s3.serviceClientConfiguration().region().id();
        // outside us-east-1, S3 wants the bucket's region as its location constraint
        s3.createBucket(b -> b.bucket(bucket).createBucketConfiguration(region.equals("us-east-1") ? null
            : CreateBucketConfiguration.builder().locationConstraint(region).build()));
      } catch (BucketAlreadyOwnedByYouException raced) {
        // created meanwhile: fine
      }
    }
  }

  @Override
  public void upload(String bucket, String key, Path file) {
    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
  }

  @Override
  public void upload(String bucket, String key, byte[] content) {
    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
  }

  @Override
  public byte[] download(String bucket, String key) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }

  @Override
  public void download(String bucket, String key, Path target) {
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      Files.deleteIfExists(target);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toFile(target));
  }

  @Override
  public List<String> list(String bucket, String prefix) {
    List<String> keys = new ArrayList<>();
    s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))
        .contents().forEach((S3Object o) -> keys.add(o.key()));
    keys.sort(null);
    return keys;
  }

  @Override
  public void delete(String bucket, String key) {
    s3.deleteObject(b -> b.bucket(bucket).key(key));
  }

  @Override
  public void deleteBucket(String bucket) {
    try {
      for (String key : list(bucket, "")) {
        delete(bucket, key);
      }
      s3.deleteBucket(b -> b.bucket(bucket));
    } catch (NoSuchBucketException e) {
      // already gone
    }
  }

  /** Names of all buckets. */
  public List<String> buckets() {
    return s3.listBuckets().buckets().stream().map(b -> b.name()).sorted().toList();
  }

  @Override
  public void close() {
    s3.close();
  }
}
