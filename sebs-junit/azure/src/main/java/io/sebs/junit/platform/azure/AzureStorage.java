package io.sebs.junit.platform.azure;

import io.sebs.junit.storage.PlatformStorage;
import io.sebs.junit.storage.StorageEndpoints;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Blob Storage and Cosmos DB for the azure platform, scoped to one run.
 *
 * <p>Naming: the run's bucket is the Blob container {@code sebs-<run id>} of the storage account, created on
 * first use (container names are per account, so no other subscription can hold it). NoSQL tables are Cosmos
 * containers named {@code sebs-<run id>-<benchmark>-<table>} (the core's staging names them, as on every
 * platform) in one database ({@link #database()}), created on first use with the partition key path SeBS uses.
 * Both stay after the run for inspection.
 *
 * <p>Functions: {@link #functionEnvironment()} is what the function-side modules read, under the names SeBS's
 * Azure wrappers use: {@code STORAGE_CONNECTION_STRING} (Blob, with the account key) once object storage is in
 * use; {@code NOSQL_STORAGE_DATABASE}, {@code NOSQL_STORAGE_URL} and {@code NOSQL_STORAGE_CREDS} (the Cosmos
 * account key) once NoSQL is. The platform puts them into the function app's settings. {@code SEBS_NOSQL_TABLES}
 * comes from the core's staging. {@link #endpoints()} carries the two endpoints (no secrets) in the slots of
 * {@link StorageEndpoints}, so functions also get them as {@code SEBS_STORAGE_ENDPOINT} /
 * {@code SEBS_NOSQL_ENDPOINT}, for information.
 */
public final class AzureStorage implements PlatformStorage {

  /** SeBS's variables, read by its Azure wrappers' storage and nosql modules (and ours). */
  public static final String STORAGE_CONNECTION_STRING = "STORAGE_CONNECTION_STRING";
  public static final String NOSQL_STORAGE_DATABASE = "NOSQL_STORAGE_DATABASE";
  public static final String NOSQL_STORAGE_URL = "NOSQL_STORAGE_URL";
  public static final String NOSQL_STORAGE_CREDS = "NOSQL_STORAGE_CREDS";

  private static final Logger LOG = Logger.getLogger(AzureStorage.class.getName());

  private final java.util.function.Supplier<String> blobSource;
  private final java.util.function.Supplier<CosmosAccount> cosmosSource;
  private String blobConnectionString;
  private URI cosmosEndpoint;
  private String cosmosKey;
  private final String database;

  /** A Cosmos DB account's endpoint and key. */
  public record CosmosAccount(URI endpoint, String key) {}
  private final String bucket;
  private AzureBlobObjectStorage objectStorage;
  private CosmosNoSqlStorage noSqlStorage;

  /**
   * @param blobConnectionString the storage account's connection string (with its key), or null when the run
   *     uses no object storage
   * @param cosmosEndpoint the Cosmos DB account's endpoint, or null when the run uses no NoSQL tables
   * @param cosmosKey the Cosmos DB account's key
   * @param database the Cosmos DB database of the run's tables (created on first use)
   */
  public AzureStorage(String runId, String blobConnectionString, URI cosmosEndpoint, String cosmosKey,
      String database) {
    this(runId, () -> blobConnectionString,
        () -> cosmosEndpoint == null ? null : new CosmosAccount(cosmosEndpoint, cosmosKey), database);
  }

  /**
   * With the accounts found or created on first use of each service (the platform creates a Cosmos DB account
   * only for a run that uses NoSQL tables); a supplier may return null for a service the run cannot use.
   */
  public AzureStorage(String runId, java.util.function.Supplier<String> blobConnectionString,
      java.util.function.Supplier<CosmosAccount> cosmosAccount, String database) {
    this.bucket = bucketName(runId);
    this.blobSource = blobConnectionString;
    this.cosmosSource = cosmosAccount;
    this.database = database;
  }

  /**
   * With the storage account's Blob endpoint, name and key instead of its connection string.
   *
   * @param blobEndpoint e.g. {@code https://<account>.blob.core.windows.net}, or Azurite's
   *     {@code http://127.0.0.1:10000/devstoreaccount1}
   */
  public AzureStorage(String runId, URI blobEndpoint, String accountName, String accountKey, URI cosmosEndpoint,
      String cosmosKey, String database) {
    this(runId, connectionString(blobEndpoint, accountName, accountKey), cosmosEndpoint, cosmosKey, database);
  }

  /** The connection string of an account's Blob endpoint and key, as functions read it. */
  public static String connectionString(URI blobEndpoint, String accountName, String accountKey) {
    String endpoint = blobEndpoint.toString().replaceAll("/+$", "");
    return "DefaultEndpointsProtocol=" + blobEndpoint.getScheme() + ";AccountName=" + accountName
        + ";AccountKey=" + accountKey + ";BlobEndpoint=" + endpoint + ";";
  }

  /** {@code sebs-<run id>}, checked against Azure's container naming rules. */
  static String bucketName(String runId) {
    String name = "sebs-" + runId;
    try {
      return AzureBlobObjectStorage.checkContainerName(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("The run's container name '" + name + "' is not a valid Azure Blob "
          + "container name (3-63 lowercase letters, digits and single dashes): the run id must be lowercase, "
          + "at most 58 characters, without underscores or dots", e);
    }
  }

  public String bucket() {
    return bucket;
  }

  public String database() {
    return database;
  }

  /** The run's container, created on first use. */
  @Override
  public synchronized AzureBlobObjectStorage objectStorage() {
    if (objectStorage == null) {
      blobConnectionString = blobSource.get();
      if (blobConnectionString == null || blobConnectionString.isBlank()) {
        throw new IllegalStateException("No Blob Storage account is configured for this run: give the storage "
            + "account's connection string to use object storage");
      }
      AzureBlobObjectStorage storage = new AzureBlobObjectStorage(blobConnectionString, bucket);
      storage.createBucket(bucket);
      LOG.info(() -> "Using container " + bucket + " of storage account " + storage.accountName());
      objectStorage = storage;
    }
    return objectStorage;
  }

  /** The database's tables; the database is created on first use. */
  @Override
  public synchronized CosmosNoSqlStorage noSqlStorage() {
    if (noSqlStorage == null) {
      CosmosAccount account = cosmosSource.get();
      if (account != null) {
        cosmosEndpoint = account.endpoint();
        cosmosKey = account.key();
      }
      if (cosmosEndpoint == null || cosmosKey == null || database == null) {
        throw new IllegalStateException("No Cosmos DB account is configured for this run: give its endpoint, key "
            + "and database name to use NoSQL tables");
      }
      CosmosNoSqlStorage storage = new CosmosNoSqlStorage(cosmosEndpoint, cosmosKey, database);
      storage.db();
      LOG.info(() -> "Using Cosmos DB database " + database + " at " + cosmosEndpoint);
      noSqlStorage = storage;
    }
    return noSqlStorage;
  }

  /** The endpoints of the services in use, without credentials (those are in {@link #functionEnvironment()}). */
  @Override
  public synchronized StorageEndpoints endpoints() {
    return new StorageEndpoints(objectStorage == null ? null : URI.create(objectStorage.endpoint()),
        noSqlStorage == null ? null : cosmosEndpoint, null, null, null);
  }

  /** What function instances need, under SeBS's names: of the services in use. */
  public synchronized Map<String, String> functionEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    if (objectStorage != null) {
      env.put(STORAGE_CONNECTION_STRING, blobConnectionString);
    }
    if (noSqlStorage != null) {
      env.put(NOSQL_STORAGE_DATABASE, database);
      env.put(NOSQL_STORAGE_URL, cosmosEndpoint.toString());
      env.put(NOSQL_STORAGE_CREDS, cosmosKey);
    }
    return env;
  }

  /** Closes the clients; the container and the tables stay. */
  @Override
  public synchronized void close() {
    if (objectStorage != null) {
      LOG.info(() -> "Container " + bucket + " left for inspection");
      objectStorage.close();
    }
    if (noSqlStorage != null) {
      noSqlStorage.close();
    }
  }

  @Override
  public String toString() {
    return "AzureStorage[bucket=" + bucket + ", database=" + database + ", cosmos=" + cosmosEndpoint + "]";
  }
}
