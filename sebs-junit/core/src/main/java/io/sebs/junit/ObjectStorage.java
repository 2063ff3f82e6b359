package io.sebs.junit;

import java.nio.file.Path;
import java.util.List;

/**
 * Object storage on the target platform (S3 on AWS and on the local platform's loopback server), for
 * tests that prepare or check a benchmark's data. Injected into tests of a {@link ServerlessBenchmark};
 * the same calls work on every platform.
 */
public interface ObjectStorage {

  /** The run's bucket for benchmark data: generated inputs go under its input prefixes. */
  String benchmarksBucket();

  /** Creates a bucket if it does not exist. */
  void createBucket(String bucket);

  void upload(String bucket, String key, Path file);

  void upload(String bucket, String key, byte[] content);

  byte[] download(String bucket, String key);

  void download(String bucket, String key, Path target);

  /** Keys under a prefix, sorted. */
  List<String> list(String bucket, String prefix);

  void delete(String bucket, String key);

  /** Deletes the bucket and everything in it; nothing happens when it does not exist. */
  void deleteBucket(String bucket);
}
