package io.sebs.junit.platform.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobUploadFromFileOptions;
import com.azure.core.util.BinaryData;
import io.sebs.junit.ObjectStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;

/**
 * {@link ObjectStorage} on Azure Blob Storage, through azure-storage-blob over the JDK's HTTP client. SeBS's
 * buckets are Blob containers of one storage account; keys are blob names (slashes are part of the name, as
 * in S3). Azure names containers more strictly than S3 and Cloud Storage: see {@link #checkContainerName}.
 *
 * <p>The account comes from a connection string: the one the Azure portal and {@code az storage account
 * show-connection-string} print, or Azurite's ({@code DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;
 * AccountKey=...;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1}). Function instances get the same string
 * (SeBS's {@code STORAGE_CONNECTION_STRING}), so both sides sign their requests with the account key.
 */
public final class AzureBlobObjectStorage implements ObjectStorage, AutoCloseable {

  /** Azure's container names: 3-63 lowercase letters, digits and single dashes, starting and ending alphanumeric. */
  private static final Pattern CONTAINER_NAME = Pattern.compile("[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}");

  private final BlobServiceClient service;
  private final String benchmarksBucket;

  /** @param connectionString the storage account's connection string (with its key or a SAS token) */
  public AzureBlobObjectStorage(String connectionString, String benchmarksBucket) {
    this(new BlobServiceClientBuilder().connectionString(connectionString).httpClient(httpClient())
        .buildClient(), benchmarksBucket);
  }

  /** Over a client built elsewhere (a token credential, a custom pipeline). */
  public AzureBlobObjectStorage(BlobServiceClient service, String benchmarksBucket) {
    this.service = service;
    this.benchmarksBucket = checkContainerName(benchmarksBucket);
  }

  /**
   * azure-core over {@code java.net.http}: azure-cosmos brings Netty's client onto the class path too, and
   * azure-core would take whichever provider it finds first.
   */
  static HttpClient httpClient() {
    return new JdkHttpClientBuilder().build();
  }

  /**
   * The name itself when Azure accepts it as a container name (3-63 characters: lowercase letters, digits and
   * dashes, no two dashes in a row, starting and ending with a letter or digit); otherwise an
   * IllegalArgumentException that says so.
   */
  public static String checkContainerName(String name) {
    if (name == null || !CONTAINER_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("'" + name + "' is not a valid Azure Blob container name (SeBS's buckets "
          + "are containers): use 3-63 lowercase letters, digits and single dashes, starting and ending with a "
          + "letter or digit");
    }
    return name;
  }

  public String accountName() {
    return service.getAccountName();
  }

  /** The account's Blob endpoint, e.g. {@code https://<account>.blob.core.windows.net}. */
  public String endpoint() {
    return service.getAccountUrl();
  }

  @Override
  public String benchmarksBucket() {
    return benchmarksBucket;
  }

  /** Creates the container unless it exists (private: no anonymous access). */
  @Override
  public void createBucket(String bucket) {
    try {
      service.getBlobContainerClient(checkContainerName(bucket)).createIfNotExists();
    } catch (BlobStorageException e) {
      throw failed("create container", bucket, "", e);
    }
  }

  private BlobContainerClient container(String bucket) {
    return service.getBlobContainerClient(bucket);
  }

  /** Uploads a file; large ones go as blocks in parallel (the client's choice), an existing blob is replaced. */
  @Override
  public void upload(String bucket, String key, Path file) {
    try {
      container(bucket).getBlobClient(key).uploadFromFileWithResponse(
          new BlobUploadFromFileOptions(file.toString()), null, null);
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException("Cannot upload " + file + " to " + url(bucket, key) + ": " + e.getMessage(),
          e.getCause());
    } catch (BlobStorageException e) {
      throw failed("upload", bucket, key, e);
    }
  }

  @Override
  public void upload(String bucket, String key, byte[] content) {
    try {
      container(bucket).getBlobClient(key).upload(BinaryData.fromBytes(content), true);
    } catch (BlobStorageException e) {
      throw failed("upload", bucket, key, e);
    }
  }

  @Override
  public byte[] download(String bucket, String key) {
    try {
      return container(bucket).getBlobClient(key).downloadContent().toBytes();
    } catch (BlobStorageException e) {
      throw failed("download", bucket, key, e);
    }
  }

  @Override
  public void download(String bucket, String key, Path target) {
    try {
      Path parent = target.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      container(bucket).getBlobClient(key).downloadToFile(target.toString(), true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (BlobStorageException e) {
      throw failed("download", bucket, key, e);
    }
  }

  /** Blob names under a prefix, sorted (the client follows the continuation markers). */
  @Override
  public List<String> list(String bucket, String prefix) {
    List<String> keys = new ArrayList<>();
    try {
      for (BlobItem blob : container(bucket).listBlobs(new ListBlobsOptions().setPrefix(
          prefix == null || prefix.isEmpty() ? null : prefix), null)) {
        keys.add(blob.getName());
      }
    } catch (BlobStorageException e) {
      throw failed("list", bucket, prefix, e);
    }
    keys.sort(null);
    return keys;
  }

  /** Deletes the blob; one that is not there is fine. */
  @Override
  public void delete(String bucket, String key) {
    try {
      container(bucket).getBlobClient(key).deleteIfExists();
    } catch (BlobStorageException e) {
      throw failed("delete", bucket, key, e);
    }
  }

  /** Deletes the container with its blobs (Azure removes them); one that is not there is fine. */
  @Override
  public void deleteBucket(String bucket) {
    try {
      container(bucket).deleteIfExists();
    } catch (BlobStorageException e) {
      throw failed("delete container", bucket, "", e);
    }
  }

  /** Names of the account's containers, sorted. */
  public List<String> buckets() {
    List<String> names = new ArrayList<>();
    service.listBlobContainers().forEach(c -> names.add(c.getName()));
    names.sort(null);
    return names;
  }

  private String url(String bucket, String key) {
    return service.getAccountUrl() + "/" + bucket + "/" + (key == null ? "" : key);
  }

  /** A missing blob or container is {@link NoSuchElementException}; other failures keep Azure's error code. */
  private RuntimeException failed(String operation, String bucket, String key, BlobStorageException e) {
    String code = e.getErrorCode() == null ? "" : e.getErrorCode().toString();
    if (e.getStatusCode() == 404) {
      NoSuchElementException missing = new NoSuchElementException("Cannot " + operation + " " + url(bucket, key)
          + ": " + (code.isEmpty() ? "not found" : code));
      missing.initCause(e);
      return missing;
    }
    return new IllegalStateException("Cannot " + operation + " " + url(bucket, key) + ": HTTP " + e.getStatusCode()
        + " " + code + " " + e.getServiceMessage(), e);
  }

  /** Nothing to release: the JDK client's connections close with it. */
  @Override
  public void close() {}
}
