package sebs.storage;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * sebs-junit azure platform: object storage for Java benchmark functions, with SeBS's storage interface
 * (buckets are Blob containers).
 *
 * <p>Benchmark code uses it as on any SeBS platform:
 * <pre>{@code
 * Storage client = Storage.getInstance();
 * byte[] image = client.downloadStream(bucket, input + "/" + key);
 * String stored = client.uploadStream(bucket, output + "/thumb.jpg", jpeg);   // a unique key
 * String archive = client.upload(bucket, output + "/data.zip", Path.of("/tmp/data.zip"));
 * client.downloadDirectory(bucket, input + "/dataset/", workDir);          // workDir/<whole key>
 * }</pre>
 *
 * <p>Microsoft's azure-storage-blob over azure-core's JDK HTTP client, on the storage account of
 * STORAGE_CONNECTION_STRING (the variable SeBS's Azure functions get: the account's connection string with its
 * key or a SAS token). The platform adds com.azure:azure-storage-blob and com.azure:azure-core-http-jdk-httpclient
 * to the function's pom.xml, and packages this class, only when the benchmark's config.json lists the "storage"
 * module. The client is built on first use. Client failures are rethrown as IOException, so the methods keep
 * SeBS's signatures.
 */
public final class Storage {

  static final String CONNECTION_STRING_ENV = "STORAGE_CONNECTION_STRING";

  private static volatile Storage instance;

  private final BlobServiceClient client;

  private Storage(BlobServiceClient client) {
    this.client = client;
  }

  /** The shared instance, configured from the environment on first use. */
  public static Storage getInstance() {
    Storage s = instance;
    if (s == null) {
      synchronized (Storage.class) {
        s = instance;
        if (s == null) {
          s = new Storage(fromEnvironment());
          instance = s;
        }
      }
    }
    return s;
  }

  private static BlobServiceClient fromEnvironment() {
    String connectionString = System.getenv(CONNECTION_STRING_ENV);
    if (connectionString == null || connectionString.isBlank()) {
      throw new IllegalStateException(CONNECTION_STRING_ENV + " is not set: the function has no storage account");
    }
    return new BlobServiceClientBuilder().connectionString(connectionString.strip())
        .httpClient(new JdkHttpClientBuilder().build()).buildClient();
  }

  /** "dir/photo.jpg" to "dir/photo.1a2b3c4d.jpg": 8 random hex digits before the extension. */
  public static String uniqueName(String name) {
    int slash = name.lastIndexOf('/');
    String base = name.substring(slash + 1);
    int dot = base.lastIndexOf('.');
    // as Python's os.path.splitext: leading dots of the file name do not start an extension
    int firstNonDot = 0;
    while (firstNonDot < base.length() && base.charAt(firstNonDot) == '.') {
      firstNonDot++;
    }
    String random = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    if (dot < 0 || firstNonDot >= dot) {
      return name + "." + random;
    }
    int split = slash + 1 + dot;
    return name.substring(0, split) + "." + random + name.substring(split);
  }

  private BlobContainerClient container(String bucket) {
    return client.getBlobContainerClient(bucket);
  }

  // ------------------------------------------------------------------------------ SeBS's interface

  /** Uploads the local file filepath under a unique key derived from file; returns that key. */
  public String upload(String bucket, String file, Path filepath) throws IOException {
    String key = uniqueName(file);
    try {
      container(bucket).getBlobClient(key).uploadFromFile(filepath.toString(), true);
    } catch (BlobStorageException e) {
      throw failed("upload", bucket, key, e);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return key;
  }

  /** Uploads the local file filepath under a unique key derived from file; returns that key. */
  public String upload(String bucket, String file, String filepath) throws IOException {
    return upload(bucket, file, Path.of(filepath));
  }

  /** Downloads the blob file into the local path filepath (its parent folders are created). */
  public void download(String bucket, String file, Path filepath) throws IOException {
    Path parent = filepath.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      container(bucket).getBlobClient(file).downloadToFile(filepath.toString(), true);
    } catch (BlobStorageException e) {
      throw failed("download", bucket, file, e);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Downloads the blob file into the local path filepath (its parent folders are created). */
  public void download(String bucket, String file, String filepath) throws IOException {
    download(bucket, file, Path.of(filepath));
  }

  /**
   * Downloads every blob whose name starts with prefix to path/&lt;name&gt;, creating directories. As in SeBS,
   * the whole name (prefix included) is the file's path below path.
   */
  public void downloadDirectory(String bucket, String prefix, Path path) throws IOException {
    Path root = path.toAbsolutePath().normalize();
    for (String key : list(bucket, prefix)) {
      if (key.endsWith("/")) {
        continue; // a "folder" marker blob, nothing to write
      }
      Path target = root.resolve(key).normalize();
      if (!target.startsWith(root)) {
        throw new IOException("blob name " + key + " would be written outside " + root);
      }
      download(bucket, key, target);
    }
  }

  /** Downloads every blob whose name starts with prefix to path/&lt;name&gt;. */
  public void downloadDirectory(String bucket, String prefix, String path) throws IOException {
    downloadDirectory(bucket, prefix, Path.of(path));
  }

  /** Uploads data under a unique key derived from file; returns that key. */
  public String uploadStream(String bucket, String file, byte[] data) throws IOException {
    String key = uniqueName(file);
    try {
      container(bucket).getBlobClient(key).upload(BinaryData.fromBytes(data), true);
    } catch (BlobStorageException e) {
      throw failed("upload", bucket, key, e);
    }
    return key;
  }

  /** The content of the blob file. */
  public byte[] downloadStream(String bucket, String file) throws IOException {
    try {
      return container(bucket).getBlobClient(file).downloadContent().toBytes();
    } catch (BlobStorageException e) {
      throw failed("download", bucket, file, e);
    }
  }

  /** Names of the blobs whose name starts with prefix, in name order (all pages). */
  public List<String> list(String bucket, String prefix) throws IOException {
    List<String> keys = new ArrayList<>();
    try {
      for (BlobItem blob : container(bucket).listBlobs(new ListBlobsOptions()
          .setPrefix(prefix == null || prefix.isEmpty() ? null : prefix), null)) {
        keys.add(blob.getName());
      }
    } catch (BlobStorageException e) {
      throw failed("list", bucket, prefix, e);
    }
    return keys;
  }

  private IOException failed(String operation, String bucket, String key, BlobStorageException e) {
    return new IOException("Blob Storage " + operation + " " + client.getAccountUrl() + "/" + bucket + "/"
        + (key == null ? "" : key) + " failed: HTTP " + e.getStatusCode() + " " + e.getErrorCode(), e);
  }
}
