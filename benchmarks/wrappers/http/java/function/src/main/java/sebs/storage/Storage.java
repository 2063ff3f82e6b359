package sebs.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * sebs-junit local platform: object storage for Java benchmark functions, with SeBS's storage interface.
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
 * <p>The platform runs an S3-API server and tells each function instance where it is:
 * SEBS_STORAGE_ENDPOINT (e.g. http://127.0.0.1:39211, path-style addressing), AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), AWS_REGION / AWS_DEFAULT_REGION (default us-east-1).
 *
 * <p>On AWS Lambda (AWS_LAMBDA_FUNCTION_NAME is set; the aws platform packages this class with its Java
 * wrapper) SEBS_STORAGE_ENDPOINT is optional: without it the client talks to S3 of the function's region
 * (virtual-hosted addressing) with the execution role's credentials from the environment; with it (an
 * endpoint override, e.g. a test stand-in) addressing is path-style, as locally.
 *
 * <p>The AWS SDK for Java v2's S3Client (with its URLConnection HTTP client, the lightest one), as
 * SeBS's AWS wrapper uses the cloud SDK. The platform adds software.amazon.awssdk:s3 and
 * url-connection-client to the function's pom.xml, and packages this class, only when the benchmark's
 * config.json lists the "storage" module. The client is built on first use. SDK failures are rethrown
 * as IOException, so the methods keep SeBS's signatures.
 */
public final class Storage {

  static final String ENDPOINT_ENV = "SEBS_STORAGE_ENDPOINT";
  static final String DEFAULT_REGION = "us-east-1";

  private static volatile Storage instance;

  private final S3Client client;

  private Storage(S3Client client) {
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

  private static S3Client fromEnvironment() {
    String endpoint = env(ENDPOINT_ENV);
    boolean onLambda = !env("AWS_LAMBDA_FUNCTION_NAME").isEmpty();
    if (endpoint.isEmpty() && !onLambda) {
      throw new IllegalStateException(ENDPOINT_ENV + " is not set: this function instance has no object storage "
          + "(does the benchmark's config.json list \"storage\" in \"modules\"?)");
    }
    String region = env("AWS_REGION");
    if (region.isEmpty()) {
      region = env("AWS_DEFAULT_REGION");
    }
    if (region.isEmpty()) {
      region = DEFAULT_REGION;
    }
    String key = env("AWS_ACCESS_KEY_ID");
    String secret = env("AWS_SECRET_ACCESS_KEY");
    String token = env("AWS_SESSION_TOKEN");
    AwsCredentialsProvider credentials;
    if ((key.isEmpty() || secret.isEmpty()) && onLambda) {
      credentials = DefaultCredentialsProvider.builder().build();
    } else if (key.isEmpty() || secret.isEmpty()) {
      credentials = AnonymousCredentialsProvider.create();
    } else if (token.isEmpty()) {
      credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret));
    } else {
      credentials = StaticCredentialsProvider.create(AwsSessionCredentials.create(key, secret, token));
    }
    if (endpoint.isEmpty()) { // on Lambda: S3 of the function's region with the execution role's credentials
      return S3Client.builder()
          .region(Region.of(region))
          .credentialsProvider(credentials)
          .httpClientBuilder(UrlConnectionHttpClient.builder())
          .build();
    }
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint))
        .forcePathStyle(true)
        .region(Region.of(region))
        .credentialsProvider(credentials)
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        // plain SigV4 requests as every S3-API server accepts them (no aws-chunked trailing checksums)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
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

  // ------------------------------------------------------------------------------ SeBS's interface

  /** Uploads the local file filepath under a unique key derived from file; returns that key. */
  public String upload(String bucket, String file, Path filepath) throws IOException {
    String key = uniqueName(file);
    call("PUT", bucket, key, () -> client.putObject(b -> b.bucket(bucket).key(key)
        .contentType("application/octet-stream"), RequestBody.fromFile(filepath)));
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
    try (InputStream in = call("GET", bucket, file, () -> client.getObject(b -> b.bucket(bucket).key(file)))) {
      Files.copy(in, filepath, StandardCopyOption.REPLACE_EXISTING);
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
    call("PUT", bucket, key, () -> client.putObject(b -> b.bucket(bucket).key(key)
        .contentType("application/octet-stream"), RequestBody.fromBytes(data)));
    return key;
  }

  /** The content of the object file. */
  public byte[] downloadStream(String bucket, String file) throws IOException {
    return call("GET", bucket, file,
        () -> client.getObjectAsBytes(b -> b.bucket(bucket).key(file)).asByteArray());
  }

  /** Keys of the objects whose key starts with prefix, in S3's order (all pages). */
  public List<String> list(String bucket, String prefix) throws IOException {
    ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket)
        .prefix(prefix == null ? "" : prefix).build();
    return call("LIST", bucket, prefix, () -> {
      List<String> keys = new ArrayList<>();
      for (S3Object object : client.listObjectsV2Paginator(request).contents()) {
        keys.add(object.key());
      }
      return keys;
    });
  }

  // ------------------------------------------------------------------------------ errors

  private interface S3Call<T> {
    T run();
  }

  /** Runs an SDK call; its SdkException (service or client side) becomes an IOException naming the object. */
  private static <T> T call(String operation, String bucket, String key, S3Call<T> call) throws IOException {
    try {
      return call.run();
    } catch (SdkException e) {
      throw new IOException("S3 " + operation + " " + bucket + "/" + (key == null ? "" : key) + " failed: "
          + e.getMessage(), e);
    }
  }
}
