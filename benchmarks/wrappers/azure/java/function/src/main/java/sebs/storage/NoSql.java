package sebs.storage;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.CosmosDatabase;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosItemRequestOptions;
import com.azure.cosmos.models.CosmosPatchOperations;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * sebs-junit azure platform: NoSQL tables for Java benchmark functions, with SeBS's nosql interface.
 *
 * <p>Benchmark code uses it as SeBS's Python and Node.js functions use theirs; keys are (name, value) entries,
 * the secondary (sort) key null for a table without one:
 * <pre>{@code
 * NoSql tables = NoSql.getInstance();
 * tables.insert("shopping_cart", Map.entry("cart_id", "c1"), Map.entry("product_id", "p1"), Map.of("price", 10));
 * Map<String, Object> item = tables.get("shopping_cart", Map.entry("cart_id", "c1"), Map.entry("product_id", "p1"));
 * List<Map<String, Object>> cart = tables.query("shopping_cart", Map.entry("cart_id", "c1"), "product_id");
 * }</pre>
 *
 * <p>Microsoft's azure-cosmos, with the document layout of SeBS's Azure functions (and of this platform's
 * Python and Node.js modules): a table is a container whose partition key path is /&lt;primary key name&gt;;
 * the secondary key's value (as a string) is the document's id, and it is stored under its own name too;
 * without a secondary key the primary key's value is the id. Items come back without Cosmos's own properties.
 * update is one Patch ("add" of each attribute, as SeBS does) and creates a missing item; query reads one
 * partition ({@code readAllItems(PartitionKey)}).
 *
 * <p>Where it goes: NOSQL_STORAGE_URL (the account's endpoint), NOSQL_STORAGE_CREDS (its key),
 * NOSQL_STORAGE_DATABASE (the database), SEBS_NOSQL_TABLES (JSON: the benchmark's table names to container
 * names; a name not in it is used as is). Gateway mode for a loopback endpoint (a stand-in), direct mode
 * otherwise. The platform adds com.azure:azure-cosmos to the function's pom.xml when config.json lists "nosql".
 * Client failures are rethrown as IOException.
 */
public final class NoSql {

  static final String URL_ENV = "NOSQL_STORAGE_URL";
  static final String KEY_ENV = "NOSQL_STORAGE_CREDS";
  static final String DATABASE_ENV = "NOSQL_STORAGE_DATABASE";
  static final String TABLES_ENV = "SEBS_NOSQL_TABLES";
  private static final List<String> SYSTEM_PROPERTIES = List.of("_rid", "_self", "_etag", "_attachments", "_ts");
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);

  private static volatile NoSql instance;

  private final CosmosDatabase database;
  private final Map<String, String> tables;
  private final Map<String, CosmosContainer> containers = new ConcurrentHashMap<>();

  private NoSql(CosmosDatabase database, Map<String, String> tables) {
    this.database = database;
    this.tables = tables;
  }

  /** The shared instance, configured from the environment on first use. */
  public static NoSql getInstance() throws IOException {
    NoSql n = instance;
    if (n == null) {
      synchronized (NoSql.class) {
        n = instance;
        if (n == null) {
          n = fromEnvironment();
          instance = n;
        }
      }
    }
    return n;
  }

  @SuppressWarnings("unchecked")
  private static NoSql fromEnvironment() throws IOException {
    String url = env(URL_ENV);
    String key = env(KEY_ENV);
    String database = env(DATABASE_ENV);
    List<String> missing = new ArrayList<>();
    for (String[] pair : new String[][] {{URL_ENV, url}, {KEY_ENV, key}, {DATABASE_ENV, database}}) {
      if (pair[1].isEmpty()) {
        missing.add(pair[0]);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("Cosmos DB is not configured for this function: " + missing + " not set");
    }
    CosmosClientBuilder builder = new CosmosClientBuilder().endpoint(url).key(key);
    if (loopback(URI.create(url))) {
      builder.gatewayMode();
    } else {
      builder.directMode();
    }
    CosmosClient client = builder.buildClient();
    String raw = env(TABLES_ENV);
    Map<String, String> tables = raw.isEmpty() ? Map.of() : JSON.readValue(raw, Map.class);
    return new NoSql(client.getDatabase(database), tables);
  }

  private static boolean loopback(URI uri) {
    String host = uri.getHost();
    try {
      return host != null && (host.equalsIgnoreCase("localhost")
          || (host.matches("[0-9.]+") && InetAddress.getByName(host).isLoopbackAddress()));
    } catch (IOException e) {
      return false;
    }
  }

  private static String env(String name) {
    String value = System.getenv(name);
    return value == null ? "" : value.strip();
  }

  private CosmosContainer table(String tableName) {
    String container = tables.getOrDefault(tableName, tableName);
    return containers.computeIfAbsent(container, database::getContainer);
  }

  private static String id(Map.Entry<String, ?> primaryKey, Map.Entry<String, ?> secondaryKey) {
    return String.valueOf((secondaryKey == null ? primaryKey : secondaryKey).getValue());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> item(ObjectNode document, String primaryKeyName, String secondaryKeyName) {
    Map<String, Object> item = new LinkedHashMap<>(JSON.convertValue(document, Map.class));
    Object id = item.get("id");
    SYSTEM_PROPERTIES.forEach(item::remove);
    if (!"id".equals(primaryKeyName) && !"id".equals(secondaryKeyName)) {
      item.remove("id");
    }
    if (secondaryKeyName != null && id != null) {
      item.putIfAbsent(secondaryKeyName, id);
    }
    return item;
  }

  private static IOException failed(String operation, String table, CosmosException e) {
    return new IOException("Cosmos DB " + operation + " in " + table + " failed: HTTP " + e.getStatusCode() + " "
        + e.getShortMessage(), e);
  }

  // ------------------------------------------------------------------------------ SeBS's interface

  /** Stores data with the key attributes added, replacing an item with the same keys. */
  public void insert(String table, Map.Entry<String, ?> primaryKey, Map.Entry<String, ?> secondaryKey,
      Map<String, ?> data) throws IOException {
    ObjectNode document = JSON.valueToTree(data);
    document.set(primaryKey.getKey(), JSON.valueToTree(primaryKey.getValue()));
    if (secondaryKey != null) {
      document.set(secondaryKey.getKey(), JSON.valueToTree(secondaryKey.getValue()));
    }
    document.put("id", id(primaryKey, secondaryKey));
    try {
      table(table).upsertItem(document, new PartitionKey(primaryKey.getValue()), new CosmosItemRequestOptions());
    } catch (CosmosException e) {
      throw failed("insert", table, e);
    }
  }

  /** The item with these keys, or null when there is none. */
  public Map<String, Object> get(String table, Map.Entry<String, ?> primaryKey, Map.Entry<String, ?> secondaryKey)
      throws IOException {
    try {
      ObjectNode document = table(table).readItem(id(primaryKey, secondaryKey),
          new PartitionKey(primaryKey.getValue()), ObjectNode.class).getItem();
      return item(document, primaryKey.getKey(), secondaryKey == null ? null : secondaryKey.getKey());
    } catch (CosmosException e) {
      if (e.getStatusCode() == 404) {
        return null;
      }
      throw failed("read", table, e);
    }
  }

  /** Sets the attributes in one Patch request, creating the item when it is missing. */
  public void update(String table, Map.Entry<String, ?> primaryKey, Map.Entry<String, ?> secondaryKey,
      Map<String, ?> updates) throws IOException {
    if (updates.isEmpty()) {
      return;
    }
    CosmosPatchOperations operations = CosmosPatchOperations.create();
    updates.forEach((name, value) -> operations.add("/" + name.replace("~", "~0").replace("/", "~1"), value));
    try {
      table(table).patchItem(id(primaryKey, secondaryKey), new PartitionKey(primaryKey.getValue()), operations,
          ObjectNode.class);
    } catch (CosmosException e) {
      if (e.getStatusCode() != 404) {
        throw failed("update", table, e);
      }
      insert(table, primaryKey, secondaryKey, updates);
    }
  }

  /** Every item whose partition key equals primaryKey (one partition's read). */
  public List<Map<String, Object>> query(String table, Map.Entry<String, ?> primaryKey, String secondaryKeyName)
      throws IOException {
    List<Map<String, Object>> items = new ArrayList<>();
    try {
      table(table).readAllItems(new PartitionKey(primaryKey.getValue()), new CosmosQueryRequestOptions(),
          ObjectNode.class).forEach(d -> items.add(item(d, primaryKey.getKey(), secondaryKeyName)));
    } catch (CosmosException e) {
      throw failed("query", table, e);
    }
    return items;
  }

  /** Deletes the item with these keys (nothing happens when there is none). */
  public void delete(String table, Map.Entry<String, ?> primaryKey, Map.Entry<String, ?> secondaryKey)
      throws IOException {
    try {
      table(table).deleteItem(id(primaryKey, secondaryKey), new PartitionKey(primaryKey.getValue()),
          new CosmosItemRequestOptions());
    } catch (CosmosException e) {
      if (e.getStatusCode() != 404) {
        throw failed("delete", table, e);
      }
    }
  }
}
