package io.sebs.junit.platform.gcp;

import com.google.auth.Credentials;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import io.sebs.junit.ObjectStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * {@link ObjectStorage} on Google Cloud Storage, through Google's Java client on its JSON API
 * ({@code StorageOptions.http()}): the transport every GCS stand-in and emulator speaks. Small uploads go as
 * one multipart request, files through a resumable session (the client's choice), so large inputs survive a
 * broken connection.
 *
 * <p>Bucket names are global across all projects: a name that exists in another project is an error saying
 * so, not a silent reuse.
 */
public final class GcsObjectStorage implements ObjectStorage, AutoCloseable {

  private final Storage storage;
  private final String project;
  private final String benchmarksBucket;
  private final String location;

  /**
   * @param baseUrl the JSON API's base URL (a stand-in or emulator, e.g. {@code http://127.0.0.1:4443}), or null
   *     for Google's
   * @param credentials the caller's credentials ({@link com.google.cloud.NoCredentials} for an emulator)
   * @param project the project new buckets are created in
   * @param location where new buckets are created (e.g. the functions' region {@code us-central1}), or null for
   *     Google's default ({@code US})
   */
  public GcsObjectStorage(String baseUrl, Credentials credentials, String project, String benchmarksBucket,
      String location) {
    StorageOptions.Builder options = StorageOptions.http().setProjectId(project).setCredentials(credentials);
    if (baseUrl != null) {
      options.setHost(baseUrl);
    }
    this.storage = options.build().getService();
    this.project = project;
    this.benchmarksBucket = benchmarksBucket;
    this.location = location;
  }

  @Override
  public String benchmarksBucket() {
    return benchmarksBucket;
  }

  /** Creates the bucket in the project; one that exists there already is fine, one of another project is not. */
  @Override
  public void createBucket(String bucket) {
    try {
      BucketInfo.Builder info = BucketInfo.newBuilder(bucket);
      if (location != null) {
        info.setLocation(location);
      }
      storage.create(info.build());
    } catch (StorageException e) {
      if (e.getCode() != 409) {
        throw new IllegalStateException("Cannot create bucket " + bucket + " in project " + project + ": "
            + e.getMessage(), e);
      }
      ownedOrTaken(bucket, e);
    }
  }

  /** After a 409: ours (readable) is fine; otherwise the name belongs to someone else. */
  private void ownedOrTaken(String bucket, StorageException conflict) {
    try {
      if (storage.get(bucket) != null) {
        return;
      }
    } catch (StorageException forbidden) {
      // 403: it exists and is not ours
    }
    throw new IllegalStateException("The bucket name " + bucket + " is already taken by another project (bucket"
        + " names are global across Google Cloud): start a new run, whose id and so bucket name differ", conflict);
  }

  /** Uploads a file through a resumable session (large files are sent in chunks). */
  @Override
  public void upload(String bucket, String key, Path file) {
    try {
      storage.createFrom(blob(bucket, key), file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot upload " + file + " to gs://" + bucket + "/" + key + ": "
          + e.getMessage(), e);
    } catch (StorageException e) {
      throw failed("upload", bucket, key, e);
    }
  }

  @Override
  public void upload(String bucket, String key, byte[] content) {
    try {
      storage.create(blob(bucket, key), content);
    } catch (StorageException e) {
      throw failed("upload", bucket, key, e);
    }
  }

  private static BlobInfo blob(String bucket, String key) {
    return BlobInfo.newBuilder(BlobId.of(bucket, key)).setContentType("application/octet-stream").build();
  }

  @Override
  public byte[] download(String bucket, String key) {
    try {
      return storage.readAllBytes(BlobId.of(bucket, key));
    } catch (StorageException e) {
      throw failed("download", bucket, key, e);
    }
  }

  @Override
  public void download(String bucket, String key, Path target) {
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      Files.deleteIfExists(target);
      storage.downloadTo(BlobId.of(bucket, key), target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (StorageException e) {
      throw failed("download", bucket, key, e);
    }
  }

  @Override
  public List<String> list(String bucket, String prefix) {
    List<String> keys = new ArrayList<>();
    try {
      for (Blob blob : storage.list(bucket, Storage.BlobListOption.prefix(prefix == null ? "" : prefix))
          .iterateAll()) {
        keys.add(blob.getName());
      }
    } catch (StorageException e) {
      throw failed("list", bucket, prefix, e);
    }
    keys.sort(null);
    return keys;
  }

  @Override
  public void delete(String bucket, String key) {
    try {
      storage.delete(BlobId.of(bucket, key));
    } catch (StorageException e) {
      throw failed("delete", bucket, key, e);
    }
  }

  @Override
  public void deleteBucket(String bucket) {
    try {
      for (Blob blob : storage.list(bucket).iterateAll()) {
        storage.delete(blob.getBlobId());
      }
      storage.delete(bucket);
    } catch (StorageException e) {
      if (e.getCode() != 404) {
        throw failed("delete bucket", bucket, "", e);
      }
    }
  }

  /** Names of the project's buckets. */
  public List<String> buckets() {
    List<String> names = new ArrayList<>();
    storage.list().iterateAll().forEach(b -> names.add(b.getName()));
    names.sort(null);
    return names;
  }

  /** A missing object is {@link NoSuchElementException}; other failures keep Google's message. */
  private static RuntimeException failed(String operation, String bucket, String key, StorageException e) {
    String object = "gs://" + bucket + "/" + (key == null ? "" : key);
    if (e.getCode() == 404) {
      NoSuchElementException missing = new NoSuchElementException("Cannot " + operation + " " + object
          + ": no such " + (e.getMessage() != null && e.getMessage().contains("bucket") ? "bucket" : "object")
          + " (" + e.getMessage() + ")");
      missing.initCause(e);
      return missing;
    }
    return new IllegalStateException("Cannot " + operation + " " + object + ": HTTP " + e.getCode() + " "
        + e.getMessage(), e);
  }

  @Override
  public void close() {
    try {
      storage.close();
    } catch (Exception e) {
      // nothing held open that matters
    }
  }
}
