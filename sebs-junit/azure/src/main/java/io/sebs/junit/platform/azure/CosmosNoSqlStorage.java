package io.sebs.junit.platform.azure;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.CosmosDatabase;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.CosmosItemRequestOptions;
import com.azure.cosmos.models.CosmosItemResponse;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.NoSqlStorage;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link NoSqlStorage} on Azure Cosmos DB for NoSQL, through azure-cosmos. One database holds the run's
 * tables; a table is a container whose partition key path is {@code /<partition key>}, as SeBS creates them.
 * Items are JSON documents laid out as SeBS's Azure functions write them, so both sides read each other's:
 * <ul>
 *   <li>the partition key attribute is a property of the document (the container's partition key path);</li>
 *   <li>the sort key's value, as a string, is the document's {@code id} (Cosmos's item key within a partition);
 *       the sort key attribute is stored under its own name as well, so its type survives (SeBS's own functions
 *       do not store it: then it is read back from {@code id});</li>
 *   <li>a table without a sort key uses the partition key's value as {@code id} (one item per partition).</li>
 * </ul>
 * Cosmos's system properties ({@code _rid}, {@code _self}, {@code _etag}, {@code _attachments}, {@code _ts})
 * and {@code id} are not part of items read here. Numbers come back as Long when integral, else Double
 * (Cosmos keeps JSON numbers as doubles: integers beyond 2^53 lose precision); byte arrays are stored as
 * base64 strings.
 *
 * <p>A partition is read with {@code readAllItems(PartitionKey)}, a read of one partition that needs no query
 * plan. Updates read the item and replace it if its ETag is unchanged (retrying on a concurrent change), and
 * create a missing item, as DynamoDB's UpdateItem does.
 *
 * <p>Connection: gateway mode (HTTPS to the account endpoint) when the endpoint is a loopback address (a
 * stand-in or the Cosmos DB emulator), the SDK's direct mode otherwise.
 */
public final class CosmosNoSqlStorage implements NoSqlStorage, AutoCloseable {

  /** Cosmos's own properties of every document, never part of an item. */
  static final Set<String> SYSTEM_PROPERTIES = Set.of("_rid", "_self", "_etag", "_attachments", "_ts");
  private static final int UPDATE_ATTEMPTS = 5;
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_LONG_FOR_INTS);

  private final CosmosClient client;
  private final URI endpoint;
  private final String databaseName;
  private final Map<String, KeySchema> schemas = new ConcurrentHashMap<>();
  private volatile CosmosDatabase database;

  /**
   * A table's key attributes (sortKey null: none, when known: created here; a container found in Cosmos tells
   * only its partition key).
   */
  record KeySchema(String partitionKey, String sortKey, boolean known) {}

  /**
   * @param endpoint the account's endpoint, e.g. {@code https://<account>.documents.azure.com:443/}
   * @param key the account's primary (or secondary) key
   * @param database the database of the tables, created on first use
   */
  public CosmosNoSqlStorage(URI endpoint, String key, String database) {
    this.endpoint = endpoint;
    this.databaseName = database;
    CosmosClientBuilder builder = new CosmosClientBuilder().endpoint(endpoint.toString()).key(key);
    if (isLoopback(endpoint)) {
      builder.gatewayMode();
    } else {
      builder.directMode();
    }
    this.client = builder.buildClient();
  }

  static boolean isLoopback(URI endpoint) {
    String host = endpoint.getHost();
    if (host == null) {
      return false;
    }
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      return host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+\\]?") && InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  public String database() {
    return databaseName;
  }

  /** The database, created unless it exists (on first use). */
  CosmosDatabase db() {
    CosmosDatabase db = database;
    if (db == null) {
      synchronized (this) {
        if (database == null) {
          call("create database " + databaseName, () -> client.createDatabaseIfNotExists(databaseName));
          database = client.getDatabase(databaseName);
        }
        db = database;
      }
    }
    return db;
  }

  /** Creates the container with the partition key path {@code /<partitionKey>} unless it exists. */
  @Override
  public void createTable(String table, String partitionKey, String sortKey) {
    call("create container " + table, () -> db().createContainerIfNotExists(
        new CosmosContainerProperties(table, "/" + partitionKey)));
    schemas.put(table, new KeySchema(partitionKey, sortKey, true));
  }

  /**
   * The table's keys: recorded by {@link #createTable}, else the partition key read from the container (whose
   * sort key name Cosmos does not know: {@code id} holds its value).
   */
  private KeySchema schema(String table) {
    return schemas.computeIfAbsent(table, t -> {
      CosmosContainerProperties properties = call("read container " + t,
          () -> db().getContainer(t).read().getProperties());
      String path = properties.getPartitionKeyDefinition().getPaths().get(0);
      return new KeySchema(path.substring(1), null, false);
    });
  }

  private CosmosContainer container(String table) {
    return db().getContainer(table);
  }

  /** The document id of a key: the sort key's value, or the partition key's without one. */
  private static String id(String table, KeySchema schema, Map<String, Object> key) {
    String sortKey = sortKeyOf(schema, key);
    return String.valueOf(keyValue(table, sortKey == null ? schema.partitionKey() : sortKey, key));
  }

  /** The document id of an item, whose sort key must be known. */
  private static String itemId(String table, KeySchema schema, Map<String, Object> item) {
    if (!schema.known()) {
      throw new IllegalStateException("Table " + table + " was not created by this storage, and Cosmos DB does not "
          + "record its sort key: call createTable(" + table + ", \"" + schema.partitionKey() + "\", sortKey) on "
          + "this storage before inserting");
    }
    return id(table, schema, item);
  }

  /** The sort key's name: as created, else (a key of a table found in Cosmos) the other attribute of the key. */
  private static String sortKeyOf(KeySchema schema, Map<String, Object> key) {
    if (schema.known()) {
      return schema.sortKey();
    }
    return key.keySet().stream().filter(k -> !k.equals(schema.partitionKey())).findFirst().orElse(null);
  }

  private static Object keyValue(String table, String name, Map<String, Object> item) {
    Object value = item.get(name);
    if (value == null) {
      throw new IllegalArgumentException("The item or key for table " + table + " lacks its key attribute '" + name
          + "': " + item.keySet());
    }
    return value;
  }

  private static PartitionKey partition(String table, KeySchema schema, Map<String, Object> item) {
    return new PartitionKey(keyValue(table, schema.partitionKey(), item));
  }

  @Override
  public void insert(String table, Map<String, Object> item) {
    KeySchema schema = schema(table);
    ObjectNode document = JSON.valueToTree(item);
    document.put("id", itemId(table, schema, item));
    call("insert into " + table, () -> container(table).upsertItem(document, partition(table, schema, item),
        new CosmosItemRequestOptions()));
  }

  @Override
  public Optional<Map<String, Object>> get(String table, Map<String, Object> key) {
    KeySchema schema = schema(table);
    return read(table, schema, key).map(response -> item(response.getItem(), schema, key));
  }

  /** The document with its ETag, or empty on Cosmos's 404. */
  private Optional<CosmosItemResponse<ObjectNode>> read(String table, KeySchema schema, Map<String, Object> key) {
    String id = id(table, schema, key);
    PartitionKey partition = partition(table, schema, key);
    try {
      return Optional.of(container(table).readItem(id, partition, ObjectNode.class));
    } catch (CosmosException e) {
      if (e.getStatusCode() == 404) {
        return Optional.empty();
      }
      throw failed("read from " + table, e);
    }
  }

  /**
   * Sets the attributes: read, merge, replace if the ETag still matches (again when another writer came
   * between); a missing item is created with the key and the attributes.
   */
  @Override
  public void update(String table, Map<String, Object> key, Map<String, Object> attributes) {
    KeySchema schema = schema(table);
    for (int attempt = 1; ; attempt++) {
      Optional<CosmosItemResponse<ObjectNode>> current = read(table, schema, key);
      Map<String, Object> item = current.map(r -> item(r.getItem(), schema, key))
          .orElseGet(() -> new LinkedHashMap<>(key));
      item.putAll(attributes);
      ObjectNode document = JSON.valueToTree(item);
      document.put("id", id(table, schema, key));
      try {
        if (current.isPresent()) {
          container(table).replaceItem(document, document.get("id").asText(), partition(table, schema, key),
              new CosmosItemRequestOptions().setIfMatchETag(current.get().getETag()));
        } else {
          container(table).createItem(document, partition(table, schema, key), new CosmosItemRequestOptions());
        }
        return;
      } catch (CosmosException e) {
        boolean raced = e.getStatusCode() == 412 || e.getStatusCode() == 409; // changed, or created meanwhile
        if (!raced || attempt == UPDATE_ATTEMPTS) {
          throw failed("update " + table, e);
        }
      }
    }
  }

  /** Every item of the partition, in id order (one partition's read: no query plan, no cross-partition scan). */
  @Override
  public List<Map<String, Object>> query(String table, String partitionKey, Object value) {
    KeySchema schema = schema(table);
    if (!schema.partitionKey().equals(partitionKey)) {
      throw new IllegalArgumentException("Table " + table + " has the partition key '" + schema.partitionKey()
          + "', not '" + partitionKey + "'");
    }
    Map<String, Object> key = Map.of(partitionKey, value);
    List<Map<String, Object>> items = new ArrayList<>();
    call("query " + table, () -> {
      container(table).readAllItems(new PartitionKey(value), new CosmosQueryRequestOptions(), ObjectNode.class)
          .forEach(document -> items.add(item(document, schema, key)));
      return null;
    });
    items.sort((a, b) -> String.valueOf(idOf(a, schema)).compareTo(String.valueOf(idOf(b, schema))));
    return items;
  }

  private static Object idOf(Map<String, Object> item, KeySchema schema) {
    return item.get(schema.sortKey() == null ? schema.partitionKey() : schema.sortKey());
  }

  /** Deletes the item; one that is not there is fine. */
  @Override
  public void delete(String table, Map<String, Object> key) {
    KeySchema schema = schema(table);
    try {
      container(table).deleteItem(id(table, schema, key), partition(table, schema, key),
          new CosmosItemRequestOptions());
    } catch (CosmosException e) {
      if (e.getStatusCode() != 404) {
        throw failed("delete from " + table, e);
      }
    }
  }

  /** Deletes the container; one that is not there is fine. */
  @Override
  public void deleteTable(String table) {
    try {
      container(table).delete();
    } catch (CosmosException e) {
      if (e.getStatusCode() != 404) {
        throw failed("delete container " + table, e);
      }
    }
    schemas.remove(table);
  }

  /** The database's containers. */
  @Override
  public List<String> tables() {
    TreeSet<String> names = new TreeSet<>();
    call("list containers", () -> {
      db().readAllContainers().forEach(c -> names.add(c.getId()));
      return null;
    });
    return new ArrayList<>(names);
  }

  @Override
  public void close() {
    client.close();
  }

  // ------------------------------------------------------------------------------------------------ items

  /**
   * The document as an item: without Cosmos's properties and {@code id}, with the key attributes (the sort key
   * from {@code id} when the document lacks it, as SeBS's functions store it).
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> item(ObjectNode document, KeySchema schema, Map<String, Object> key) {
    Map<String, Object> item = new LinkedHashMap<>(JSON.convertValue(document, Map.class));
    String id = document.path("id").asText(null);
    SYSTEM_PROPERTIES.forEach(item::remove);
    String sortKey = sortKeyOf(schema, key);
    if (!"id".equals(sortKey) && !"id".equals(schema.partitionKey())) {
      item.remove("id");
    }
    Object partition = key.get(schema.partitionKey());
    if (partition != null) {
      item.putIfAbsent(schema.partitionKey(), partition);
    }
    if (sortKey != null && id != null) {
      item.putIfAbsent(sortKey, key.containsKey(sortKey) ? key.get(sortKey) : id);
    }
    return item;
  }

  // ------------------------------------------------------------------------------------------------ errors

  private interface Call<T> {
    T run();
  }

  private <T> T call(String what, Call<T> call) {
    try {
      return call.run();
    } catch (CosmosException e) {
      throw failed(what, e);
    }
  }

  private RuntimeException failed(String what, CosmosException e) {
    String message = e.getShortMessage() == null ? String.valueOf(e.getMessage()) : e.getShortMessage();
    if (e.getStatusCode() == 401 || e.getStatusCode() == 403) {
      return new IllegalStateException("Cannot " + what + " in Cosmos DB database " + databaseName + " at " + endpoint
          + ": HTTP " + e.getStatusCode() + ", the account key is refused (" + message + ")", e);
    }
    return new IllegalStateException("Cannot " + what + " in Cosmos DB database " + databaseName + " at " + endpoint
        + ": HTTP " + e.getStatusCode() + " " + message, e);
  }
}
