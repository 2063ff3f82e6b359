package io.sebs.suite;

import static io.sebs.junit.SebsAssertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.AdaptiveRepetitions;
import io.sebs.junit.Baseline;
import io.sebs.junit.BenchmarkInput;
import io.sebs.junit.ColdStart;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.NoSqlStorage;
import io.sebs.junit.Warm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * 130.crud-api: a shopping cart over the NoSQL table {@code shopping_cart}, answering PUT and GET routes.
 * The generated input (size test) reads back a cart that input.py seeded; outputs are checked by input.py's
 * validate_output. One subclass per language says which with {@code @ServerlessBenchmark}, and measures the
 * large size (20 PUTs, then reads) with a method-level annotation of its language.
 */
abstract class CrudApiBenchmark {

  /**
   * The table's logical name, as input.py's allocate_nosql declares it; the run's physical table is
   * {@link FunctionInvoker#tableName(String) invoker.tableName(TABLE)}.
   */
  static final String TABLE = "shopping_cart";
  /** Number of products input.py seeds (its CATALOGUE). */
  static final int SEEDED_PRODUCTS = 5;

  /** Upper bound of the median cold client time: the runtime and its NoSQL client start first. */
  abstract Duration coldBudget();

  @Test
  @Warm(repetitions = 30, warmup = 2)
  @AdaptiveRepetitions(relativeError = 0.10, minimum = 10)
  void warmRequestsStayFast(Measurements m, Baseline baseline) {
    assertThat(m).hasNoFailures().hasNoMisclassified();
    assertThat(m).clientTime().median().isLessThan(Calibrated.budget(Duration.ofMillis(500)));
    RegressionCheck.clientTimeNotSlower(m, baseline);
  }

  @Test
  @ColdStart(repetitions = 3)
  void coldStartsLoadTheRuntimeAndItsNoSqlClient(Measurements m) {
    assertThat(m).hasNoFailures().coldStartRate().isEqualTo(1.0);
    assertThat(m).clientTime().median().isLessThan(ColdBudget.of(m, coldBudget()));
  }

  /**
   * The checks of the large size's warm measurements (20 PUTs, then reads validated by input.py), for the
   * subclasses' {@code largeEventsWriteACartAndQueryIt}, whose annotation names the language.
   */
  static void largeEventsAreAnsweredWithinTwoSeconds(Measurements m) {
    assertThat(m).hasNoFailures();
    assertThat(m).clientTime().median().isLessThan(Calibrated.budget(Duration.ofSeconds(2)));
  }

  @Test
  void seededCartIsInTheTable(@BenchmarkInput JsonNode input, FunctionInvoker invoker, NoSqlStorage nosql) {
    String cart = input.path("requests").path(0).path("body").path("cart").asText();
    Assertions.assertThat(cart).startsWith("seeded-");
    List<Map<String, Object>> rows = nosql.query(invoker.tableName(TABLE), "cart_id", cart);
    Assertions.assertThat(rows).hasSize(SEEDED_PRODUCTS)
        .extracting(r -> r.get("product_id"))
        .contains("game-gothic", "game-gothic-2", "book-sebs", "os-mint-linux", "mug-lambda");
  }

  @Test
  void putRowsAreStoredAndReadBack(FunctionInvoker invoker, NoSqlStorage nosql) {
    String cart = "test-" + invoker.functionName() + "-" + UUID.randomUUID();
    List<Map<String, Object>> requests = new ArrayList<>();
    requests.add(put(cart, "p-1", "Widget", 2.5, 4));
    requests.add(put(cart, "p-2", "Gadget", 10, 1));
    requests.add(put(cart, "p-3", "Gizmo", 0.75, 2));
    requests.add(put(cart, "p-2", "Gadget", 12, 2)); // replaces the row written before
    requests.add(Map.of("route", "GET /cart/{id}", "path", Map.of("id", "p-1"), "body", Map.of("cart", cart)));
    requests.add(Map.of("route", "GET /cart/{id}", "path", Map.of("id", "none"), "body", Map.of("cart", cart)));
    requests.add(Map.of("route", "GET /cart", "body", Map.of("cart", cart)));

    Invocation invocation = invoker.invoke(Map.of("requests", requests));
    Assertions.assertThat(invocation.failed()).as("%s", invocation).isFalse();
    JsonNode answers = invocation.output();
    Assertions.assertThat(answers.size()).isEqualTo(requests.size());
    Assertions.assertThat(answers.path(0).path("product_id").asText()).isEqualTo("p-1");
    Assertions.assertThat(answers.path(4).path("name").asText()).isEqualTo("Widget");
    Assertions.assertThat(answers.path(4).path("quantity").asInt()).isEqualTo(4);
    Assertions.assertThat(answers.path(5).isNull()).as("unknown product: %s", answers.path(5)).isTrue();
    JsonNode whole = answers.path(6);
    Assertions.assertThat(whole.path("products")).extracting(p -> p.path("product_id").asText())
        .containsExactly("p-1", "p-2", "p-3");
    Assertions.assertThat(whole.path("total_quantity").asInt()).isEqualTo(8);
    Assertions.assertThat(whole.path("total_cost").asDouble()).isCloseTo(2.5 * 4 + 12 * 2 + 0.75 * 2,
        Assertions.within(1e-9));
    Assertions.assertThat(whole.path("avg_price").asDouble()).isCloseTo(35.5 / 8, Assertions.within(1e-9));

    // the rows are in the table, as the function wrote them
    String table = invoker.tableName(TABLE);
    Assertions.assertThat(nosql.query(table, "cart_id", cart)).hasSize(3);
    Map<String, Object> gadget = nosql.get(table, Map.of("cart_id", cart, "product_id", "p-2")).orElseThrow();
    Assertions.assertThat(gadget).containsEntry("name", "Gadget");
    Assertions.assertThat(((Number) gadget.get("price")).doubleValue()).isEqualTo(12.0);
    Assertions.assertThat(((Number) gadget.get("quantity")).intValue()).isEqualTo(2);

    // a single request (no "requests" list) answers with its result alone
    Invocation single = invoker.invoke(Map.of("route", "GET /cart", "body", Map.of("cart", cart)));
    Assertions.assertThat(single.failed()).as("%s", single).isFalse();
    Assertions.assertThat(single.output().path("products").size()).isEqualTo(3);
    Assertions.assertThat(single.output().path("total_quantity").asInt()).isEqualTo(8);
  }

  private static Map<String, Object> put(String cart, String productId, String name, Number price, int quantity) {
    return Map.of("route", "PUT /cart", "body",
        Map.of("cart", cart, "product_id", productId, "name", name, "price", price, "quantity", quantity));
  }
}
