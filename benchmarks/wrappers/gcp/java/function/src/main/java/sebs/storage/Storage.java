package sebs.storage;

import com.google.auth.oauth2.ComputeEngineCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * sebs-junit gcp platform: object storage for Java benchmark functions, with SeBS's storage interface.
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
 * <p>Google's google-cloud-storage on the JSON API ({@code StorageOptions.http()}). Where it goes:
 * STORAGE_EMULATOR_HOST (an endpoint override, Google's convention, e.g. http://127.0.0.1:4443; plain HTTP;
 * SEBS_STORAGE_ENDPOINT is accepted likewise), otherwise storage.googleapis.com with the function's service
 * account (Application Default Credentials: the metadata server on Cloud Functions). With an override, requests
 * carry the metadata server's token only when GCE_METADATA_HOST is set explicitly (a stand-in that checks
 * tokens); emulators take none.
 *
 * <p>The platform adds com.google.cloud:google-cloud-storage to the function's pom.xml, and packages this
 * class, only when the benchmark's config.json lists the "storage" module. The client is built on first use.
 * Client failures are rethrown as IOException, so the methods keep SeBS's signatures.
 */
public final class Storage {

  static final String EMULATOR_ENV = "STORAGE_EMULATOR_HOST";
  static final String ENDPOINT_ENV = "SEBS_STORAGE_ENDPOINT";

  private static volatile Storage instance;

  private final com.google.cloud.storage.Storage client;

  private Storage(com.google.cloud.storage.Storage client) {
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

  private static com.google.cloud.storage.Storage fromEnvironment() {
    String endpoint = env(EMULATOR_ENV);
    if (endpoint.isEmpty()) {
      endpoint = env(ENDPOINT_ENV);
    }
    if (endpoint.isEmpty()) {
      return StorageOptions.http().build().getService();
    }
    if (!endpoint.contains("://")) {
      endpoint = "http://" + endpoint;
    }
    String project = env("GOOGLE_CLOUD_PROJECT");
    StorageOptions.Builder options = StorageOptions.http().setHost(endpoint.replaceAll("/+$", ""))
        .setProjectId(project.isEmpty() ? "sebs" : project)
        .setCredentials(env("GCE_METADATA_HOST").isEmpty() ? NoCredentials.getInstance()
            : ComputeEngineCredentials.create());
    return options.build().getService();
  }

  private static String env(String name) {
    String value = System.getenv(name);
    return value == null ? "" : value.strip();
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

  private static BlobInfo blob(String bucket, String key) {
    return BlobInfo.newBuilder(BlobId.of(bucket, key)).setContentType("application/octet-stream").build();
  }

  // ------------------------------------------------------------------------------ SeBS's interface

  /** Uploads the local file filepath under a unique key derived from file; returns that key. */
  public String upload(String bucket, String file, Path filepath) throws IOException {
    String key = uniqueName(file);
    try {
      client.createFrom(blob(bucket, key), filepath);
    } catch (StorageException e) {
      throw failed("upload", bucket, key, e);
    }
    return key;
  }

  /** Uploads the local file filepath under a unique key derived from file; returns that key. */
  public String upload(String bucket, String file, String filepath) throws IOException {
    return upload(bucket, file, Path.of(filepath));
  }

  /** Downloads the object file into the local path filepath (its parent folders are created). */
  public void download(String bucket, String file, Path filepath) throws IOException {
    Path parent = filepath.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      client.downloadTo(BlobId.of(bucket, file), filepath);
    } catch (StorageException e) {
      throw failed("download", bucket, file, e);
    }
  }

  /** Downloads the object file into the local path filepath (its parent folders are created). */
  public void download(String bucket, String file, String filepath) throws IOException {
    download(bucket, file, Path.of(filepath));
  }

  /**
   * Downloads every object whose key starts with prefix to path/&lt;key&gt;, creating directories. As in
   * SeBS, the whole key (prefix included) is the file's path below path.
   */
  public void downloadDirectory(String bucket, String prefix, Path path) throws IOException {
    Path root = path.toAbsolutePath().normalize();
    for (String key : list(bucket, prefix)) {
      if (key.endsWith("/")) {
        continue; // a "folder" marker object, nothing to write
      }
      Path target = root.resolve(key).normalize();
      if (!target.startsWith(root)) {
        throw new IOException("object key " + key + " would be written outside " + root);
      }
      download(bucket, key, target);
    }
  }

  /** Downloads every object whose key starts with prefix to path/&lt;key&gt;. */
  public void downloadDirectory(String bucket, String prefix, String path) throws IOException {
    downloadDirectory(bucket, prefix, Path.of(path));
  }

  /** Uploads data under a unique key derived from file; returns that key. */
  public String uploadStream(String bucket, String file, byte[] data) throws IOException {
    String key = uniqueName(file);
    try {
      client.create(blob(bucket, key), data);
    } catch (StorageException e) {
      throw failed("upload", bucket, key, e);
    }
    return key;
  }

  /** The content of the object file. */
  public byte[] downloadStream(String bucket, String file) throws IOException {
    try {
      return client.readAllBytes(BlobId.of(bucket, file));
    } catch (StorageException e) {
      throw failed("download", bucket, file, e);
    }
  }

  /** Keys of the objects whose key starts with prefix, in name order (all pages). */
  public List<String> list(String bucket, String prefix) throws IOException {
    List<String> keys = new ArrayList<>();
    try {
      for (Blob blob : client.list(bucket, com.google.cloud.storage.Storage.BlobListOption
          .prefix(prefix == null ? "" : prefix)).iterateAll()) {
        keys.add(blob.getName());
      }
    } catch (StorageException e) {
      throw failed("list", bucket, prefix, e);
    }
    return keys;
  }

  private static IOException failed(String operation, String bucket, String key, StorageException e) {
    return new IOException("Cloud Storage " + operation + " gs://" + bucket + "/" + (key == null ? "" : key)
        + " failed: HTTP " + e.getCode() + " " + e.getMessage(), e);
  }
}
