package io.sebs.junit;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Key-value tables on the target platform (DynamoDB on AWS and on the local platform's loopback
 * server), with a partition key and an optional sort key, as SeBS's NoSQL benchmarks use them. Items are
 * maps of strings, numbers, booleans, lists and maps.
 */
public interface NoSqlStorage {

  /**
   * Creates a table if it does not exist.
   *
   * @param sortKey the sort key's name, or {@code null} for a table with a partition key only
   */
  void createTable(String table, String partitionKey, String sortKey);

  /** Inserts or replaces an item (it must contain the key attributes). */
  void insert(String table, Map<String, Object> item);

  /** The item with this key ({@code {partitionKey: value[, sortKey: value]}}). */
  Optional<Map<String, Object>> get(String table, Map<String, Object> key);

  /** Sets attributes of an existing item. */
  void update(String table, Map<String, Object> key, Map<String, Object> attributes);

  /** Every item whose partition key has this value. */
  List<Map<String, Object>> query(String table, String partitionKey, Object value);

  void delete(String table, Map<String, Object> key);

  /** Deletes the table; nothing happens when it does not exist. */
  void deleteTable(String table);

  /** Names of the existing tables. */
  List<String> tables();
}
