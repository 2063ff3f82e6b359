package io.sebs.junit.platform.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sebs.junit.testing.Fixtures;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The NoSqlStorage contract on the sebs-nosql Worker, for real: one workerd process serving the Durable Object
 * tables, reached over its HTTP API as the test side reaches it (each test uses tables of its own).
 */
class CloudflareNoSqlStorageTest {

  private static final AtomicInteger TABLES = new AtomicInteger();

  private static NoSqlWorker worker;
  private static CloudflareNoSqlStorage storage;

  @BeforeAll
  static void startWorker() {
    worker = startNoSqlWorker(Optional.empty());
    storage = new CloudflareNoSqlStorage(worker.endpoint(), Optional.empty());
  }

  @AfterAll
  static void stopWorker() {
    if (worker != null) {
      worker.close();
    }
  }

  static NoSqlWorker startNoSqlWorker(Optional<String> token) {
    WorkersTools tools = WorkersTools.install(Fixtures.cacheDir(), Optional.empty());
    return NoSqlWorker.start(tools.workerd(), Fixtures.cacheDir(), LocalDate.parse(
        CloudflareSettings.DEFAULT_COMPATIBILITY_DATE), token, Duration.ofSeconds(30));
  }

  /** A new table with a partition and a sort key. */
  private static String cartTable() {
    String table = "cart-" + TABLES.incrementAndGet();
    storage.createTable(table, "cart_id", "product_id");
    return table;
  }

  @Test
  void anItemIsReadBackByItsKeyWithTheKeyAttributesAndItsJsonValues() {
    String table = cartTable();
    Map<String, Object> item = Map.of("cart_id", "c1", "product_id", "p1", "name", "pen", "price", 2.5,
        "quantity", 3, "gift", true, "tags", List.of("blue", 7), "box", Map.of("w", 10, "h", "tall"));

    storage.insert(table, item);

    assertThat(storage.get(table, Map.of("cart_id", "c1", "product_id", "p1"))).contains(Map.of(
        "cart_id", "c1", "product_id", "p1", "name", "pen", "price", 2.5, "quantity", 3L, "gift", true,
        "tags", List.of("blue", 7L), "box", Map.of("w", 10L, "h", "tall")));
    assertThat(storage.get(table, Map.of("cart_id", "c1", "product_id", "p2"))).isEmpty();
  }

  @Test
  void insertReplacesTheWholeItemWithTheSameKey() {
    String table = cartTable();
    storage.insert(table, Map.of("cart_id", "c1", "product_id", "p1", "name", "pen", "price", 2));

    storage.insert(table, Map.of("cart_id", "c1", "product_id", "p1", "quantity", 4));

    assertThat(storage.get(table, Map.of("cart_id", "c1", "product_id", "p1")))
        .contains(Map.of("cart_id", "c1", "product_id", "p1", "quantity", 4L));
  }

  @Test
  void updateSetsAttributesAndKeepsTheOthers() {
    String table = cartTable();
    storage.insert(table, Map.of("cart_id", "c1", "product_id", "p1", "name", "pen", "price", 2));

    storage.update(table, Map.of("cart_id", "c1", "product_id", "p1"), Map.of("price", 3, "quantity", 1));

    assertThat(storage.get(table, Map.of("cart_id", "c1", "product_id", "p1")))
        .contains(Map.of("cart_id", "c1", "product_id", "p1", "name", "pen", "price", 3L, "quantity", 1L));
  }

  @Test
  void updateOfAMissingItemCreatesItAsDynamoDbsUpdateItemDoes() {
    String table = cartTable();

    storage.update(table, Map.of("cart_id", "c9", "product_id", "p9"), Map.of("quantity", 5));

    assertThat(storage.get(table, Map.of("cart_id", "c9", "product_id", "p9")))
        .contains(Map.of("cart_id", "c9", "product_id", "p9", "quantity", 5L));
  }

  @Test
  void updateRefusesToChangeAKeyAttribute() {
    String table = cartTable();

    assertThatThrownBy(() -> storage.update(table, Map.of("cart_id", "c1", "product_id", "p1"),
        Map.of("product_id", "p2")))
        .hasMessageContaining("update in " + table + " failed: HTTP 400")
        .hasMessageContaining("'product_id' is a key attribute and cannot be updated");
  }

  @Test
  void queryReturnsEveryItemOfThePartitionSortedBySortKey() {
    String table = cartTable();
    for (String product : List.of("p2", "a b", "p10", "a", "p1")) {
      storage.insert(table, Map.of("cart_id", "c1", "product_id", product));
    }
    storage.insert(table, Map.of("cart_id", "c2", "product_id", "p0"));

    List<Map<String, Object>> items = storage.query(table, "cart_id", "c1");

    assertThat(items).extracting(i -> i.get("product_id"))
        .as("by code point, as DynamoDB orders string sort keys (not by their JSON text, where \"a b\" < \"a\")")
        .containsExactly("a", "a b", "p1", "p10", "p2");
    assertThat(items).allSatisfy(i -> assertThat(i).containsEntry("cart_id", "c1"));
    assertThat(storage.query(table, "cart_id", "c3")).isEmpty();
  }

  @Test
  void partitionKeysThatArePrefixesOfEachOtherKeepTheirItemsApart() {
    String table = cartTable();
    storage.insert(table, Map.of("cart_id", "c", "product_id", "p", "n", 1));
    storage.insert(table, Map.of("cart_id", "c1", "product_id", "p", "n", 2));
    storage.insert(table, Map.of("cart_id", "c\"", "product_id", "p", "n", 3));
    storage.insert(table, Map.of("cart_id", "c,", "product_id", "p", "n", 4));

    assertThat(storage.query(table, "cart_id", "c")).extracting(i -> i.get("n")).containsExactly(1L);
    assertThat(storage.query(table, "cart_id", "c1")).extracting(i -> i.get("n")).containsExactly(2L);
    assertThat(storage.get(table, Map.of("cart_id", "c\"", "product_id", "p"))).get()
        .extracting(i -> i.get("n")).isEqualTo(3L);
  }

  @Test
  void aTableWithoutSortKeyIsKeyedByItsPartitionKeyAlone() {
    String table = "users-" + TABLES.incrementAndGet();
    storage.createTable(table, "user_id", null);
    storage.insert(table, Map.of("user_id", "u1", "name", "Ada"));

    assertThat(storage.get(table, Map.of("user_id", "u1"))).contains(Map.of("user_id", "u1", "name", "Ada"));
    assertThat(storage.query(table, "user_id", "u1")).containsExactly(Map.of("user_id", "u1", "name", "Ada"));
    assertThatThrownBy(() -> storage.get(table, Map.of("user_id", "u1", "product_id", "p1")))
        .hasMessageContaining("'product_id' is not a key attribute of table '" + table + "'");
  }

  @Test
  void deleteRemovesOneItemAndAMissingItemIsNoError() {
    String table = cartTable();
    storage.insert(table, Map.of("cart_id", "c1", "product_id", "p1"));
    storage.insert(table, Map.of("cart_id", "c1", "product_id", "p2"));

    storage.delete(table, Map.of("cart_id", "c1", "product_id", "p1"));
    storage.delete(table, Map.of("cart_id", "c1", "product_id", "p1"));

    assertThat(storage.get(table, Map.of("cart_id", "c1", "product_id", "p1"))).isEmpty();
    assertThat(storage.query(table, "cart_id", "c1")).extracting(i -> i.get("product_id")).containsExactly("p2");
  }

  @Test
  void tablesListsTheCreatedTablesAndDeleteTableDropsOneWithItsItems() {
    String table = cartTable();
    storage.insert(table, Map.of("cart_id", "c1", "product_id", "p1"));
    assertThat(storage.tables()).contains(table);

    storage.deleteTable(table);

    assertThat(storage.tables()).doesNotContain(table);
    assertThatThrownBy(() -> storage.get(table, Map.of("cart_id", "c1", "product_id", "p1")))
        .hasMessageContaining("HTTP 404");
    storage.createTable(table, "cart_id", "product_id");
    assertThat(storage.query(table, "cart_id", "c1")).as("a table made again starts empty").isEmpty();
    storage.deleteTable("never-created");
  }

  @Test
  void creatingATableAgainKeepsItsItemsButAnotherKeySchemaIsAConflict() {
    String table = cartTable();
    storage.insert(table, Map.of("cart_id", "c1", "product_id", "p1"));

    storage.createTable(table, "cart_id", "product_id");

    assertThat(storage.query(table, "cart_id", "c1")).hasSize(1);
    assertThatThrownBy(() -> storage.createTable(table, "cart_id", null))
        .hasMessageContaining("create table " + table + " failed: HTTP 409")
        .hasMessageContaining("exists with partition key 'cart_id' and sort key 'product_id'");
  }

  @Test
  void aTableThatWasNotCreatedFailsNamingTheTableAndTheOperation() {
    assertThatThrownBy(() -> storage.insert("no-such-table", Map.of("id", "1")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("NoSQL insert into no-such-table failed: HTTP 404")
        .hasMessageEndingWith("no table 'no-such-table': create it first");
    assertThat(storage.tables()).doesNotContain("no-such-table");
  }

  @Test
  void aTableNameOutsideDynamoDbsCharactersIsRefused() {
    assertThatThrownBy(() -> storage.createTable("my table/1", "id", null))
        .hasMessageContaining("create table my table/1 failed: HTTP 400")
        .hasMessageContaining("invalid table name \"my table/1\"");
  }

  @Test
  void anItemWithoutItsKeyAttributesIsRefusedNamingTheMissingOne() {
    String table = cartTable();

    assertThatThrownBy(() -> storage.insert(table, Map.of("cart_id", "c1", "name", "pen")))
        .hasMessageContaining("HTTP 400")
        .hasMessageContaining("the key attribute 'product_id' of table '" + table + "' is missing");
    assertThatThrownBy(() -> storage.query(table, "product_id", "p1"))
        .hasMessageContaining("its partition key is 'cart_id', not \"product_id\"");
  }

  @Test
  void aWorkerWithATokenRefusesRequestsWithoutIt() {
    try (NoSqlWorker guarded = startNoSqlWorker(Optional.of("s3cret"))) {
      CloudflareNoSqlStorage anonymous = new CloudflareNoSqlStorage(guarded.endpoint(), Optional.empty());
      CloudflareNoSqlStorage wrong = new CloudflareNoSqlStorage(guarded.endpoint(), Optional.of("guess"));
      CloudflareNoSqlStorage holder = new CloudflareNoSqlStorage(guarded.endpoint(), Optional.of("s3cret"));

      assertThatThrownBy(anonymous::tables).hasMessageContaining("HTTP 401").hasMessageContaining("unauthorized");
      assertThatThrownBy(() -> wrong.createTable("t", "id", null)).hasMessageContaining("HTTP 401");
      holder.createTable("t", "id", null);
      assertThat(holder.tables()).containsExactly("t");
    }
  }
}
