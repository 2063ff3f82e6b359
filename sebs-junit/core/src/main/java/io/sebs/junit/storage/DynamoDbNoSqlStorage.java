package io.sebs.junit.storage;

import io.sebs.junit.NoSqlStorage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValueUpdate;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * {@link NoSqlStorage} over the DynamoDB API (AWS, or a compatible server such as the local one). Table
 * keys are strings, as SeBS's benchmarks use them; attribute values map to Java strings, numbers
 * ({@link BigDecimal} read back as Long or Double), booleans, lists and maps.
 */
public final class DynamoDbNoSqlStorage implements NoSqlStorage, AutoCloseable {

  private final DynamoDbClient dynamo;
  private final Duration tableWait;

  public DynamoDbNoSqlStorage(DynamoDbClient dynamo, Duration tableWait) {
    this.dynamo = dynamo;
    this.tableWait = tableWait;
  }

  @Override
  public void createTable(String table, String partitionKey, String sortKey) {
    List<KeySchemaElement> keys = new ArrayList<>();
    List<AttributeDefinition> attributes = new ArrayList<>();
    keys.add(KeySchemaElement.builder().attributeName(partitionKey).keyType(KeyType.HASH).build());
    attributes.add(AttributeDefinition.builder().attributeName(partitionKey).attributeType(ScalarAttributeType.S).build());
    if (sortKey != null) {
      keys.add(KeySchemaElement.builder().attributeName(sortKey).keyType(KeyType.RANGE).build());
      attributes.add(AttributeDefinition.builder().attributeName(sortKey).attributeType(ScalarAttributeType.S).build());
    }
    try {
      dynamo.createTable(b -> b.tableName(table).keySchema(keys).attributeDefinitions(attributes)
          .billingMode(BillingMode.PAY_PER_REQUEST));
    } catch (ResourceInUseException exists) {
      // created before: fine
    }
    awaitActive(table);
  }

  private void awaitActive(String table) {
    long deadline = System.nanoTime() + tableWait.toNanos();
    while (true) {
      TableStatus status = dynamo.describeTable(b -> b.tableName(table)).table().tableStatus();
      if (status == TableStatus.ACTIVE) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Table " + table + " is still " + status + " after " + tableWait);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for table " + table, e);
      }
    }
  }

  @Override
  public void insert(String table, Map<String, Object> item) {
    dynamo.putItem(b -> b.tableName(table).item(toAttributes(item)));
  }

  @Override
  public Optional<Map<String, Object>> get(String table, Map<String, Object> key) {
    var response = dynamo.getItem(b -> b.tableName(table).key(toAttributes(key)).consistentRead(true));
    return response.hasItem() && !response.item().isEmpty() ? Optional.of(fromAttributes(response.item()))
        : Optional.empty();
  }

  @Override
  public void update(String table, Map<String, Object> key, Map<String, Object> attributes) {
    Map<String, AttributeValueUpdate> updates = new LinkedHashMap<>();
    attributes.forEach((name, value) -> updates.put(name, AttributeValueUpdate.builder().value(toAttribute(value))
        .action(software.amazon.awssdk.services.dynamodb.model.AttributeAction.PUT).build()));
    dynamo.updateItem(b -> b.tableName(table).key(toAttributes(key)).attributeUpdates(updates));
  }

  @Override
  public List<Map<String, Object>> query(String table, String partitionKey, Object value) {
    List<Map<String, Object>> items = new ArrayList<>();
    dynamo.queryPaginator(b -> b.tableName(table)
            .keyConditionExpression("#pk = :v")
            .expressionAttributeNames(Map.of("#pk", partitionKey))
            .expressionAttributeValues(Map.of(":v", toAttribute(value)))
            .consistentRead(true))
        .items().forEach(i -> items.add(fromAttributes(i)));
    return items;
  }

  @Override
  public void delete(String table, Map<String, Object> key) {
    dynamo.deleteItem(b -> b.tableName(table).key(toAttributes(key)));
  }

  /** Deletes the table and waits until it is gone (deletion is asynchronous in DynamoDB). */
  @Override
  public void deleteTable(String table) {
    try {
      dynamo.deleteTable(b -> b.tableName(table));
      long deadline = System.nanoTime() + tableWait.toNanos();
      while (System.nanoTime() < deadline) {
        dynamo.describeTable(b -> b.tableName(table));
        Thread.sleep(50);
      }
      throw new IllegalStateException("Table " + table + " still exists " + tableWait + " after its deletion");
    } catch (ResourceNotFoundException e) {
      // gone
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while deleting table " + table, e);
    }
  }

  @Override
  public List<String> tables() {
    List<String> names = new ArrayList<>();
    dynamo.listTablesPaginator().tableNames().forEach(names::add);
    return names;
  }

  @Override
  public void close() {
    dynamo.close();
  }

  static Map<String, AttributeValue> toAttributes(Map<String, Object> item) {
    Map<String, AttributeValue> attributes = new LinkedHashMap<>();
    item.forEach((k, v) -> attributes.put(k, toAttribute(v)));
    return attributes;
  }

  @SuppressWarnings("unchecked")
  static AttributeValue toAttribute(Object value) {
    if (value == null) {
      return AttributeValue.fromNul(true);
    }
    if (value instanceof String s) {
      return AttributeValue.fromS(s);
    }
    if (value instanceof Number n) {
      return AttributeValue.fromN(new BigDecimal(n.toString()).toPlainString());
    }
    if (value instanceof Boolean b) {
      return AttributeValue.fromBool(b);
    }
    if (value instanceof byte[] bytes) {
      return AttributeValue.fromB(SdkBytes.fromByteArray(bytes));
    }
    if (value instanceof Map<?, ?> map) {
      return AttributeValue.fromM(toAttributes((Map<String, Object>) map));
    }
    if (value instanceof List<?> list) {
      return AttributeValue.fromL(list.stream().map(DynamoDbNoSqlStorage::toAttribute).toList());
    }
    throw new IllegalArgumentException("Cannot store a " + value.getClass().getName()
        + " in a NoSQL item: use strings, numbers, booleans, byte[], lists or maps");
  }

  static Map<String, Object> fromAttributes(Map<String, AttributeValue> attributes) {
    Map<String, Object> item = new LinkedHashMap<>();
    attributes.forEach((k, v) -> item.put(k, fromAttribute(v)));
    return item;
  }

  static Object fromAttribute(AttributeValue v) {
    if (v.s() != null) {
      return v.s();
    }
    if (v.n() != null) {
      BigDecimal number = new BigDecimal(v.n());
      return number.scale() <= 0 && number.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0
          ? (Object) number.longValueExact() : (Object) number.doubleValue();
    }
    if (v.bool() != null) {
      return v.bool();
    }
    if (v.b() != null) {
      return v.b().asByteArray();
    }
    if (v.hasM()) {
      return fromAttributes(v.m());
    }
    if (v.hasL()) {
      return v.l().stream().map(DynamoDbNoSqlStorage::fromAttribute).toList();
    }
    return null;
  }
}
