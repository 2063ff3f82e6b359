package io.sebs.junit.platform.azure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.benchmark.Language;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blob Storage and Cosmos DB as sebs-junit and its functions use them on the azure platform, against real
 * stand-ins in their own processes: Azurite (Microsoft's Blob emulator, which checks Shared Key signatures)
 * and cosmosdb-server (Cosmos DB's REST API over HTTPS). The platform side is {@link AzureBlobObjectStorage},
 * {@link CosmosNoSqlStorage} and {@link AzureStorage}; the function side is the real modules in real processes,
 * configured only by the variables {@link AzureStorage#functionEnvironment()} hands to function apps: Python
 * (python3, standard library only), Node.js (node with @azure/storage-blob and @azure/cosmos from npm) and
 * Java ({@code sebs.storage.Storage} and {@code sebs.storage.NoSql}, compiled and run in a JVM of their own).
 * What one side writes, the other reads.
 */
class AzureStorageContractTest {

  @RegisterExtension
  static final AzureStorageStandIns standIns = new AzureStorageStandIns();

  static final ObjectMapper JSON = new ObjectMapper();
  static final Path WRAPPERS = Path.of(System.getProperty("sebs.benchmarks.dir", "../../benchmarks"), "wrappers",
      "azure");
  static final String DATABASE = "sebs";

  @TempDir
  Path temp;

  static AzureBlobObjectStorage blobs(String bucket) {
    return new AzureBlobObjectStorage(standIns.azurite().connectionString(), bucket);
  }

  static CosmosNoSqlStorage tables() {
    return new CosmosNoSqlStorage(standIns.cosmos().endpoint(), standIns.cosmos().key(), DATABASE);
  }

  /** What {@link AzureStorage} gives function apps, for the stand-ins, with SeBS's table mapping. */
  static Map<String, String> functionEnvironment(Map<String, String> tables) {
    AzureStorage storage = new AzureStorage("fn", standIns.azurite().connectionString(), standIns.cosmos().endpoint(),
        standIns.cosmos().key(), DATABASE);
    storage.objectStorage();
    storage.noSqlStorage();
    Map<String, String> env = new LinkedHashMap<>(storage.functionEnvironment());
    storage.close();
    try {
      env.put("SEBS_NOSQL_TABLES", JSON.writeValueAsString(tables));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return env;
  }

  // ------------------------------------------------------------------------------------------------ Java side

  @Test
  void objectStorageRoundTripsThroughBlobContainers() throws IOException {
    AzureBlobObjectStorage storage = blobs("sebs-run-1");
    storage.createBucket("sebs-run-1");
    storage.createBucket("sebs-run-1"); // again: exists, fine
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
    storage.delete("sebs-run-1", "in/a.txt"); // gone already: nothing happens
    assertEquals(List.of("in/sub dir/b+c.txt"), storage.list("sebs-run-1", "in/"));
    NoSuchElementException missing = assertThrows(NoSuchElementException.class,
        () -> storage.download("sebs-run-1", "in/a.txt"));
    assertTrue(missing.getMessage().contains("BlobNotFound"), missing.getMessage());

    storage.deleteBucket("sebs-run-1");
    assertFalse(storage.buckets().contains("sebs-run-1"));
    storage.deleteBucket("sebs-run-1"); // gone already: nothing happens
  }

  @Test
  void aLargeFileGoesUpInBlocksAndComesBackWhole() throws IOException {
    AzureBlobObjectStorage storage = blobs("sebs-large");
    storage.createBucket("sebs-large");
    byte[] content = new byte[9 * 1024 * 1024 + 123];
    new Random(13).nextBytes(content);
    storage.upload("sebs-large", "big/large.bin", Files.write(temp.resolve("large.bin"), content));
    assertArrayEquals(content, storage.download("sebs-large", "big/large.bin"));
    Path copy = temp.resolve("copy.bin");
    storage.download("sebs-large", "big/large.bin", copy);
    assertArrayEquals(content, Files.readAllBytes(copy));
  }

  @Test
  void bucketNamesMustBeValidContainerNames() {
    for (String valid : List.of("abc", "sebs-20261203-070000-abc123", "a1-b2", "x".repeat(63))) {
      assertEquals(valid, AzureBlobObjectStorage.checkContainerName(valid));
    }
    for (String invalid : List.of("ab", "x".repeat(64), "Upper", "under_score", "do.t", "-start", "end-", "a--b")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> AzureBlobObjectStorage.checkContainerName(invalid), invalid);
      assertTrue(e.getMessage().contains("lowercase letters, digits and single dashes"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> blobs("sebs-run").createBucket("Not_Valid"));
    IllegalArgumentException run = assertThrows(IllegalArgumentException.class,
        () -> new AzureStorage("Run_1", "UseDevelopmentStorage=true", null, null, null));
    assertTrue(run.getMessage().contains("the run id must be lowercase"), run.getMessage());
  }

  @Test
  void aWrongAccountKeyIsRefusedAsAzureRefusesIt() {
    String wrong = AzureStorage.connectionString(standIns.azurite().blobEndpoint(), AzuriteServer.ACCOUNT,
        CosmosDbServer.KEY);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new AzureBlobObjectStorage(wrong, "sebs-wrong-key").createBucket("sebs-wrong-key"));
    assertTrue(e.getMessage().contains("HTTP 403"), e.getMessage());
  }

  @Test
  void tablesKeepSebsPartitionAndSortKeySemantics() {
    try (CosmosNoSqlStorage nosql = tables()) {
      nosql.createTable("sebs-r-shop-cart", "cart_id", "product_id");
      nosql.createTable("sebs-r-shop-cart", "cart_id", "product_id"); // again: exists, fine

      Map<String, Object> item = new LinkedHashMap<>();
      item.put("cart_id", "c1");
      item.put("product_id", "p1");
      item.put("price", 10L);
      item.put("weight", 1.5);
      item.put("fragile", true);
      item.put("note", null);
      item.put("tags", List.of("a", 2L));
      item.put("dims", Map.of("w", 3L, "h", "x".repeat(2000)));
      nosql.insert("sebs-r-shop-cart", item);
      nosql.insert("sebs-r-shop-cart", Map.of("cart_id", "c1", "product_id", "p2", "price", 20L));
      nosql.insert("sebs-r-shop-cart", Map.of("cart_id", "c2", "product_id", "p1", "price", 30L));

      Map<String, Object> read = nosql.get("sebs-r-shop-cart", Map.of("cart_id", "c1", "product_id", "p1"))
          .orElseThrow();
      assertEquals(item, read, "items round-trip with their key attributes and without Cosmos's properties");
      assertEquals(Optional.empty(), nosql.get("sebs-r-shop-cart", Map.of("cart_id", "c9", "product_id", "p1")),
          "a missing item: Cosmos's 404");

      nosql.update("sebs-r-shop-cart", Map.of("cart_id", "c1", "product_id", "p2"), Map.of("price", 25L, "qty", 2L));
      assertEquals(Map.of("cart_id", "c1", "product_id", "p2", "price", 25L, "qty", 2L),
          nosql.get("sebs-r-shop-cart", Map.of("cart_id", "c1", "product_id", "p2")).orElseThrow());
      nosql.update("sebs-r-shop-cart", Map.of("cart_id", "c3", "product_id", "p1"), Map.of("price", 5L));
      assertEquals(Map.of("cart_id", "c3", "product_id", "p1", "price", 5L),
          nosql.get("sebs-r-shop-cart", Map.of("cart_id", "c3", "product_id", "p1")).orElseThrow(),
          "updating a missing item creates it, as DynamoDB's UpdateItem does");

      List<Map<String, Object>> cart = nosql.query("sebs-r-shop-cart", "cart_id", "c1");
      assertEquals(List.of("p1", "p2"), cart.stream().map(i -> i.get("product_id")).toList(),
          "one partition's items, and only those");
      assertThrows(IllegalArgumentException.class, () -> nosql.query("sebs-r-shop-cart", "product_id", "p1"));

      nosql.delete("sebs-r-shop-cart", Map.of("cart_id", "c1", "product_id", "p1"));
      nosql.delete("sebs-r-shop-cart", Map.of("cart_id", "c1", "product_id", "p1")); // gone already: fine
      assertEquals(1, nosql.query("sebs-r-shop-cart", "cart_id", "c1").size());

      nosql.createTable("sebs-r-shop-users", "user_id", null);
      nosql.insert("sebs-r-shop-users", Map.of("user_id", "u1", "name", "Ada"));
      assertEquals(Map.of("user_id", "u1", "name", "Ada"),
          nosql.get("sebs-r-shop-users", Map.of("user_id", "u1")).orElseThrow(), "the partition key alone is the id");
      assertEquals(1, nosql.query("sebs-r-shop-users", "user_id", "u1").size());

      assertTrue(nosql.tables().containsAll(List.of("sebs-r-shop-cart", "sebs-r-shop-users")), nosql.tables().toString());
      nosql.deleteTable("sebs-r-shop-users");
      nosql.deleteTable("sebs-r-shop-users"); // gone already: nothing happens
      assertFalse(nosql.tables().contains("sebs-r-shop-users"));
    }
  }

  @Test
  void aTableCreatedElsewhereIsReadWithItsPartitionKeyFromCosmos() {
    try (CosmosNoSqlStorage creator = tables(); CosmosNoSqlStorage reader = tables()) {
      creator.createTable("sebs-r-elsewhere", "order_id", "line");
      creator.insert("sebs-r-elsewhere", Map.of("order_id", "o1", "line", "l1", "qty", 3L));
      assertEquals(Map.of("order_id", "o1", "line", "l1", "qty", 3L),
          reader.get("sebs-r-elsewhere", Map.of("order_id", "o1", "line", "l1")).orElseThrow());
      assertEquals(1, reader.query("sebs-r-elsewhere", "order_id", "o1").size());
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> reader.insert("sebs-r-elsewhere", Map.of("order_id", "o2", "line", "l1")));
      assertTrue(e.getMessage().contains("call createTable(sebs-r-elsewhere, \"order_id\", sortKey)"), e.getMessage());
    }
  }

  @Test
  void azureStorageScopesTheContainerToTheRunAndTellsFunctionsWhereToGo() {
    AzureStorage storage = new AzureStorage("20261203-070000-abc123", standIns.azurite().blobEndpoint(),
        AzuriteServer.ACCOUNT, standIns.azurite().accountKey(), standIns.cosmos().endpoint(), standIns.cosmos().key(),
        DATABASE);
    assertTrue(storage.functionEnvironment().isEmpty(), "nothing in use yet");
    assertTrue(storage.endpoints().functionEnvironment().isEmpty());
    assertEquals("sebs-20261203-070000-abc123", storage.objectStorage().benchmarksBucket());
    assertTrue(storage.objectStorage().buckets().contains("sebs-20261203-070000-abc123"), "created on first use");
    storage.noSqlStorage();

    Map<String, String> env = storage.functionEnvironment();
    assertEquals(List.of("STORAGE_CONNECTION_STRING", "NOSQL_STORAGE_DATABASE", "NOSQL_STORAGE_URL",
        "NOSQL_STORAGE_CREDS"), List.copyOf(env.keySet()), "SeBS's names");
    assertEquals(standIns.azurite().connectionString(), env.get("STORAGE_CONNECTION_STRING"));
    assertEquals(DATABASE, env.get("NOSQL_STORAGE_DATABASE"));
    assertEquals(standIns.cosmos().endpoint().toString(), env.get("NOSQL_STORAGE_URL"));
    assertEquals(standIns.cosmos().key(), env.get("NOSQL_STORAGE_CREDS"));
    Map<String, String> endpoints = storage.endpoints().functionEnvironment();
    assertEquals(standIns.azurite().blobEndpoint().toString(), endpoints.get("SEBS_STORAGE_ENDPOINT"));
    assertEquals(standIns.cosmos().endpoint().toString(), endpoints.get("SEBS_NOSQL_ENDPOINT"));
    assertFalse(endpoints.values().stream().anyMatch(v -> v.contains(standIns.azurite().accountKey())),
        "no secrets in the endpoints");
    storage.close();

    AzureStorage blobOnly = new AzureStorage("r1", standIns.azurite().connectionString(), null, null, null);
    IllegalStateException e = assertThrows(IllegalStateException.class, blobOnly::noSqlStorage);
    assertTrue(e.getMessage().contains("No Cosmos DB account"), e.getMessage());
  }

  @Test
  void functionDependenciesPerLanguage() {
    List<String> both = List.of("storage", "nosql");
    assertEquals(Map.of(), AzureStorageModules.dependencies(Language.PYTHON, both), "Python: standard library only");
    assertEquals(Map.of("@azure/storage-blob", AzureStorageModules.NODE_STORAGE_VERSION,
            "@azure/cosmos", AzureStorageModules.NODE_COSMOS_VERSION),
        AzureStorageModules.dependencies(Language.NODEJS, both));
    Map<String, String> java = AzureStorageModules.dependencies(Language.JAVA, both);
    assertEquals(List.of("com.azure:azure-storage-blob", "com.azure:azure-core-http-jdk-httpclient",
        "com.azure:azure-cosmos"), List.copyOf(java.keySet()));
    java.values().forEach(v -> assertTrue(v.matches("\\d+\\.\\d+\\.\\d+"), java.toString()));
    assertEquals(Map.of(), AzureStorageModules.dependencies(Language.NODEJS, List.of()));
    assertTrue(CosmosNoSqlStorage.isLoopback(URI.create("https://127.0.0.1:8081/")));
    assertTrue(CosmosNoSqlStorage.isLoopback(URI.create("https://localhost:8081/")));
    assertFalse(CosmosNoSqlStorage.isLoopback(URI.create("https://sebs.documents.azure.com:443/")));
  }

  // ------------------------------------------------------------------------------------------------ function side

  /** Runs a function-side program with the environment given; returns the JSON object it prints last. */
  static JsonNode run(ProcessBuilder process, Map<String, String> env) throws Exception {
    process.environment().keySet().removeIf(k -> k.startsWith("NOSQL_STORAGE_") || k.startsWith("STORAGE_")
        || k.startsWith("SEBS_") || k.startsWith("AZURE_"));
    process.environment().putAll(env);
    Process p = process.start();
    p.getOutputStream().close();
    java.util.concurrent.CompletableFuture<byte[]> stderr = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return p.getErrorStream().readAllBytes();
      } catch (IOException e) {
        return new byte[0];
      }
    });
    byte[] stdout = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the program ended");
    String errors = new String(stderr.get(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), errors);
    String[] lines = new String(stdout, StandardCharsets.UTF_8).strip().split("\n");
    return JSON.readTree(lines[lines.length - 1]);
  }

  /** What every language's program reports: checks it, and what the Java side reads of what it wrote. */
  static void assertSameContract(JsonNode out, String bucket, String table) {
    assertTrue(out.path("key").asText().matches("in/data\\.[0-9a-f]{8}\\.txt"), out.toString());
    assertEquals("streamed", out.path("stream").asText());
    assertEquals("0123456789", out.path("copy").asText());
    assertEquals(3, out.path("listed").asInt(), out.toString());
    assertEquals(3, out.path("dir").asInt(), out.toString());
    assertEquals("0123456789", new String(blobs(bucket).download(bucket, out.path("key").asText()),
        StandardCharsets.UTF_8), "written by the function, read by the platform");

    JsonNode got = out.path("get");
    assertEquals("c1", got.path("cart_id").asText());
    assertEquals("p1", got.path("product_id").asText());
    assertEquals(10, got.path("price").asInt());
    assertTrue(got.path("price").isIntegralNumber(), got.toString());
    assertEquals(1.5, got.path("w").asDouble());
    assertTrue(got.path("ok").asBoolean());
    assertTrue(got.has("n") && got.path("n").isNull(), got.toString());
    assertEquals("[\"a\",1]", got.path("tags").toString());
    assertEquals("y", got.path("m").path("x").asText());
    assertFalse(got.has("id") || got.has("_rid") || got.has("_etag") || got.has("_ts"), "no Cosmos properties: " + got);
    assertEquals(25, out.path("updated").path("price").asInt());
    assertEquals(2, out.path("updated").path("qty").asInt());
    assertEquals(9, out.path("created").path("price").asInt(), "an update of a missing item creates it");
    assertEquals(2, out.path("query").size(), "the partition c1 only: " + out.path("query"));
    assertTrue(out.path("missing").isNull(), "a missing item reads as null");
    assertTrue(out.path("after_delete").isNull());
    assertEquals(1, out.path("remaining").asInt());

    try (CosmosNoSqlStorage nosql = tables()) {
      nosql.createTable(table, "cart_id", "product_id");
      assertEquals(Map.of("cart_id", "c1", "product_id", "p2", "price", 25L, "qty", 2L),
          nosql.get(table, Map.of("cart_id", "c1", "product_id", "p2")).orElseThrow(),
          "written by the function, read by the platform");
      assertEquals("from-java", nosql.get(table, Map.of("cart_id", "c0", "product_id", "p0")).orElseThrow()
          .get("note"));
    }
  }

  /** A bucket and a table as the core's staging leaves them, one seeded item written by the platform. */
  static void prepare(String bucket, String table) {
    blobs(bucket).createBucket(bucket);
    try (CosmosNoSqlStorage nosql = tables()) {
      nosql.createTable(table, "cart_id", "product_id");
      nosql.insert(table, Map.of("cart_id", "c0", "product_id", "p0", "note", "from-java"));
    }
  }

  /** What a Python function does with storage.py and nosql.py; prints one JSON object. */
  static final String PYTHON_SCRIPT = String.join("\n",
      "import json, os, sys, tempfile",
      "sys.path.insert(0, sys.argv[1])",
      "from function import storage, nosql",
      "bucket = sys.argv[2]",
      "s = storage.storage.get_instance()",
      "out = {}",
      "tmp = tempfile.mkdtemp()",
      "src = os.path.join(tmp, 'src.txt')",
      "open(src, 'wb').write(b'0123456789')",
      "out['key'] = s.upload(bucket, 'in/data.txt', src)",
      "out['fixed'] = s.upload(bucket, 'in/fixed.txt', src, unique_name=False)",
      "key = s.upload_stream(bucket, 'in/stream.bin', b'streamed')",
      "out['stream'] = bytes(s.download_stream(bucket, key)).decode()",
      "s.download(bucket, 'in/fixed.txt', os.path.join(tmp, 'copy.txt'))",
      "out['copy'] = open(os.path.join(tmp, 'copy.txt')).read()",
      "out['range'] = s.download_within_range(bucket, 'in/fixed.txt', 2, 5)",
      "out['listed'] = len(list(s.list_directory(bucket, 'in/')))",
      "s.download_directory(bucket, 'in/', os.path.join(tmp, 'dir'))",
      "out['dir'] = len(os.listdir(os.path.join(tmp, 'dir', 'in')))",
      "storage.LIST_PAGE_SIZE = 100",
      "for i in range(205):",
      "    s.upload_stream(bucket, 'many/%04d' % i, b'x', unique_name=False)",
      "out['many'] = len(list(s.list_directory(bucket, 'many/')))",
      "n = nosql.nosql.get_instance()",
      "n.insert('cart', ('cart_id', 'c1'), ('product_id', 'p1'), {'price': 10, 'w': 1.5, 'ok': True, 'n': None,",
      "         'tags': ['a', 1], 'm': {'x': 'y'}})",
      "n.insert('cart', ('cart_id', 'c1'), ('product_id', 'p2'), {'price': 20})",
      "n.insert('cart', ('cart_id', 'c2'), ('product_id', 'p1'), {'price': 30})",
      "out['get'] = n.get('cart', ('cart_id', 'c1'), ('product_id', 'p1'))",
      "out['missing'] = n.get('cart', ('cart_id', 'c1'), ('product_id', 'p9'))",
      "n.update('cart', ('cart_id', 'c1'), ('product_id', 'p2'), {'price': 25, 'qty': 2})",
      "out['updated'] = n.get('cart', ('cart_id', 'c1'), ('product_id', 'p2'))",
      "n.update('cart', ('cart_id', 'c3'), ('product_id', 'p1'), {'price': 9})",
      "out['created'] = n.get('cart', ('cart_id', 'c3'), ('product_id', 'p1'))",
      "out['query'] = n.query('cart', ('cart_id', 'c1'), 'product_id')",
      "n.delete('cart', ('cart_id', 'c1'), ('product_id', 'p1'))",
      "n.delete('cart', ('cart_id', 'c1'), ('product_id', 'p1'))",
      "out['after_delete'] = n.get('cart', ('cart_id', 'c1'), ('product_id', 'p1'))",
      "out['remaining'] = len(n.query('cart', ('cart_id', 'c1'), 'product_id'))",
      "print(json.dumps(out))");

  @Test
  void thePythonModulesSpeakBlobAndCosmosRestWithTheStandardLibraryOnly() throws Exception {
    prepare("py-bucket", "sebs-r-py-cart");
    Path script = Files.writeString(temp.resolve("use_modules.py"), PYTHON_SCRIPT);
    Map<String, String> env = functionEnvironment(Map.of("cart", "sebs-r-py-cart"));
    env.put("SEBS_NOSQL_TLS_INSECURE", "1"); // the stand-in's self-signed certificate
    JsonNode out = run(new ProcessBuilder("python3", script.toString(),
        WRAPPERS.resolve("python").toAbsolutePath().toString(), "py-bucket"), env);

    assertSameContract(out, "py-bucket", "sebs-r-py-cart");
    assertEquals("in/fixed.txt", out.path("fixed").asText());
    assertEquals("2345", out.path("range").asText(), "bytes 2..5, inclusive");
    assertEquals(205, out.path("many").asInt(), "listing follows NextMarker (here pages of 100)");
  }

  @Test
  void pythonVerifiesTheCosmosCertificateUnlessToldNotTo() throws Exception {
    Path script = Files.writeString(temp.resolve("verify.py"), String.join("\n",
        "import json, ssl, sys",
        "sys.path.insert(0, sys.argv[1])",
        "from function import nosql",
        "try:",
        "    nosql.nosql.get_instance().get('cart', ('cart_id', 'c1'), ('product_id', 'p1'))",
        "    print(json.dumps({'verified': False}))",
        "except ssl.SSLError as e:",
        "    print(json.dumps({'verified': True, 'error': str(e)}))"));
    JsonNode out = run(new ProcessBuilder("python3", script.toString(),
        WRAPPERS.resolve("python").toAbsolutePath().toString()), functionEnvironment(Map.of()));
    assertTrue(out.path("verified").asBoolean(), "a self-signed certificate is refused by default: " + out);
  }

  @Test
  void pythonReadsConnectionStringsInTheFormsAzureHandsOut() throws Exception {
    Path script = Files.writeString(temp.resolve("connection.py"), String.join("\n",
        "import json, sys",
        "sys.path.insert(0, sys.argv[1])",
        "from function import storage",
        "forms = json.loads(sys.argv[2])",
        "print(json.dumps([storage.storage(form)._endpoint for form in forms]))"));
    String key = standIns.azurite().accountKey();
    List<String> forms = List.of(
        "DefaultEndpointsProtocol=https;AccountName=sebsdata;AccountKey=" + key + ";EndpointSuffix=core.windows.net",
        "DefaultEndpointsProtocol=https;AccountName=sebsdata;AccountKey=" + key,
        "UseDevelopmentStorage=true",
        standIns.azurite().connectionString(),
        "BlobEndpoint=https://sebsdata.blob.core.windows.net/;SharedAccessSignature=sv=2021-12-02&ss=b&sig=x");
    JsonNode endpoints = run(new ProcessBuilder("python3", script.toString(),
        WRAPPERS.resolve("python").toAbsolutePath().toString(), JSON.writeValueAsString(forms)), Map.of());
    assertEquals(List.of("https://sebsdata.blob.core.windows.net", "https://sebsdata.blob.core.windows.net",
            "http://127.0.0.1:10000/devstoreaccount1", standIns.azurite().blobEndpoint().toString(),
            "https://sebsdata.blob.core.windows.net"),
        JSON.convertValue(endpoints, List.class));
  }

  @Test
  void pythonWorksWithAnAccountSasInsteadOfTheKey() throws Exception {
    blobs("sas-bucket").createBucket("sas-bucket");
    com.azure.storage.blob.BlobServiceClient service = new com.azure.storage.blob.BlobServiceClientBuilder()
        .connectionString(standIns.azurite().connectionString()).httpClient(AzureBlobObjectStorage.httpClient())
        .buildClient();
    String sas = service.generateAccountSas(new com.azure.storage.common.sas.AccountSasSignatureValues(
        java.time.OffsetDateTime.now().plusHours(1), com.azure.storage.common.sas.AccountSasPermission.parse("rwdlc"),
        new com.azure.storage.common.sas.AccountSasService().setBlobAccess(true),
        new com.azure.storage.common.sas.AccountSasResourceType().setContainer(true).setObject(true)));
    Path script = Files.writeString(temp.resolve("sas.py"), String.join("\n",
        "import json, sys",
        "sys.path.insert(0, sys.argv[1])",
        "from function import storage",
        "s = storage.storage.get_instance()",
        "key = s.upload_stream('sas-bucket', 'in/x.txt', b'signed by the token')",
        "print(json.dumps({'data': s.download_stream('sas-bucket', key).decode(),",
        "                  'listed': list(s.list_directory('sas-bucket', 'in/'))}))"));
    JsonNode out = run(new ProcessBuilder("python3", script.toString(),
        WRAPPERS.resolve("python").toAbsolutePath().toString()), Map.of("STORAGE_CONNECTION_STRING",
        "BlobEndpoint=" + standIns.azurite().blobEndpoint() + ";SharedAccessSignature=" + sas));
    assertEquals("signed by the token", out.path("data").asText());
    assertEquals(1, out.path("listed").size());
  }

  /**
   * Azure throttles: Cosmos DB answers 429 with the wait it wants (x-ms-retry-after-ms), Blob Storage 503
   * ServerBusy. Microsoft's SDKs send such requests again; so do the standard-library modules. A server that
   * refuses the first request of each kind shows it.
   */
  @Test
  void pythonSendsThrottledRequestsAgainAsTheSdksDo() throws Exception {
    com.sun.net.httpserver.HttpServer busy = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    busy.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      boolean first = seen.stream().noneMatch(path::equals);
      seen.add(path);
      exchange.getRequestBody().readAllBytes();
      boolean cosmos = path.startsWith("/dbs/");
      byte[] body = (first ? (cosmos ? "{\"code\":\"TooManyRequests\"}" : "<Error><Code>ServerBusy</Code></Error>")
          : (cosmos ? "{\"id\":\"p1\",\"cart_id\":\"c1\",\"price\":10}" : "blob")).getBytes(StandardCharsets.UTF_8);
      if (first && cosmos) {
        exchange.getResponseHeaders().set("x-ms-retry-after-ms", "50");
      }
      exchange.sendResponseHeaders(first ? (cosmos ? 429 : 503) : 200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    busy.start();
    try {
      String base = "http://127.0.0.1:" + busy.getAddress().getPort();
      Path script = Files.writeString(temp.resolve("busy.py"), String.join("\n",
          "import json, sys",
          "sys.path.insert(0, sys.argv[1])",
          "from function import storage, nosql",
          "blob = storage.storage.get_instance().download_stream('busy', 'k')",
          "item = nosql.nosql.get_instance().get('cart', ('cart_id', 'c1'), ('product_id', 'p1'))",
          "print(json.dumps({'blob': blob.decode(), 'item': item}))"));
      JsonNode out = run(new ProcessBuilder("python3", script.toString(),
          WRAPPERS.resolve("python").toAbsolutePath().toString()), Map.of(
          "STORAGE_CONNECTION_STRING", AzureStorage.connectionString(URI.create(base + "/acct"), "acct",
              standIns.azurite().accountKey()),
          "NOSQL_STORAGE_URL", base + "/", "NOSQL_STORAGE_CREDS", CosmosDbServer.KEY, "NOSQL_STORAGE_DATABASE", "sebs"));
      assertEquals("blob", out.path("blob").asText());
      assertEquals("{\"cart_id\":\"c1\",\"price\":10,\"product_id\":\"p1\"}", out.path("item").toString());
      assertEquals(List.of("/acct/busy/k", "/acct/busy/k", "/dbs/sebs/colls/cart/docs/p1",
          "/dbs/sebs/colls/cart/docs/p1"), seen, "each refused once, then sent again");
    } finally {
      busy.stop(0);
    }
  }

  /**
   * cosmosdb-server takes any key, so the Python module's master-key signatures are checked here against the
   * ones Microsoft's Java SDK computes for the same requests.
   */
  @Test
  void pythonSignsCosmosRequestsAsMicrosoftsSdkDoes() throws Exception {
    String date = "Thu, 03 Dec 2026 10:00:00 GMT";
    List<List<String>> requests = List.of(
        List.of("GET", "docs", "dbs/sebs/colls/sebs-r-Cart/docs/p1"),
        List.of("POST", "docs", "dbs/sebs/colls/sebs-r-Cart"),
        List.of("PATCH", "docs", "dbs/sebs/colls/sebs-r-Cart/docs/p 2"),
        List.of("DELETE", "docs", "dbs/sebs/colls/sebs-r-Cart/docs/p1"),
        List.of("POST", "dbs", ""));
    Path script = Files.writeString(temp.resolve("sign.py"), String.join("\n",
        "import json, sys, urllib.parse",
        "sys.path.insert(0, sys.argv[1])",
        "from function import nosql",
        "n = nosql.nosql(url='https://127.0.0.1:1/', credential=sys.argv[2], database='sebs')",
        "requests = json.loads(sys.argv[3])",
        "print(json.dumps([urllib.parse.unquote(n._authorization(v, t, link, sys.argv[4])) for v, t, link in requests]))"));
    JsonNode python = run(new ProcessBuilder("python3", script.toString(),
        WRAPPERS.resolve("python").toAbsolutePath().toString(), CosmosDbServer.KEY, JSON.writeValueAsString(requests),
        date), Map.of());

    com.azure.cosmos.implementation.BaseAuthorizationTokenProvider sdk =
        new com.azure.cosmos.implementation.BaseAuthorizationTokenProvider(
            new com.azure.core.credential.AzureKeyCredential(CosmosDbServer.KEY));
    for (int i = 0; i < requests.size(); i++) {
      List<String> request = requests.get(i);
      String expected = java.net.URLDecoder.decode(sdk.generateKeyAuthorizationSignature(
          com.azure.cosmos.implementation.RequestVerb.valueOf(request.get(0)), request.get(2), request.get(1),
          Map.of("x-ms-date", date)).replace("+", "%2B"), StandardCharsets.UTF_8); // a '+' of base64 is no space
      assertEquals(expected, python.path(i).asText(), request.toString());
    }
  }

  // ------------------------------------------------------------------------------------------------ Node.js

  /** What a Node.js function does with storage.js and nosql.js; prints one JSON object. */
  static final String NODE_SCRIPT = String.join("\n",
      "const fs = require('fs'), os = require('os'), path = require('path');",
      "const dir = process.argv[2], bucket = process.argv[3];",
      "const { storage } = require(path.join(dir, 'storage.js'));",
      "const { nosql } = require(path.join(dir, 'nosql.js'));",
      "(async () => {",
      "  const s = storage.get_instance(), out = {};",
      "  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sebs-node-'));",
      "  fs.writeFileSync(path.join(tmp, 'src.txt'), '0123456789');",
      "  let [key, done] = s.upload(bucket, 'in/data.txt', path.join(tmp, 'src.txt'));",
      "  await done; out.key = key;",
      "  [key, done] = s.upload(bucket, 'in/fixed.txt', path.join(tmp, 'src.txt'), false);",
      "  await done; out.fixed = key;",
      "  const [writer, written, streamKey] = s.uploadStream(bucket, 'in/stream.bin');",
      "  writer.end(Buffer.from('streamed')); await written;",
      "  const chunks = []; for await (const c of await s.downloadStream(bucket, streamKey)) chunks.push(c);",
      "  out.stream = Buffer.concat(chunks).toString();",
      "  await s.download(bucket, 'in/fixed.txt', path.join(tmp, 'copy.txt'));",
      "  out.copy = fs.readFileSync(path.join(tmp, 'copy.txt'), 'utf8');",
      "  out.range = await s.downloadWithinRange(bucket, 'in/fixed.txt', 2, 5);",
      "  out.listed = (await s.listDirectory(bucket, 'in/')).length;",
      "  await s.downloadDirectory(bucket, 'in/', path.join(tmp, 'dir'));",
      "  out.dir = fs.readdirSync(path.join(tmp, 'dir', 'in')).length;",
      "  const n = nosql.get_instance();",
      "  await n.insert('cart', ['cart_id', 'c1'], ['product_id', 'p1'], {price: 10, w: 1.5, ok: true, n: null,",
      "    tags: ['a', 1], m: {x: 'y'}});",
      "  await n.insert('cart', ['cart_id', 'c1'], ['product_id', 'p2'], {price: 20});",
      "  await n.insert('cart', ['cart_id', 'c2'], ['product_id', 'p1'], {price: 30});",
      "  out.get = await n.get('cart', ['cart_id', 'c1'], ['product_id', 'p1']);",
      "  out.missing = await n.get('cart', ['cart_id', 'c1'], ['product_id', 'p9']);",
      "  await n.update('cart', ['cart_id', 'c1'], ['product_id', 'p2'], {price: 25, qty: 2});",
      "  out.updated = await n.get('cart', ['cart_id', 'c1'], ['product_id', 'p2']);",
      "  await n.update('cart', ['cart_id', 'c3'], ['product_id', 'p1'], {price: 9});",
      "  out.created = await n.get('cart', ['cart_id', 'c3'], ['product_id', 'p1']);",
      "  out.query = await n.query('cart', ['cart_id', 'c1'], 'product_id');",
      "  await n.delete('cart', ['cart_id', 'c1'], ['product_id', 'p1']);",
      "  await n.delete('cart', ['cart_id', 'c1'], ['product_id', 'p1']);",
      "  out.after_delete = await n.get('cart', ['cart_id', 'c1'], ['product_id', 'p1']);",
      "  out.remaining = (await n.query('cart', ['cart_id', 'c1'], 'product_id')).length;",
      "  console.log(JSON.stringify(out));",
      "})().catch((e) => { console.error(e); process.exit(1); });");

  @Test
  void theNodeModulesUseMicrosoftsClientsOnTheSameData() throws Exception {
    Path modules = NpmInstall.install("azure-node-sdk", Map.of(
        AzureStorageModules.NODE_STORAGE, AzureStorageModules.NODE_STORAGE_VERSION,
        AzureStorageModules.NODE_COSMOS, AzureStorageModules.NODE_COSMOS_VERSION));
    prepare("node-bucket", "sebs-r-node-cart");
    Path script = Files.writeString(temp.resolve("use_modules.js"), NODE_SCRIPT);
    Map<String, String> env = functionEnvironment(Map.of("cart", "sebs-r-node-cart"));
    env.put("NODE_PATH", modules.toString());
    env.put("NODE_TLS_REJECT_UNAUTHORIZED", "0"); // the stand-in's self-signed certificate
    env.put("NODE_NO_WARNINGS", "1");
    JsonNode out = run(new ProcessBuilder("node", script.toString(),
        WRAPPERS.resolve("nodejs/function").toAbsolutePath().toString(), "node-bucket"), env);

    assertSameContract(out, "node-bucket", "sebs-r-node-cart");
    assertEquals("in/fixed.txt", out.path("fixed").asText());
    assertEquals("2345", out.path("range").asText(), "bytes 2..5, inclusive");
  }

  // ------------------------------------------------------------------------------------------------ Java

  /** What a Java function does with sebs.storage.Storage and sebs.storage.NoSql; prints one JSON object. */
  static final String JAVA_DRIVER = String.join("\n",
      "import java.nio.file.*;",
      "import java.util.*;",
      "import sebs.storage.*;",
      "public class UseStorage {",
      "  public static void main(String[] args) throws Exception {",
      "    String bucket = args[0];",
      "    Storage s = Storage.getInstance();",
      "    Map<String, Object> out = new LinkedHashMap<>();",
      "    Path tmp = Files.createTempDirectory(\"sebs-java-\");",
      "    Path src = Files.writeString(tmp.resolve(\"src.txt\"), \"0123456789\");",
      "    String key = s.upload(bucket, \"in/data.txt\", src);",
      "    out.put(\"key\", key);",
      "    s.upload(bucket, \"in/other.txt\", src.toString());",
      "    String streamKey = s.uploadStream(bucket, \"in/stream.bin\", \"streamed\".getBytes());",
      "    out.put(\"stream\", new String(s.downloadStream(bucket, streamKey)));",
      "    s.download(bucket, key, tmp.resolve(\"copy/copy.txt\"));",
      "    out.put(\"copy\", Files.readString(tmp.resolve(\"copy/copy.txt\")));",
      "    out.put(\"listed\", s.list(bucket, \"in/\").size());",
      "    s.downloadDirectory(bucket, \"in/\", tmp.resolve(\"dir\"));",
      "    try (var files = Files.list(tmp.resolve(\"dir/in\"))) { out.put(\"dir\", files.count()); }",
      "    NoSql n = NoSql.getInstance();",
      "    Map<String, Object> data = new LinkedHashMap<>();",
      "    data.put(\"price\", 10); data.put(\"w\", 1.5); data.put(\"ok\", true); data.put(\"n\", null);",
      "    data.put(\"tags\", List.of(\"a\", 1)); data.put(\"m\", Map.of(\"x\", \"y\"));",
      "    n.insert(\"cart\", Map.entry(\"cart_id\", \"c1\"), Map.entry(\"product_id\", \"p1\"), data);",
      "    n.insert(\"cart\", Map.entry(\"cart_id\", \"c1\"), Map.entry(\"product_id\", \"p2\"), Map.of(\"price\", 20));",
      "    n.insert(\"cart\", Map.entry(\"cart_id\", \"c2\"), Map.entry(\"product_id\", \"p1\"), Map.of(\"price\", 30));",
      "    out.put(\"get\", n.get(\"cart\", Map.entry(\"cart_id\", \"c1\"), Map.entry(\"product_id\", \"p1\")));",
      "    out.put(\"missing\", n.get(\"cart\", Map.entry(\"cart_id\", \"c1\"), Map.entry(\"product_id\", \"p9\")));",
      "    n.update(\"cart\", Map.entry(\"cart_id\", \"c1\"), Map.entry(\"product_id\", \"p2\"), Map.of(\"price\", 25, \"qty\", 2));",
      "    out.put(\"updated\", n.get(\"cart\", Map.entry(\"cart_id\", \"c1\"), Map.entry(\"product_id\", \"p2\")));",
      "    n.update(\"cart\", Map.entry(\"cart_id\", \"c3\"), Map.entry(\"product_id\", \"p1\"), Map.of(\"price\", 9));",
      "    out.put(\"created\", n.get(\"cart\", Map.entry(\"cart_id\", \"c3\"), Map.entry(\"product_id\", \"p1\")));",
      "    out.put(\"query\", n.query(\"cart\", Map.entry(\"cart_id\", \"c1\"), \"product_id\"));",
      "    n.delete(\"cart\", Map.entry(\"cart_id\", \"c1\"), Map.entry(\"product_id\", \"p1\"));",
      "    n.delete(\"cart\", Map.entry(\"cart_id\", \"c1\"), Map.entry(\"product_id\", \"p1\"));",
      "    out.put(\"after_delete\", n.get(\"cart\", Map.entry(\"cart_id\", \"c1\"), Map.entry(\"product_id\", \"p1\")));",
      "    out.put(\"remaining\", n.query(\"cart\", Map.entry(\"cart_id\", \"c1\"), \"product_id\").size());",
      "    System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(out));",
      "    System.exit(0);",
      "  }",
      "}");

  @Test
  void theJavaClassesUseMicrosoftsClientsOnTheSameData() throws Exception {
    prepare("java-bucket", "sebs-r-java-cart");
    Path classes = Files.createDirectories(temp.resolve("classes"));
    Path driver = Files.writeString(Files.createDirectories(temp.resolve("src")).resolve("UseStorage.java"),
        JAVA_DRIVER);
    Path sources = WRAPPERS.resolve("java/function/src/main/java/sebs/storage").toAbsolutePath();
    String classpath = System.getProperty("java.class.path");
    javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int compiled = javac.run(null, diagnostics, diagnostics, "--release", "17", "-proc:none", "-classpath", classpath,
        "-d", classes.toString(), sources.resolve("Storage.java").toString(), sources.resolve("NoSql.java").toString(),
        driver.toString());
    assertEquals(0, compiled, diagnostics.toString(StandardCharsets.UTF_8));

    Map<String, String> env = functionEnvironment(Map.of("cart", "sebs-r-java-cart"));
    JsonNode out = run(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-DCOSMOS.EMULATOR_SERVER_CERTIFICATE_VALIDATION_DISABLED=true", // the stand-in's self-signed certificate
        "-cp", classes + File.pathSeparator + classpath, "UseStorage", "java-bucket"), env);

    assertSameContract(out, "java-bucket", "sebs-r-java-cart");
  }
}
