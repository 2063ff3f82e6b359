package io.sebs.junit.platform.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.platform.pool.FunctionInstance;
import io.sebs.junit.testing.Fixtures;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The function side: a Worker bundled as the platform bundles one (the Workers wrapper, function/nosql.js and the
 * benchmark's function.js, through esbuild), on its own workerd, whose SEBS_NOSQL service binding reaches the
 * sebs-nosql Worker's process; the rows it writes are read from Java through {@link CloudflareNoSqlStorage}.
 */
class CloudflareNoSqlFromWorkersTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LocalDate DATE = LocalDate.parse(CloudflareSettings.DEFAULT_COMPATIBILITY_DATE);

  private static WorkersTools tools;
  private static NoSqlWorker nosql;
  private static CloudflareNoSqlStorage storage;

  @TempDir
  Path packageDir;

  private final List<FunctionInstance> functions = new ArrayList<>();

  @BeforeAll
  static void startNoSql() {
    tools = WorkersTools.install(Fixtures.cacheDir(), Optional.empty());
    nosql = CloudflareNoSqlStorageTest.startNoSqlWorker(Optional.empty());
    storage = new CloudflareNoSqlStorage(nosql.endpoint(), Optional.empty());
  }

  @AfterAll
  static void stopNoSql() {
    if (nosql != null) {
      nosql.close();
    }
  }

  @AfterEach
  void stopFunctions() {
    functions.forEach(FunctionInstance::kill);
  }

  @Test
  void crudApiStoresTheCartInTheSebsNoSqlWorkerThroughItsServiceBinding() throws Exception {
    storage.createTable("crud-carts", "cart_id", "product_id");
    FunctionInstance fn = startFunction(Fixtures.catalogueDir().resolve("100.webapps/130.crud-api/nodejs/function.js"),
        Map.of("SEBS_NOSQL_TABLES", "{\"shopping_cart\": \"crud-carts\"}"), true);

    JsonNode answer = invoke(fn, Map.of("requests", List.of(
        Map.of("route", "PUT /cart", "body", Map.of("cart", "c1", "product_id", "p2", "name", "pen", "price", 2,
            "quantity", 3)),
        Map.of("route", "PUT /cart", "body", Map.of("cart", "c1", "product_id", "p1", "name", "ink", "price", 5,
            "quantity", 1)),
        Map.of("route", "GET /cart/{id}", "body", Map.of("cart", "c1"), "path", Map.of("id", "p2")),
        Map.of("route", "GET /cart", "body", Map.of("cart", "c1")))));

    assertThat(answer.has("error")).as("%s", answer).isFalse();
    JsonNode output = answer.path("result").path("output");
    assertThat(output.get(2).path("name").asText()).isEqualTo("pen");
    assertThat(output.get(3).path("total_quantity").asInt()).isEqualTo(4);
    assertThat(output.get(3).path("total_cost").asInt()).isEqualTo(11);
    assertThat(storage.query("crud-carts", "cart_id", "c1")).as("the rows, seen from the test side").containsExactly(
        Map.of("cart_id", "c1", "product_id", "p1", "name", "ink", "price", 5L, "quantity", 1L),
        Map.of("cart_id", "c1", "product_id", "p2", "name", "pen", "price", 2L, "quantity", 3L));
  }

  @Test
  void getUpdateQueryAndDeleteFromAFunctionSeeTheRowsTheTestSideWrote() throws Exception {
    storage.createTable("physical-items", "id", "part");
    storage.insert("physical-items", Map.of("id", "x", "part", "b", "n", 2));
    FunctionInstance fn = startFunction(writeFunction("""
        const nosql = require('./nosql');
        const db = nosql.nosql.get_instance();
        exports.handler = async function () {
          const seen = await db.get('items', ['id', 'x'], ['part', 'b']);
          const missing = await db.get('items', ['id', 'x'], ['part', 'zz']);
          await db.update('items', ['id', 'x'], ['part', 'b'], { n: 3, tag: 'new' });
          await db.update('items', ['id', 'x'], ['part', 'a'], { n: 1 });
          await db.insert('items', ['id', 'x'], ['part', 'c'], { n: 9 });
          await db.delete('items', ['id', 'x'], ['part', 'c']);
          const all = await db.query('items', ['id', 'x'], 'part');
          let unknown = null;
          try { await db.get('other', ['id', 'x'], null); } catch (e) { unknown = e.message; }
          return { seen, missing, parts: all.map((i) => i.part), unknown };
        };
        """), Map.of("SEBS_NOSQL_TABLES", "{\"items\": \"physical-items\"}"), true);

    JsonNode output = invoke(fn, Map.of()).path("result").path("output");

    assertThat(output.path("seen").path("n").asInt()).as("%s", output).isEqualTo(2);
    assertThat(output.path("missing").isNull()).as("get of a missing item is null").isTrue();
    assertThat(output.path("parts").toString()).isEqualTo("[\"a\",\"b\"]");
    assertThat(output.path("unknown").asText()).isEqualTo("unknown NoSQL table 'other'; known tables: items");
    assertThat(storage.get("physical-items", Map.of("id", "x", "part", "b")))
        .contains(Map.of("id", "x", "part", "b", "n", 3L, "tag", "new"));
  }

  @Test
  void everyFunctionInstanceSharesTheOneSebsNoSqlWorkerAsWorkersShareADurableObject() throws Exception {
    storage.createTable("shared", "id", null);
    Path code = writeFunction("""
        const db = require('./nosql').nosql.get_instance();
        exports.handler = async (event) => {
          if (event.write) await db.insert('t', ['id', 'k'], null, { by: event.write });
          return db.get('t', ['id', 'k'], null);
        };
        """);
    FunctionInstance one = startFunction(code, Map.of("SEBS_NOSQL_TABLES", "{\"t\": \"shared\"}"), true);
    FunctionInstance two = startFunction(code, Map.of("SEBS_NOSQL_TABLES", "{\"t\": \"shared\"}"), true);

    invoke(one, Map.of("write", "one"));
    JsonNode read = invoke(two, Map.of()).path("result").path("output");

    assertThat(one.id()).isNotEqualTo(two.id());
    assertThat(read.path("by").asText()).as("%s", read).isEqualTo("one");
  }

  @Test
  void aFunctionOnATableThatWasNotCreatedFailsWithTheSebsNoSqlWorkersMessage() throws Exception {
    FunctionInstance fn = startFunction(writeFunction("""
        const db = require('./nosql').nosql.get_instance();
        exports.handler = async () => db.insert('t', ['id', '1'], null, {});
        """), Map.of("SEBS_NOSQL_TABLES", "{\"t\": \"never-created\"}"), true);

    JsonNode answer = invoke(fn, Map.of());

    assertThat(answer.path("error").asText()).startsWith("Error: NoSQL insert on table 'never-created' failed:"
        + " HTTP 404: no table 'never-created': create it first");
  }

  @Test
  void aWorkerWithoutTheBindingFailsSayingWhereTheBindingComesFrom() throws Exception {
    FunctionInstance fn = startFunction(writeFunction("""
        const db = require('./nosql').nosql.get_instance();
        exports.handler = async () => db.get('t', ['id', '1'], null);
        """), Map.of("SEBS_NOSQL_TABLES", "{\"t\": \"t\"}"), false);

    JsonNode answer = invoke(fn, Map.of());

    assertThat(answer.path("error").asText()).startsWith("Error: the Worker has no SEBS_NOSQL binding: does"
        + " config.json list \"nosql\" in \"modules\"?");
  }

  @Test
  void theServiceBindingIsAServiceOfTheFunctionsConfigurationReachedOverHttp() {
    List<WorkerdConfig.Module> modules = List.of(new WorkerdConfig.Module("worker.js", WorkerdConfig.Kind.ES_MODULE,
        "bundle/worker.js"));
    String plain = WorkerdConfig.render(modules, DATE, Map.of("A", "1"));

    String bound = WorkerdConfig.render(modules, DATE, Map.of("A", "1"), List.of(), List.of(nosql.binding()));

    assertThat(WorkerdConfig.render(modules, DATE, Map.of("A", "1"), List.of(), List.of())).isEqualTo(plain);
    String address = "127.0.0.1:" + nosql.endpoint().getPort();
    assertThat(bound)
        .contains("(name = \"external-SEBS_NOSQL\", external = (address = \"" + address + "\", http = ())),")
        .contains("(name = \"SEBS_NOSQL\", service = \"external-SEBS_NOSQL\"),")
        .contains("(name = \"A\", text = \"1\"),");
    assertThat(plain).doesNotContain("SEBS_NOSQL");
  }

  /** A function.js with this code, in a folder of its own. */
  private Path writeFunction(String code) throws Exception {
    Path file = Files.createTempDirectory(packageDir, "source").resolve("function.js");
    Files.writeString(file, code);
    return file;
  }

  /**
   * Packages the wrapper, function/nosql.js and this function.js, bundles them, and starts the Worker on workerd
   * with these text bindings and, when {@code bound}, the SEBS_NOSQL binding to the sebs-nosql Worker.
   */
  private FunctionInstance startFunction(Path functionJs, Map<String, String> env, boolean bound) throws Exception {
    Path wrapper = Fixtures.catalogueDir().resolve("wrappers/cloudflare/nodejs");
    Path dir = Files.createTempDirectory(packageDir, "package");
    Files.createDirectories(dir.resolve("function"));
    Files.copy(wrapper.resolve(WorkerBundle.ENTRY), dir.resolve(WorkerBundle.ENTRY));
    Files.copy(wrapper.resolve("function/nosql.js"), dir.resolve("function/nosql.js"));
    Files.copy(functionJs, dir.resolve("function/function.js"));
    WorkerBundle.build(dir, tools.esbuild());
    String config = WorkerdConfig.render(WorkerBundle.modules(dir), DATE, env, List.of(),
        bound ? List.of(nosql.binding()) : List.of());
    FunctionInstance fn = WorkerdInstance.start(tools.workerd(), WorkerBundle.writeConfig(dir, config),
        java.time.Duration.ofSeconds(30), 0);
    functions.add(fn);
    return fn;
  }

  /** POSTs the event as the platform's client does and returns the wrapper's answer. */
  private static JsonNode invoke(FunctionInstance fn, Map<String, Object> event) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(fn.endpoint())
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(event))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
