package io.sebs.junit.platform.gcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.sun.net.httpserver.HttpServer;
import io.sebs.junit.benchmark.Language;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cloud Storage and Firestore in Datastore mode as sebs-junit and its functions use them, against the
 * in-memory stand-ins ({@link GcsApi}, {@link DatastoreApi}) on one loopback server that, like Google, refuses
 * requests without the access token. Google's Java clients ({@link GcsObjectStorage}, {@link
 * DatastoreNoSqlStorage}) on the platform side; on the function side the real modules in real processes, as a
 * function instance runs them: Python (python3, standard library only), Node.js (node with
 * {@code @google-cloud/storage}, installed once by npm into target/) and Java ({@code sebs.storage.Storage},
 * compiled and run in its own JVM), each getting its token from a metadata server as on Cloud Functions. What
 * one side writes, the other reads.
 */
class GcpStorageContractTest {

  static final String PROJECT = "sebs-test";
  static final String TOKEN = "ya29.test-token";
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path WRAPPERS = Path.of(System.getProperty("sebs.benchmarks.dir", "../../benchmarks"), "wrappers",
      "gcp");

  static HttpServer server;
  static GcsApi gcs;
  static DatastoreApi datastore;
  static String base;

  @TempDir
  Path temp;

  @BeforeAll
  static void startStandIns() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    gcs = new GcsApi(("Bearer " + TOKEN)::equals);
    datastore = new DatastoreApi(("Bearer " + TOKEN)::equals);
    datastore.createDatabase(PROJECT, "sebs");
    for (String path : GcsApi.PATHS) {
      server.createContext(path, gcs);
    }
    server.createContext("/v1/", exchange -> {
      if (DatastoreApi.handles(exchange.getRequestURI().getPath())) {
        datastore.handle(exchange);
      } else {
        exchange.sendResponseHeaders(404, -1);
        exchange.close();
      }
    });
    server.createContext("/computeMetadata/v1/", exchange -> { // the metadata server, as Google's clients probe it
      boolean google = "Google".equals(exchange.getRequestHeaders().getFirst("Metadata-Flavor"));
      String path = exchange.getRequestURI().getPath();
      String answer = path.endsWith("/service-accounts/default/token")
          ? "{\"access_token\":\"" + TOKEN + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}"
          : path.endsWith("/project/project-id") ? PROJECT
          : path.endsWith("/universe/universe-domain") ? "googleapis.com"
          : path.matches("/computeMetadata/v1/(instance/?)?") ? "" : null; // the probes: 200, empty
      byte[] body = answer == null ? new byte[0] : answer.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Metadata-Flavor", "Google");
      exchange.sendResponseHeaders(!google ? 403 : answer == null ? 404 : 200, body.length > 0 ? body.length : -1);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
      exchange.close();
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  static GoogleCredentials credentials() {
    return GoogleCredentials.create(new AccessToken(TOKEN, Date.from(Instant.now().plus(Duration.ofHours(1)))));
  }

  // ------------------------------------------------------------------------------------------------ Java side

  @Test
  void objectStorageRoundTripsThroughTheJsonApi() throws IOException {
    GcsObjectStorage storage = new GcsObjectStorage(base, credentials(), PROJECT, "sebs-run-1", "us-central1");
    storage.createBucket("sebs-run-1");
    storage.createBucket("sebs-run-1"); // again: ours already, fine
    assertTrue(storage.buckets().contains("sebs-run-1"));

    storage.upload("sebs-run-1", "in/a.txt", "alpha".getBytes(StandardCharsets.UTF_8));
    Path file = Files.writeString(temp.resolve("b.txt"), "beta");
    storage.upload("sebs-run-1", "in/sub dir/b+c.txt", file);
    storage.upload("sebs-run-1", "out/x", new byte[0]);

    assertEquals("alpha", new String(storage.download("sebs-run-1", "in/a.txt"), StandardCharsets.UTF_8));
    Path target = temp.resolve("down/b.txt");
    storage.download("sebs-run-1", "in/sub dir/b+c.txt", target);
    assertEquals("beta", Files.readString(target));
    assertEquals(List.of("in/a.txt", "in/sub dir/b+c.txt"), storage.list("sebs-run-1", "in/"));
    assertEquals(3, storage.list("sebs-run-1", "").size());
    assertEquals(0, storage.download("sebs-run-1", "out/x").length);

    storage.delete("sebs-run-1", "in/a.txt");
    assertEquals(List.of("in/sub dir/b+c.txt"), storage.list("sebs-run-1", "in/"));
    assertThrows(NoSuchElementException.class, () -> storage.download("sebs-run-1", "in/a.txt"));

    storage.deleteBucket("sebs-run-1");
    assertFalse(gcs.hasBucket("sebs-run-1"));
    storage.deleteBucket("sebs-run-1"); // gone already: nothing happens
  }

  @Test
  void aLargeFileGoesThroughAResumableSessionAByteArrayThroughOneMultipartRequest() throws IOException {
    GcsObjectStorage storage = new GcsObjectStorage(base, credentials(), PROJECT, "sebs-large", null);
    storage.createBucket("sebs-large");
    byte[] content = new byte[17 * 1024 * 1024 + 123];
    new Random(13).nextBytes(content);
    Path file = Files.write(temp.resolve("large.bin"), content);
    int before = gcs.uploadTypes().size();
    int requestsBefore = gcs.requests().size();

    storage.upload("sebs-large", "big/large.bin", file);
    storage.upload("sebs-large", "small", new byte[] {1, 2, 3});

    assertEquals(List.of("resumable", "multipart"), gcs.uploadTypes().subList(before, before + 2),
        "files go through a resumable session, byte arrays as one multipart request");
    List<String> chunks = gcs.requests().subList(requestsBefore, gcs.requests().size()).stream()
        .filter(r -> r.startsWith("PUT /upload/")).toList();
    assertEquals(List.of("PUT /upload/storage/v1/b/sebs-large/o bytes 0-" + (content.length - 1) + "/"
        + content.length), chunks, "knowing the file's size, the client sends it in one PUT of the session");
    assertArrayEquals(content, storage.download("sebs-large", "big/large.bin"));
    Path copy = temp.resolve("copy.bin");
    storage.download("sebs-large", "big/large.bin", copy);
    assertArrayEquals(content, Files.readAllBytes(copy));
  }

  @Test
  void aResumableSessionAnswers308WithTheRangeReceivedUntilTheLastChunk() throws Exception {
    new GcsObjectStorage(base, credentials(), PROJECT, "sebs-chunks", null).createBucket("sebs-chunks");
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpResponse<String> start = http.send(java.net.http.HttpRequest.newBuilder(
            URI.create(base + "/upload/storage/v1/b/sebs-chunks/o?uploadType=resumable&name=c.bin"))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    URI session = URI.create(start.headers().firstValue("Location").orElseThrow());

    java.net.http.HttpResponse<String> first = http.send(java.net.http.HttpRequest.newBuilder(session)
        .header("Authorization", "Bearer " + TOKEN).header("Content-Range", "bytes 0-3/*")
        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("abcd")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(308, first.statusCode());
    assertEquals("bytes=0-3", first.headers().firstValue("Range").orElseThrow());
    java.net.http.HttpResponse<String> last = http.send(java.net.http.HttpRequest.newBuilder(session)
        .header("Authorization", "Bearer " + TOKEN).header("Content-Range", "bytes 4-5/6")
        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("ef")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, last.statusCode());
    assertEquals("6", JSON.readTree(last.body()).path("size").asText());
    assertEquals("abcdef", new String(new GcsObjectStorage(base, credentials(), PROJECT, "sebs-chunks", null)
        .download("sebs-chunks", "c.bin"), StandardCharsets.UTF_8));
  }

  @Test
  void aBucketNameTakenByAnotherProjectIsAnErrorSayingSo() {
    gcs.addForeignBucket("sebs-taken");
    GcsObjectStorage storage = new GcsObjectStorage(base, credentials(), PROJECT, "sebs-taken", null);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> storage.createBucket("sebs-taken"));
    assertTrue(e.getMessage().contains("already taken by another project"), e.getMessage());
  }

  @Test
  void requestsWithoutTheTokenAreRefusedAsGoogleDoes() {
    GcsObjectStorage storage = new GcsObjectStorage(base, NoCredentials.getInstance(), PROJECT, "sebs-anon", null);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> storage.createBucket("sebs-anon"));
    assertTrue(e.getMessage().contains("401"), e.getMessage());
    DatastoreNoSqlStorage tables = new DatastoreNoSqlStorage(base, PROJECT, "sebs", NoCredentials.getInstance());
    assertThrows(IllegalStateException.class, tables::verifyDatabase);
  }

  @Test
  void tablesKeepSebsPartitionAndSortKeySemantics() {
    DatastoreNoSqlStorage nosql = new DatastoreNoSqlStorage(base, PROJECT, "sebs", credentials());
    nosql.verifyDatabase();
    nosql.createTable("sebs-r-shop-cart", "cart_id", "product_id");

    Map<String, Object> item = new LinkedHashMap<>();
    item.put("cart_id", "c1");
    item.put("product_id", "p1");
    item.put("price", 10L);
    item.put("weight", 1.5);
    item.put("fragile", true);
    item.put("note", null);
    item.put("tags", List.of("a", 2L));
    item.put("dims", Map.of("w", 3L, "h", "x".repeat(2000))); // long strings: not indexed, so allowed
    item.put("empty", List.of());
    nosql.insert("sebs-r-shop-cart", item);
    nosql.insert("sebs-r-shop-cart", Map.of("cart_id", "c1", "product_id", "p2", "price", 20L));
    nosql.insert("sebs-r-shop-cart", Map.of("cart_id", "c2", "product_id", "p1", "price", 30L));

    Map<String, Object> read = nosql.get("sebs-r-shop-cart", Map.of("cart_id", "c1", "product_id", "p1"))
        .orElseThrow();
    assertEquals(item, read, "items round-trip with their key attributes");
    assertEquals(Optional.empty(), nosql.get("sebs-r-shop-cart", Map.of("cart_id", "c9", "product_id", "p1")));

    nosql.update("sebs-r-shop-cart", Map.of("cart_id", "c1", "product_id", "p2"), Map.of("price", 25L, "qty", 2L));
    assertEquals(Map.of("cart_id", "c1", "product_id", "p2", "price", 25L, "qty", 2L),
        nosql.get("sebs-r-shop-cart", Map.of("cart_id", "c1", "product_id", "p2")).orElseThrow());

    List<Map<String, Object>> c1 = nosql.query("sebs-r-shop-cart", "cart_id", "c1");
    assertEquals(List.of("p1", "p2"), c1.stream().map(i -> i.get("product_id")).toList(),
        "a partition's items, by sort key");
    assertEquals(1, nosql.query("sebs-r-shop-cart", "cart_id", "c2").size());

    nosql.delete("sebs-r-shop-cart", Map.of("cart_id", "c1", "product_id", "p1"));
    assertEquals(1, nosql.query("sebs-r-shop-cart", "cart_id", "c1").size());

    nosql.createTable("sebs-r-shop-users", "user", null); // partition key only
    nosql.insert("sebs-r-shop-users", Map.of("user", 7L, "name", "ann"));
    assertEquals(List.of(Map.of("user", 7L, "name", "ann")), nosql.query("sebs-r-shop-users", "user", 7L));

    assertTrue(nosql.tables().containsAll(List.of("sebs-r-shop-cart", "sebs-r-shop-users")), nosql.tables().toString());
    nosql.deleteTable("sebs-r-shop-cart");
    assertFalse(nosql.tables().contains("sebs-r-shop-cart"));
    nosql.deleteTable("sebs-r-shop-cart"); // gone: nothing happens
  }

  @Test
  void manyItemsInOnePartitionComeBackAcrossQueryBatches() {
    DatastoreNoSqlStorage nosql = new DatastoreNoSqlStorage(base, PROJECT, "sebs", credentials());
    nosql.createTable("sebs-r-batch", "pk", "sk");
    for (int i = 0; i < 650; i++) {
      nosql.insert("sebs-r-batch", Map.of("pk", "p", "sk", String.format("%04d", i)));
    }
    assertEquals(650, nosql.query("sebs-r-batch", "pk", "p").size());
    nosql.deleteTable("sebs-r-batch");
  }

  @Test
  void aDatabaseThatDoesNotExistFailsNamingTheGcloudCommand() {
    DatastoreNoSqlStorage nosql = new DatastoreNoSqlStorage(base, PROJECT, "missing", credentials());
    IllegalStateException e = assertThrows(IllegalStateException.class, nosql::verifyDatabase);
    assertTrue(e.getMessage().contains("gcloud firestore databases create --database=missing --type=datastore-mode"),
        e.getMessage());
  }

  @Test
  void tablesNeedTheirKeySchemaFromCreateTable() {
    DatastoreNoSqlStorage nosql = new DatastoreNoSqlStorage(base, PROJECT, "sebs", credentials());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> nosql.get("unknown", Map.of("a", "b")));
    assertTrue(e.getMessage().contains("createTable"), e.getMessage());
  }

  @Test
  void theJavaClientSpeaksProtobufToDatastoreAndUpdatesInATransaction() {
    DatastoreNoSqlStorage nosql = new DatastoreNoSqlStorage(base, PROJECT, "sebs", credentials());
    nosql.createTable("sebs-r-wire", "pk", "sk");
    int before = datastore.requestsSeen().size();
    nosql.update("sebs-r-wire", Map.of("pk", "a", "sk", "b"), Map.of("v", 1L));
    assertEquals(List.of("beginTransaction application/x-protobuf", "lookup application/x-protobuf",
        "commit application/x-protobuf"), datastore.requestsSeen().subList(before, datastore.requestsSeen().size()));
  }

  @Test
  void theDatastoreStandInAnswersJsonInJsonAndRefusesAsFirestoreDoes() throws Exception {
    assertTrue(DatastoreApi.handles("/v1/projects/p:runQuery"));
    assertFalse(DatastoreApi.handles("/v1/projects/p/locations/us-central1/workflows"), "Workflows' paths");

    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    String lookup = "{\"databaseId\":\"sebs\",\"keys\":[{\"path\":[{\"kind\":\"k\",\"id\":\"5\"}]}]}";
    java.net.http.HttpResponse<String> missing = http.send(java.net.http.HttpRequest.newBuilder(
            URI.create(base + "/v1/projects/" + PROJECT + ":lookup")).header("Authorization", "Bearer " + TOKEN)
        .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(lookup))
        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, missing.statusCode());
    assertEquals("5", JSON.readTree(missing.body()).path("missing").path(0).path("entity").path("key").path("path")
        .path(0).path("id").asText(), "int64 in JSON is a string");

    java.net.http.HttpResponse<String> noDatabase = http.send(java.net.http.HttpRequest.newBuilder(
            URI.create(base + "/v1/projects/" + PROJECT + ":lookup")).header("Authorization", "Bearer " + TOKEN)
        .header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(lookup.replace("sebs", "nope"))).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(404, noDatabase.statusCode());
    assertEquals("NOT_FOUND", JSON.readTree(noDatabase.body()).path("error").path("status").asText());

    java.net.http.HttpResponse<String> anonymous = http.send(java.net.http.HttpRequest.newBuilder(
            URI.create(base + "/v1/projects/" + PROJECT + ":lookup")).header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(lookup)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(401, anonymous.statusCode());
    assertEquals("UNAUTHENTICATED", JSON.readTree(anonymous.body()).path("error").path("status").asText());
  }

  // ------------------------------------------------------------------------------------------------ platform

  @Test
  void gcpStorageScopesTheBucketToTheRunAndTellsFunctionsWhereToGo() {
    GcpStorage storage = new GcpStorage("20261203-070000-abc123", PROJECT, credentials(), URI.create(base),
        URI.create(base), "sebs", "us-central1");
    assertTrue(storage.endpoints().functionEnvironment().isEmpty(), "nothing in use yet");
    assertEquals("sebs-20261203-070000-abc123", storage.objectStorage().benchmarksBucket());
    assertTrue(gcs.hasBucket("sebs-20261203-070000-abc123"), "created on first use");
    storage.noSqlStorage();

    Map<String, String> env = new LinkedHashMap<>(storage.endpoints().functionEnvironment());
    env.putAll(storage.functionEnvironment());
    assertEquals(base, env.get("STORAGE_EMULATOR_HOST"));
    assertEquals("127.0.0.1:" + server.getAddress().getPort(), env.get("DATASTORE_EMULATOR_HOST"));
    assertEquals("sebs", env.get("SEBS_NOSQL_DATABASE"));
    assertEquals(base, env.get("SEBS_STORAGE_ENDPOINT"));
    storage.close();

    GcpStorage google = new GcpStorage("r1", PROJECT, credentials(), null, null, null, null);
    assertEquals("(default)", google.database());
    assertThrows(IllegalArgumentException.class,
        () -> new GcpStorage("Upper_Case", PROJECT, credentials(), null, null, null, null));
  }

  @Test
  void functionDependenciesPerLanguage() {
    List<String> both = List.of("storage", "nosql");
    assertEquals(Map.of(), GcpStorageModules.dependencies(Language.PYTHON, both), "Python: standard library only");
    assertEquals(Map.of("@google-cloud/storage", GcpStorageModules.NODE_STORAGE_VERSION),
        GcpStorageModules.dependencies(Language.NODEJS, both));
    Map<String, String> java = GcpStorageModules.dependencies(Language.JAVA, both);
    assertTrue(java.get("com.google.cloud:google-cloud-storage").matches("\\d+\\.\\d+\\.\\d+"), java.toString());
    assertTrue(java.get("com.google.cloud:google-cloud-datastore").matches("\\d+\\.\\d+\\.\\d+"), java.toString());
    assertEquals(Map.of(), GcpStorageModules.dependencies(Language.NODEJS, List.of()));
  }

  // ------------------------------------------------------------------------------------------------ Python side

  /** What a Python function does with storage.py and nosql.py; prints one JSON object. */
  static final String PYTHON_SCRIPT = String.join("\n",
      "import json, os, sys, tempfile",
      "sys.path.insert(0, sys.argv[1])",
      "from function import storage, nosql",
      "s = storage.storage.get_instance()",
      "out = {}",
      "tmp = tempfile.mkdtemp()",
      "src = os.path.join(tmp, 'src.txt')",
      "open(src, 'wb').write(b'0123456789')",
      "out['key'] = s.upload('py-bucket', 'in/data.txt', src)",
      "out['fixed'] = s.upload('py-bucket', 'in/fixed.txt', src, unique_name=False)",
      "out['stream_key'] = s.upload_stream('py-bucket', 'in/stream.bin', b'streamed')",
      "out['stream'] = bytes(s.download_stream('py-bucket', out['stream_key'])).decode()",
      "s.download('py-bucket', 'in/fixed.txt', os.path.join(tmp, 'copy.txt'))",
      "out['copy'] = open(os.path.join(tmp, 'copy.txt')).read()",
      "out['range'] = s.download_within_range('py-bucket', 'in/fixed.txt', 2, 5)",
      "out['listed'] = sorted(s.list_directory('py-bucket', 'in/'))",
      "s.download_directory('py-bucket', 'in/', os.path.join(tmp, 'dir'))",
      "for i in range(1005):",
      "    s.upload_stream('py-bucket', 'many/%04d' % i, b'x', unique_name=False)",
      "out['many'] = len(list(s.list_directory('py-bucket', 'many/')))",
      "out['dir'] = sorted(os.listdir(os.path.join(tmp, 'dir', 'in')))",
      "n = nosql.nosql.get_instance()",
      "n.insert('cart', ('cart_id', 'c1'), ('product_id', 'p1'), {'price': 10, 'w': 1.5, 'ok': True, 'n': None,",
      "         'tags': ['a', 1], 'm': {'x': 'y'}, 'long': 'z' * 2000})",
      "n.insert('cart', ('cart_id', 'c1'), ('product_id', 'p2'), {'price': 20})",
      "out['get'] = n.get('cart', ('cart_id', 'c1'), ('product_id', 'p1'))",
      "n.update('cart', ('cart_id', 'c1'), ('product_id', 'p2'), {'price': 25, 'qty': 2})",
      "out['updated'] = n.get('cart', ('cart_id', 'c1'), ('product_id', 'p2'))",
      "out['query'] = n.query('cart', ('cart_id', 'c1'), 'product_id')",
      "n.delete('cart', ('cart_id', 'c1'), ('product_id', 'p1'))",
      "out['after_delete'] = n.get('cart', ('cart_id', 'c1'), ('product_id', 'p1'))",
      "out['remaining'] = len(n.query('cart', ('cart_id', 'c1'), 'product_id'))",
      "print(json.dumps(out))");

  @Test
  void thePythonModulesSpeakTheSameApisWithTheStandardLibraryOnly() throws Exception {
    GcsObjectStorage storage = new GcsObjectStorage(base, credentials(), PROJECT, "py-bucket", null);
    storage.createBucket("py-bucket");
    DatastoreNoSqlStorage nosql = new DatastoreNoSqlStorage(base, PROJECT, "sebs", credentials());
    nosql.createTable("sebs-r-py-cart", "cart_id", "product_id");

    Path script = Files.writeString(temp.resolve("use_modules.py"), PYTHON_SCRIPT);
    ProcessBuilder process = new ProcessBuilder("python3", script.toString(),
        WRAPPERS.resolve("python").toAbsolutePath().toString());
    Map<String, String> env = process.environment();
    env.keySet().removeIf(k -> k.startsWith("GOOGLE_") || k.endsWith("_EMULATOR_HOST"));
    env.put("STORAGE_EMULATOR_HOST", base);
    env.put("DATASTORE_EMULATOR_HOST", "127.0.0.1:" + server.getAddress().getPort());
    env.put("GCE_METADATA_HOST", "127.0.0.1:" + server.getAddress().getPort()); // the token, as on Cloud Functions
    env.put("GOOGLE_CLOUD_PROJECT", PROJECT);
    env.put("SEBS_NOSQL_DATABASE", "sebs");
    env.put("SEBS_NOSQL_TABLES", "{\"cart\": \"sebs-r-py-cart\"}");
    process.redirectErrorStream(false);
    Process p = process.start();
    byte[] stdout = p.getInputStream().readAllBytes();
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), stderr);
    JsonNode out = JSON.readTree(stdout);

    assertTrue(out.path("key").asText().matches("in/data\\.[0-9a-f]{8}\\.txt"), out.toString());
    assertEquals("in/fixed.txt", out.path("fixed").asText());
    assertEquals("streamed", out.path("stream").asText());
    assertEquals("0123456789", out.path("copy").asText());
    assertEquals("2345", out.path("range").asText(), "bytes 2..5, inclusive");
    assertEquals(List.of(out.path("key").asText(), "in/fixed.txt", out.path("stream_key").asText()).stream()
        .sorted().toList(), JSON.convertValue(out.path("listed"), List.class));
    assertEquals(3, out.path("dir").size());
    assertEquals(1005, out.path("many").asInt(), "listing follows nextPageToken (pages of 1000)");
    // written by Python, read by Java: the same objects
    assertEquals("0123456789", new String(storage.download("py-bucket", "in/fixed.txt"), StandardCharsets.UTF_8));

    JsonNode got = out.path("get");
    assertEquals("c1", got.path("cart_id").asText());
    assertEquals("p1", got.path("product_id").asText());
    assertEquals(10, got.path("price").asInt());
    assertTrue(got.path("price").isIntegralNumber());
    assertEquals(1.5, got.path("w").asDouble());
    assertTrue(got.path("ok").asBoolean());
    assertTrue(got.has("n") && got.path("n").isNull());
    assertEquals("[\"a\",1]", got.path("tags").toString());
    assertEquals("y", got.path("m").path("x").asText());
    assertEquals(2000, got.path("long").asText().length());
    assertEquals(25, out.path("updated").path("price").asInt());
    assertEquals(2, out.path("updated").path("qty").asInt());
    assertEquals(2, out.path("query").size());
    assertEquals("p1", out.path("query").path(0).path("product_id").asText());
    assertTrue(out.path("after_delete").isNull());
    assertEquals(1, out.path("remaining").asInt());

    // written by Python, read by Java (and the reverse): the same entities
    Map<String, Object> fromJava = nosql.get("sebs-r-py-cart", Map.of("cart_id", "c1", "product_id", "p2"))
        .orElseThrow();
    assertEquals(25L, fromJava.get("price"));
    List<String> seen = new ArrayList<>(datastore.requestsSeen());
    assertTrue(seen.contains("commit application/json"), seen.toString());
  }

  @Test
  void behindTheEmulatorVariablesAlonePythonSendsNoCredentials() throws Exception {
    HttpServer emulator = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    GcsApi openGcs = new GcsApi(header -> header == null); // an emulator: no token expected, none sent
    DatastoreApi openDatastore = new DatastoreApi(header -> header == null);
    GcsApi.PATHS.forEach(path -> emulator.createContext(path, openGcs));
    emulator.createContext("/v1/", openDatastore);
    emulator.start();
    try {
      String host = "127.0.0.1:" + emulator.getAddress().getPort();
      Path script = Files.writeString(temp.resolve("emulated.py"), String.join("\n",
          "import json, sys",
          "sys.path.insert(0, sys.argv[1])",
          "from function import storage, nosql",
          "s = storage.storage.get_instance()",
          "key = s.upload_stream('emu-bucket', 'k.txt', b'hi', unique_name=False)",
          "n = nosql.nosql.get_instance()",
          "n.insert('t', ('pk', 'a'), None, {'v': 1})",
          "print(json.dumps({'data': s.download_stream('emu-bucket', key).decode(), 'item': n.get('t', ('pk', 'a'), None),",
          "                  'query': n.query('t', ('pk', 'a'), None)}))"));
      ProcessBuilder process = new ProcessBuilder("python3", script.toString(),
          WRAPPERS.resolve("python").toAbsolutePath().toString());
      Map<String, String> env = process.environment();
      env.keySet().removeIf(k -> k.startsWith("GOOGLE_") || k.startsWith("GCE_") || k.endsWith("_EMULATOR_HOST"));
      env.put("STORAGE_EMULATOR_HOST", "http://" + host);
      env.put("DATASTORE_EMULATOR_HOST", host);
      env.put("GOOGLE_CLOUD_PROJECT", PROJECT);
      env.put("SEBS_NOSQL_TABLES", "{\"t\": \"sebs-r-t\"}");
      new GcsObjectStorage("http://" + host, NoCredentials.getInstance(), PROJECT, "emu-bucket", null)
          .createBucket("emu-bucket");
      Process p = process.start();
      byte[] stdout = p.getInputStream().readAllBytes();
      String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), stderr);
      JsonNode out = JSON.readTree(stdout);
      assertEquals("hi", out.path("data").asText());
      assertEquals("{\"v\":1,\"pk\":\"a\"}", out.path("item").toString(), "a partition-key-only table, (default) database");
      assertEquals(1, out.path("query").size());
      assertEquals(1, openDatastore.size(PROJECT, "(default)"));
    } finally {
      emulator.stop(0);
    }
  }

  // ------------------------------------------------------------------------------------------------ Node.js side

  /** What a Node.js function does with storage.js and nosql.js; prints one JSON object. */
  static final String NODE_SCRIPT = String.join("\n",
      "const fs = require('fs'), os = require('os'), path = require('path');",
      "const dir = process.argv[2];",
      "const { storage } = require(path.join(dir, 'storage.js'));",
      "const { nosql } = require(path.join(dir, 'nosql.js'));",
      "(async () => {",
      "  const s = storage.get_instance(), out = {};",
      "  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sebs-node-'));",
      "  fs.writeFileSync(path.join(tmp, 'src.txt'), '0123456789');",
      "  let [key, done] = s.upload('node-bucket', 'in/data.txt', path.join(tmp, 'src.txt'));",
      "  await done; out.key = key;",
      "  [key, done] = s.upload('node-bucket', 'in/fixed.txt', path.join(tmp, 'src.txt'), false);",
      "  await done; out.fixed = key;",
      "  const [writer, written, streamKey] = s.uploadStream('node-bucket', 'in/stream.bin');",
      "  writer.end(Buffer.from('streamed')); await written; out.stream_key = streamKey;",
      "  const chunks = []; for await (const c of await s.downloadStream('node-bucket', streamKey)) chunks.push(c);",
      "  out.stream = Buffer.concat(chunks).toString();",
      "  await s.download('node-bucket', 'in/fixed.txt', path.join(tmp, 'copy.txt'));",
      "  out.copy = fs.readFileSync(path.join(tmp, 'copy.txt'), 'utf8');",
      "  out.range = await s.downloadWithinRange('node-bucket', 'in/fixed.txt', 2, 5);",
      "  out.listed = (await s.listDirectory('node-bucket', 'in/')).sort();",
      "  await s.downloadDirectory('node-bucket', 'in/', path.join(tmp, 'dir'));",
      "  out.dir = fs.readdirSync(path.join(tmp, 'dir', 'in')).sort();",
      "  const n = nosql.get_instance();",
      "  await n.insert('cart', ['cart_id', 'c1'], ['product_id', 'p1'], {price: 10, w: 1.5, ok: true, n: null,",
      "    tags: ['a', 1], m: {x: 'y'}, long: 'z'.repeat(2000)});",
      "  await n.insert('cart', ['cart_id', 'c1'], ['product_id', 'p2'], {price: 20});",
      "  out.get = await n.get('cart', ['cart_id', 'c1'], ['product_id', 'p1']);",
      "  await n.update('cart', ['cart_id', 'c1'], ['product_id', 'p2'], {price: 25, qty: 2});",
      "  out.updated = await n.get('cart', ['cart_id', 'c1'], ['product_id', 'p2']);",
      "  out.query = await n.query('cart', ['cart_id', 'c1'], 'product_id');",
      "  await n.delete('cart', ['cart_id', 'c1'], ['product_id', 'p1']);",
      "  out.after_delete = await n.get('cart', ['cart_id', 'c1'], ['product_id', 'p1']);",
      "  out.remaining = (await n.query('cart', ['cart_id', 'c1'], 'product_id')).length;",
      "  console.log(JSON.stringify(out));",
      "})().catch((e) => { console.error(e); process.exit(1); });");

  /**
   * @google-cloud/storage installed once into the build directory (npm, some seconds); the test is skipped where
   * npm or the registry is unavailable.
   */
  static Path nodeModules() throws Exception {
    Path dir = Path.of("target", "node-gcp-storage").toAbsolutePath();
    Path modules = dir.resolve("node_modules");
    if (Files.isDirectory(modules.resolve("@google-cloud/storage"))) {
      return modules;
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("package.json"), "{\"name\":\"gcp-storage-test\",\"version\":\"1.0.0\","
        + "\"private\":true,\"dependencies\":{\"" + GcpStorageModules.NODE_STORAGE + "\":\""
        + GcpStorageModules.NODE_STORAGE_VERSION + "\"}}");
    Process npm;
    try {
      npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--omit=dev").directory(dir.toFile())
          .redirectErrorStream(true).redirectOutput(dir.resolve("npm.log").toFile()).start();
    } catch (IOException e) {
      org.junit.jupiter.api.Assumptions.abort("npm is not available: " + e.getMessage());
      return null;
    }
    boolean finished = npm.waitFor(120, TimeUnit.SECONDS);
    if (!finished) {
      npm.destroyForcibly();
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(finished && npm.exitValue() == 0,
        "npm install " + GcpStorageModules.NODE_STORAGE + " failed: see " + dir.resolve("npm.log"));
    return modules;
  }

  @Test
  void theNodeModulesSpeakTheSameApis() throws Exception {
    Path modules = nodeModules();
    GcsObjectStorage storage = new GcsObjectStorage(base, credentials(), PROJECT, "node-bucket", null);
    storage.createBucket("node-bucket");
    DatastoreNoSqlStorage nosql = new DatastoreNoSqlStorage(base, PROJECT, "sebs", credentials());
    nosql.createTable("sebs-r-node-cart", "cart_id", "product_id");

    int uploadsBefore = gcs.uploadTypes().size();
    int requestsBefore = gcs.requests().size();
    Path script = Files.writeString(temp.resolve("use_modules.js"), NODE_SCRIPT);
    ProcessBuilder process = new ProcessBuilder("node", script.toString(),
        WRAPPERS.resolve("nodejs/function").toAbsolutePath().toString());
    Map<String, String> env = process.environment();
    env.keySet().removeIf(k -> k.startsWith("GOOGLE_") || k.endsWith("_EMULATOR_HOST"));
    env.put("NODE_PATH", modules.toString());
    env.put("STORAGE_EMULATOR_HOST", base);
    env.put("DATASTORE_EMULATOR_HOST", "127.0.0.1:" + server.getAddress().getPort());
    env.put("GCE_METADATA_HOST", "127.0.0.1:" + server.getAddress().getPort());
    env.put("GOOGLE_CLOUD_PROJECT", PROJECT);
    env.put("SEBS_NOSQL_DATABASE", "sebs");
    env.put("SEBS_NOSQL_TABLES", "{\"cart\": \"sebs-r-node-cart\"}");
    env.put("HOME", temp.toString()); // no gcloud credentials of the machine's user
    Process p = process.start();
    byte[] stdout = p.getInputStream().readAllBytes();
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), stderr);
    JsonNode out = JSON.readTree(stdout);

    assertTrue(out.path("key").asText().matches("in/data\\.[0-9a-f]{8}\\.txt"), out.toString());
    assertEquals("in/fixed.txt", out.path("fixed").asText());
    assertEquals("streamed", out.path("stream").asText());
    assertEquals("0123456789", out.path("copy").asText());
    assertEquals("2345", out.path("range").asText(), "bytes 2..5, inclusive");
    assertEquals(3, out.path("listed").size());
    assertEquals(3, out.path("dir").size());
    assertEquals("0123456789", new String(storage.download("node-bucket", "in/fixed.txt"), StandardCharsets.UTF_8));
    assertEquals(List.of("multipart", "multipart", "multipart"),
        gcs.uploadTypes().subList(uploadsBefore, uploadsBefore + 3), "non-resumable uploads are multipart requests");
    assertTrue(gcs.requests().subList(requestsBefore, gcs.requests().size()).stream()
        .noneMatch(r -> r.startsWith("GET /b/")), "the JSON API under /storage/v1, not the emulator-only /b/...");

    JsonNode got = out.path("get");
    assertEquals("c1", got.path("cart_id").asText());
    assertEquals("p1", got.path("product_id").asText());
    assertEquals(10, got.path("price").asInt());
    assertEquals(1.5, got.path("w").asDouble());
    assertTrue(got.path("ok").asBoolean());
    assertTrue(got.has("n") && got.path("n").isNull());
    assertEquals("[\"a\",1]", got.path("tags").toString());
    assertEquals("y", got.path("m").path("x").asText());
    assertEquals(25, out.path("updated").path("price").asInt());
    assertEquals(2, out.path("updated").path("qty").asInt());
    assertEquals(2, out.path("query").size());
    assertTrue(out.path("after_delete").isNull());
    assertEquals(1, out.path("remaining").asInt());
    assertEquals(25L, nosql.get("sebs-r-node-cart", Map.of("cart_id", "c1", "product_id", "p2")).orElseThrow()
        .get("price"));
  }

  // ------------------------------------------------------------------------------------------------ Java side of functions

  /** What a Java function does with sebs.storage.Storage; prints one JSON object. */
  static final String JAVA_DRIVER = String.join("\n",
      "import java.nio.file.*;",
      "public class UseStorage {",
      "  public static void main(String[] args) throws Exception {",
      "    sebs.storage.Storage s = sebs.storage.Storage.getInstance();",
      "    Path tmp = Files.createTempDirectory(\"sebs-java-\");",
      "    Path src = Files.writeString(tmp.resolve(\"src.txt\"), \"0123456789\");",
      "    String key = s.upload(\"java-bucket\", \"in/data.txt\", src);",
      "    String streamKey = s.uploadStream(\"java-bucket\", \"in/stream.bin\", \"streamed\".getBytes());",
      "    String stream = new String(s.downloadStream(\"java-bucket\", streamKey));",
      "    s.download(\"java-bucket\", key, tmp.resolve(\"copy/copy.txt\"));",
      "    s.downloadDirectory(\"java-bucket\", \"in/\", tmp.resolve(\"dir\"));",
      "    System.out.println(\"{\\\"key\\\":\\\"\" + key + \"\\\",\\\"stream\\\":\\\"\" + stream",
      "        + \"\\\",\\\"copy\\\":\\\"\" + Files.readString(tmp.resolve(\"copy/copy.txt\"))",
      "        + \"\\\",\\\"listed\\\":\" + s.list(\"java-bucket\", \"in/\").size()",
      "        + \",\\\"dir\\\":\" + Files.list(tmp.resolve(\"dir/in\")).count() + \"}\");",
      "  }",
      "}");

  @Test
  void theJavaStorageClassSpeaksTheSameApi() throws Exception {
    new GcsObjectStorage(base, credentials(), PROJECT, "java-bucket", null).createBucket("java-bucket");
    Path classes = Files.createDirectories(temp.resolve("classes"));
    Path driver = Files.writeString(Files.createDirectories(temp.resolve("src")).resolve("UseStorage.java"),
        JAVA_DRIVER);
    Path storageSource = WRAPPERS.resolve("java/function/src/main/java/sebs/storage/Storage.java").toAbsolutePath();
    String classpath = System.getProperty("java.class.path");
    javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
    java.io.ByteArrayOutputStream diagnostics = new java.io.ByteArrayOutputStream();
    int compiled = javac.run(null, diagnostics, diagnostics, "--release", "17", "-proc:none", "-classpath", classpath,
        "-d", classes.toString(), storageSource.toString(), driver.toString());
    assertEquals(0, compiled, diagnostics.toString(StandardCharsets.UTF_8));

    ProcessBuilder process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classes + java.io.File.pathSeparator + classpath, "UseStorage");
    Map<String, String> env = process.environment();
    env.keySet().removeIf(k -> k.startsWith("GOOGLE_") || k.endsWith("_EMULATOR_HOST"));
    env.put("STORAGE_EMULATOR_HOST", base);
    env.put("GCE_METADATA_HOST", "127.0.0.1:" + server.getAddress().getPort());
    env.put("GOOGLE_CLOUD_PROJECT", PROJECT);
    Process p = process.start();
    byte[] stdout = p.getInputStream().readAllBytes();
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), stderr);
    String[] lines = new String(stdout, StandardCharsets.UTF_8).strip().split("\n");
    JsonNode out = JSON.readTree(lines[lines.length - 1]);

    assertTrue(out.path("key").asText().matches("in/data\\.[0-9a-f]{8}\\.txt"), out.toString());
    assertEquals("streamed", out.path("stream").asText());
    assertEquals("0123456789", out.path("copy").asText());
    assertEquals(2, out.path("listed").asInt());
    assertEquals(2, out.path("dir").asInt());
  }
}
