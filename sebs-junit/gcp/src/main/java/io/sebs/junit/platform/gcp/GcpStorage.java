package io.sebs.junit.platform.gcp;

import com.google.auth.Credentials;
import io.sebs.junit.storage.PlatformStorage;
import io.sebs.junit.storage.StorageEndpoints;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Cloud Storage and Firestore in Datastore mode for the gcp platform, scoped to one run.
 *
 * <p>Naming: the run's bucket is {@code sebs-<run id>}, created in the project (and the functions' region) on
 * first use; bucket names are global across Google Cloud, so a name taken by another project is an error
 * saying so. NoSQL tables are kinds named {@code sebs-<run id>-<benchmark>-<table>} (the core's staging names
 * them, as on every platform) in the Firestore database {@value #DATASTORE_DATABASE} ({@code (default)} when
 * unset), which must exist in Datastore mode: Firestore databases are created with gcloud, not by a run. Both
 * stay after the run for inspection.
 *
 * <p>Functions: on Google Cloud the function-side modules use Google's endpoints with the service account's
 * token from the metadata server, so they get only {@code SEBS_NOSQL_DATABASE}. With an endpoint override in
 * effect (a stand-in or emulator) they also get it in Google's emulator variables, {@code
 * STORAGE_EMULATOR_HOST} (a base URL) and {@code DATASTORE_EMULATOR_HOST} ({@code host:port}), see
 * {@link #functionEnvironment()}. {@link StorageEndpoints} has no room for these: {@link #endpoints()} carries
 * the overrides in its two URL slots (so the core's environment gets {@code SEBS_STORAGE_ENDPOINT} / {@code
 * SEBS_NOSQL_ENDPOINT}, which the modules accept as well), and the platform adds {@link #functionEnvironment()}
 * when deploying. {@code SEBS_NOSQL_TABLES} comes from the core's staging.
 */
public final class GcpStorage implements PlatformStorage {

  /** The Firestore database (Datastore mode) of the NoSQL tables. */
  public static final String DATASTORE_DATABASE = "sebs.gcp.datastoreDatabase";
  public static final String DEFAULT_DATABASE = "(default)";

  private static final Logger LOG = Logger.getLogger(GcpStorage.class.getName());
  /** Cloud Storage's bucket names (3-63 lowercase letters, digits, dashes, underscores, dots). */
  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]");

  private final String project;
  private final Credentials credentials;
  private final URI storageEndpoint;
  private final URI datastoreEndpoint;
  private final String database;
  private final String location;
  private final String bucket;
  private GcsObjectStorage objectStorage;
  private DatastoreNoSqlStorage noSqlStorage;

  /**
   * @param storageEndpoint the Cloud Storage JSON API's base URL, or null for Google's
   * @param datastoreEndpoint the Datastore API's base URL, or null for Google's
   * @param database the Firestore database id, or null/blank for {@code (default)}
   * @param location where the run's bucket is created (the functions' region), or null for Google's default
   */
  public GcpStorage(String runId, String project, Credentials credentials, URI storageEndpoint,
      URI datastoreEndpoint, String database, String location) {
    this.project = project;
    this.credentials = credentials;
    this.storageEndpoint = storageEndpoint;
    this.datastoreEndpoint = datastoreEndpoint;
    this.database = database == null || database.isBlank() ? DEFAULT_DATABASE : database.strip();
    this.location = location;
    this.bucket = bucketName(runId);
  }

  /** {@code sebs-<run id>}, checked against Cloud Storage's naming rules. */
  static String bucketName(String runId) {
    String name = "sebs-" + runId;
    if (!BUCKET_NAME.matcher(name).matches() || name.contains("..") || name.contains("google")) {
      throw new IllegalArgumentException("The run's bucket name '" + name + "' is not a valid Cloud Storage bucket "
          + "name (3-63 characters: lowercase letters, digits, dashes, underscores and dots, without \"google\"): "
          + "the run id must be lowercase and at most 58 characters");
    }
    return name;
  }

  public String bucket() {
    return bucket;
  }

  public String database() {
    return database;
  }

  /** The run's bucket, created on first use. */
  @Override
  public synchronized GcsObjectStorage objectStorage() {
    if (objectStorage == null) {
      GcsObjectStorage storage = new GcsObjectStorage(storageEndpoint == null ? null : storageEndpoint.toString(),
          credentials, project, bucket, location);
      storage.createBucket(bucket);
      LOG.info(() -> "Using bucket " + bucket + " of project " + project
          + (storageEndpoint == null ? "" : " at " + storageEndpoint));
      objectStorage = storage;
    }
    return objectStorage;
  }

  /** The database's tables; a database that does not exist fails here, naming the gcloud command. */
  @Override
  public synchronized DatastoreNoSqlStorage noSqlStorage() {
    if (noSqlStorage == null) {
      DatastoreNoSqlStorage storage = new DatastoreNoSqlStorage(
          datastoreEndpoint == null ? null : datastoreEndpoint.toString(), project, database, credentials);
      storage.verifyDatabase();
      noSqlStorage = storage;
    }
    return noSqlStorage;
  }

  /** The endpoint overrides of the services in use (null = Google's); no credentials (the metadata server's). */
  @Override
  public synchronized StorageEndpoints endpoints() {
    return new StorageEndpoints(objectStorage == null ? null : storageEndpoint,
        noSqlStorage == null ? null : datastoreEndpoint, null, null, null);
  }

  /**
   * What function instances need beyond {@link StorageEndpoints#functionEnvironment()}: the database id, and
   * Google's emulator variables when an override is in effect.
   */
  public synchronized Map<String, String> functionEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    if (objectStorage != null && storageEndpoint != null) {
      env.put("STORAGE_EMULATOR_HOST", storageEndpoint.toString());
    }
    if (noSqlStorage != null) {
      if (datastoreEndpoint != null) {
        env.put("DATASTORE_EMULATOR_HOST", datastoreEndpoint.getHost() + ":" + port(datastoreEndpoint));
      }
      env.put("SEBS_NOSQL_DATABASE", database);
    }
    return env;
  }

  private static int port(URI uri) {
    return uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  /** Closes the clients; the bucket and the kinds stay. */
  @Override
  public synchronized void close() {
    if (objectStorage != null) {
      LOG.info(() -> "Bucket " + bucket + " of project " + project + " left for inspection");
      objectStorage.close();
    }
    if (noSqlStorage != null) {
      noSqlStorage.close();
    }
  }
}
