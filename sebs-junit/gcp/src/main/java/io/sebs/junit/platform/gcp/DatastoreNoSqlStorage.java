package io.sebs.junit.platform.gcp;

import com.google.auth.Credentials;
import com.google.cloud.datastore.Blob;
import com.google.cloud.datastore.BlobValue;
import com.google.cloud.datastore.BooleanValue;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreException;
import com.google.cloud.datastore.DatastoreOptions;
import com.google.cloud.datastore.DoubleValue;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.EntityValue;
import com.google.cloud.datastore.FullEntity;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.KeyFactory;
import com.google.cloud.datastore.ListValue;
import com.google.cloud.datastore.LongValue;
import com.google.cloud.datastore.NullValue;
import com.google.cloud.datastore.PathElement;
import com.google.cloud.datastore.Query;
import com.google.cloud.datastore.QueryResults;
import com.google.cloud.datastore.StringValue;
import com.google.cloud.datastore.StructuredQuery.PropertyFilter;
import com.google.cloud.datastore.Transaction;
import com.google.cloud.datastore.Value;
import io.sebs.junit.NoSqlStorage;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link NoSqlStorage} on Firestore in Datastore mode, through Google's Java client (its HTTP transport:
 * protobuf over HTTP/1.1). A table is a kind; SeBS's (partition, sort) key maps to Datastore's key path as
 * SeBS's GCP functions use it, so items written here and by functions are the same entities:
 * <ul>
 *   <li>with a sort key: the key {@code (kind, sort value)} under the parent {@code (partition key name,
 *       partition value)}; a partition's items are one entity group, read back by an ancestor query;</li>
 *   <li>without: the key {@code (kind, partition value)}.</li>
 * </ul>
 * String key values become key names, integers key ids. The key attributes are also stored as properties,
 * so items round-trip with them whoever reads them. Other properties are not indexed (only keys and
 * ancestors are ever queried, and indexed strings are limited to 1500 bytes).
 *
 * <p>Datastore has no table schema, so {@link #createTable} records the key names here; the other methods
 * need that record. Kinds exist while they hold entities: {@link #tables()} lists those plus the created
 * ones.
 */
public final class DatastoreNoSqlStorage implements NoSqlStorage, AutoCloseable {

  /** Datastore's limit of mutations per commit. */
  private static final int BATCH = 500;

  private final Datastore datastore;
  private final String project;
  private final String database;
  private final Map<String, KeySchema> schemas = new ConcurrentHashMap<>();

  /** A table's key attributes. */
  record KeySchema(String partitionKey, String sortKey) {}

  /**
   * @param host the Datastore API's base URL (a stand-in or the emulator, e.g. {@code http://127.0.0.1:8081}),
   *     or null for Google's
   * @param database the Firestore database (Datastore mode), {@code "(default)"} or null for the default one
   */
  public DatastoreNoSqlStorage(String host, String project, String database, Credentials credentials) {
    this.project = project;
    this.database = database == null || database.isBlank() ? "(default)" : database;
    DatastoreOptions.Builder options = DatastoreOptions.newBuilder().setProjectId(project)
        .setCredentials(credentials);
    if (!this.database.equals("(default)")) {
      options.setDatabaseId(this.database);
    }
    if (host != null) {
      options.setHost(host);
    }
    this.datastore = options.build().getService();
  }

  public String database() {
    return database;
  }

  /**
   * Checks that the database exists and speaks Datastore mode (a lookup of a key nobody writes), so a missing
   * one fails up front with the command that creates it.
   */
  public void verifyDatabase() {
    call("reach the database", () -> datastore.get(datastore.newKeyFactory().setKind("sebs-probe").newKey("probe")));
  }

  @Override
  public void createTable(String table, String partitionKey, String sortKey) {
    schemas.put(table, new KeySchema(partitionKey, sortKey));
  }

  private KeySchema schema(String table) {
    KeySchema schema = schemas.get(table);
    if (schema == null) {
      throw new IllegalStateException("Table " + table + " has no key schema here: Datastore kinds have none, so "
          + "call createTable(" + table + ", partitionKey, sortKey) on this storage before using it");
    }
    return schema;
  }

  /** The Datastore key of the item with these key attributes. */
  Key key(String table, Map<String, Object> item) {
    KeySchema schema = schema(table);
    Object partition = keyValue(table, schema.partitionKey(), item);
    KeyFactory keys = datastore.newKeyFactory().setKind(table);
    if (schema.sortKey() == null) {
      return newKey(keys, partition);
    }
    Object sort = keyValue(table, schema.sortKey(), item);
    return newKey(keys.addAncestor(pathElement(schema.partitionKey(), partition)), sort);
  }

  private static Object keyValue(String table, String name, Map<String, Object> item) {
    Object value = item.get(name);
    if (value == null) {
      throw new IllegalArgumentException("The item or key for table " + table + " lacks its key attribute '" + name
          + "': " + item.keySet());
    }
    return value;
  }

  private static boolean isInteger(Object value) {
    return value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
        || value instanceof BigInteger;
  }

  private static Key newKey(KeyFactory keys, Object value) {
    return isInteger(value) ? keys.newKey(((Number) value).longValue()) : keys.newKey(value.toString());
  }

  private static PathElement pathElement(String kind, Object value) {
    return isInteger(value) ? PathElement.of(kind, ((Number) value).longValue())
        : PathElement.of(kind, value.toString());
  }

  @Override
  public void insert(String table, Map<String, Object> item) {
    Key key = key(table, item);
    call("insert into " + table, () -> datastore.put(entity(key, item, schema(table))));
  }

  private static Entity entity(Key key, Map<String, Object> item, KeySchema schema) {
    Entity.Builder entity = Entity.newBuilder(key);
    item.forEach((name, value) -> {
      boolean keyAttribute = name.equals(schema.partitionKey()) || name.equals(schema.sortKey());
      entity.set(name, toValue(value, !keyAttribute));
    });
    return entity.build();
  }

  @Override
  public Optional<Map<String, Object>> get(String table, Map<String, Object> key) {
    Key k = key(table, key);
    Entity entity = call("read from " + table, () -> datastore.get(k));
    return Optional.ofNullable(entity).map(e -> item(e, key));
  }

  /** Sets the attributes in a transaction (read, change, write); a missing item is created, as DynamoDB does. */
  @Override
  public void update(String table, Map<String, Object> key, Map<String, Object> attributes) {
    Key k = key(table, key);
    KeySchema schema = schema(table);
    call("update " + table, () -> {
      Transaction transaction = datastore.newTransaction();
      try {
        Entity current = transaction.get(k);
        Map<String, Object> item = current == null ? new LinkedHashMap<>(key) : item(current, key);
        item.putAll(attributes);
        transaction.put(entity(k, item, schema));
        transaction.commit();
        return null;
      } finally {
        if (transaction.isActive()) {
          transaction.rollback();
        }
      }
    });
  }

  @Override
  public List<Map<String, Object>> query(String table, String partitionKey, Object value) {
    KeySchema schema = schema(table);
    if (!schema.partitionKey().equals(partitionKey)) {
      throw new IllegalArgumentException("Table " + table + " has the partition key '" + schema.partitionKey()
          + "', not '" + partitionKey + "'");
    }
    if (schema.sortKey() == null) {
      return get(table, Map.of(partitionKey, value)).map(List::of).orElse(List.of());
    }
    Key ancestor = newKey(datastore.newKeyFactory().setKind(partitionKey), value);
    Query<Entity> query = Query.newEntityQueryBuilder().setKind(table)
        .setFilter(PropertyFilter.hasAncestor(ancestor)).build();
    return call("query " + table, () -> {
      List<Map<String, Object>> items = new ArrayList<>();
      QueryResults<Entity> results = datastore.run(query);
      while (results.hasNext()) {
        Entity entity = results.next();
        Map<String, Object> key = new LinkedHashMap<>();
        key.put(partitionKey, value);
        key.put(schema.sortKey(), entity.getKey().getNameOrId());
        items.add(item(entity, key));
      }
      return items;
    });
  }

  @Override
  public void delete(String table, Map<String, Object> key) {
    Key k = key(table, key);
    call("delete from " + table, () -> {
      datastore.delete(k);
      return null;
    });
  }

  /** Deletes every entity of the kind (a kind with no entities is gone), in commits of {@value #BATCH}. */
  @Override
  public void deleteTable(String table) {
    call("delete table " + table, () -> {
      List<Key> keys = new ArrayList<>();
      QueryResults<Key> results = datastore.run(Query.newKeyQueryBuilder().setKind(table).build());
      results.forEachRemaining(keys::add);
      for (int i = 0; i < keys.size(); i += BATCH) {
        datastore.delete(keys.subList(i, Math.min(keys.size(), i + BATCH)).toArray(new Key[0]));
      }
      return null;
    });
    schemas.remove(table);
  }

  /** Kinds that hold entities (Datastore's {@code __kind__} metadata) and the tables created here. */
  @Override
  public List<String> tables() {
    TreeSet<String> names = new TreeSet<>(schemas.keySet());
    call("list kinds", () -> {
      QueryResults<Key> kinds = datastore.run(Query.newKeyQueryBuilder().setKind("__kind__").build());
      kinds.forEachRemaining(k -> {
        if (!k.getName().startsWith("__")) {
          names.add(k.getName());
        }
      });
      return null;
    });
    return new ArrayList<>(names);
  }

  /** Nothing to release: the HTTP transport holds no channels (its close() only logs that it is unimplemented). */
  @Override
  public void close() {}

  // ------------------------------------------------------------------------------------------------ values

  /** The entity's properties, with the key attributes (stored or not: SeBS's own functions do not store them). */
  private static Map<String, Object> item(FullEntity<?> entity, Map<String, Object> key) {
    Map<String, Object> item = new LinkedHashMap<>(key);
    for (String name : entity.getNames()) {
      item.put(name, fromValue(entity.getValue(name)));
    }
    return item;
  }

  @SuppressWarnings("unchecked")
  static Value<?> toValue(Object value, boolean excludeFromIndexes) {
    if (value == null) {
      return NullValue.newBuilder().setExcludeFromIndexes(excludeFromIndexes).build();
    }
    if (value instanceof String) {
      return StringValue.newBuilder((String) value).setExcludeFromIndexes(excludeFromIndexes).build();
    }
    if (isInteger(value)) {
      return LongValue.newBuilder(((Number) value).longValue()).setExcludeFromIndexes(excludeFromIndexes).build();
    }
    if (value instanceof BigDecimal) {
      BigDecimal number = (BigDecimal) value;
      return number.scale() <= 0 && number.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0
          ? LongValue.newBuilder(number.longValueExact()).setExcludeFromIndexes(excludeFromIndexes).build()
          : DoubleValue.newBuilder(number.doubleValue()).setExcludeFromIndexes(excludeFromIndexes).build();
    }
    if (value instanceof Number) {
      return DoubleValue.newBuilder(((Number) value).doubleValue()).setExcludeFromIndexes(excludeFromIndexes).build();
    }
    if (value instanceof Boolean) {
      return BooleanValue.newBuilder((Boolean) value).setExcludeFromIndexes(excludeFromIndexes).build();
    }
    if (value instanceof byte[]) {
      return BlobValue.newBuilder(Blob.copyFrom((byte[]) value)).setExcludeFromIndexes(excludeFromIndexes).build();
    }
    if (value instanceof Map) {
      FullEntity.Builder<com.google.cloud.datastore.IncompleteKey> nested = FullEntity.newBuilder();
      ((Map<String, Object>) value).forEach((k, v) -> nested.set(k, toValue(v, excludeFromIndexes)));
      return EntityValue.newBuilder(nested.build()).setExcludeFromIndexes(excludeFromIndexes).build();
    }
    if (value instanceof List) {
      // Datastore refuses exclude_from_indexes on the list itself: it belongs to the elements
      ListValue.Builder list = ListValue.newBuilder();
      for (Object element : (List<Object>) value) {
        list.addValue(toValue(element, excludeFromIndexes));
      }
      return list.build();
    }
    throw new IllegalArgumentException("Cannot store a " + value.getClass().getName()
        + " in a Datastore entity: use strings, numbers, booleans, byte[], lists or maps");
  }

  static Object fromValue(Value<?> value) {
    switch (value.getType()) {
      case NULL:
        return null;
      case STRING:
      case LONG:
      case DOUBLE:
      case BOOLEAN:
        return value.get();
      case BLOB:
        return ((Blob) value.get()).toByteArray();
      case ENTITY:
        return item((FullEntity<?>) value.get(), Map.of());
      case LIST: {
        List<Object> list = new ArrayList<>();
        for (Value<?> element : ((ListValue) value).get()) {
          list.add(fromValue(element));
        }
        return list;
      }
      case KEY:
        return ((Key) value.get()).getNameOrId();
      default: // timestamps, geo points, raw values: their text
        return String.valueOf(value.get());
    }
  }

  // ------------------------------------------------------------------------------------------------ errors

  private interface Call<T> {
    T run();
  }

  /** Runs a client call; a missing database, or one in Firestore Native mode, fails naming the fix. */
  private <T> T call(String what, Call<T> call) {
    try {
      return call.run();
    } catch (DatastoreException e) {
      String message = String.valueOf(e.getMessage());
      String create = "gcloud firestore databases create --database=" + database + " --type=datastore-mode"
          + " --location=<region> --project=" + project;
      if (message.contains("does not exist") || (e.getCode() == 404 || "NOT_FOUND".equals(e.getReason()))) {
        throw new IllegalStateException("Cannot " + what + ": the Firestore database " + database + " of project "
            + project + " does not exist (" + message + "); create it with " + create
            + ", or name an existing one with -D" + GcpStorage.DATASTORE_DATABASE, e);
      }
      if (message.contains("Native mode")) {
        throw new IllegalStateException("Cannot " + what + ": the Firestore database " + database + " of project "
            + project + " is in Native mode, which the Datastore API cannot use (" + message + "); create a "
            + "Datastore-mode one with " + create + " and name it with -D" + GcpStorage.DATASTORE_DATABASE, e);
      }
      throw new IllegalStateException("Cannot " + what + " in Firestore database " + database + " of project "
          + project + ": " + message, e);
    }
  }
}
