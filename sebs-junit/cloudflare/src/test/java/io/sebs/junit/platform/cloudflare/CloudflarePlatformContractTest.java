package io.sebs.junit.platform.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.WrapperSource;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.DeployedFunction;
import io.sebs.junit.platform.HostEnvironment;
import io.sebs.junit.platform.InvocationResult;
import io.sebs.junit.platform.PlatformContext;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.PreparedFunction;
import io.sebs.junit.testing.Fixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cloudflare platform against the API stand-in ({@link CloudflareApiStandIn}), reached only through
 * {@code sebs.cloudflare.apiUrl}, {@code workersUrl} and a token: the requests checked here are the ones the platform
 * sends to Cloudflare (URL, method, bearer token, the multipart upload and its metadata), and the stand-in runs what
 * was uploaded in workerd, so these tests also prove the uploaded modules make a working Worker.
 */
class CloudflarePlatformContractTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCRIPTS = "/client/v4/accounts/" + CloudflareApiStandIn.ACCOUNT + "/workers/scripts/";

  @RegisterExtension
  static final CloudflareApiStandIn cloudflare = new CloudflareApiStandIn();

  @TempDir
  Path results;

  private SebsConfig config(String... more) {
    List<String> settings = new ArrayList<>(List.of(SebsConfig.PLATFORM, CloudflarePlatform.NAME));
    settings.addAll(cloudflare.settings());
    settings.addAll(List.of(more));
    return Fixtures.config(results, settings.toArray(String[]::new));
  }

  private CloudflarePlatform platform(String... more) {
    SebsConfig config = config(more);
    return new CloudflarePlatform(new PlatformContext(config, new WrapperSource(config.benchmarksDir()),
        config.cacheDir(), "20261203-100000-" + UUID.randomUUID().toString().substring(0, 6)),
        CloudflareSettings.from(config), CloudflareSettings.api(config, variable -> null));
  }

  private FunctionSpec spec(String benchmark, int memory) {
    return spec(Fixtures.benchmarksDir(), benchmark, memory);
  }

  /** A spec from a benchmarks folder: the fixtures', or the repository's catalogue ({@code Fixtures.catalogueDir()}). */
  private FunctionSpec spec(Path benchmarks, String benchmark, int memory) {
    try (BenchmarkRun run = new BenchmarkRun(config(SebsConfig.BENCHMARKS_DIR, benchmarks.toString()))) {
      return run.spec(benchmark, "nodejs", "", "test", memory, 10);
    }
  }

  private List<CloudflareApiStandIn.Request> since(int before) {
    List<CloudflareApiStandIn.Request> all = cloudflare.requests();
    return all.subList(before, all.size());
  }

  private static List<String> calls(List<CloudflareApiStandIn.Request> requests) {
    return requests.stream().map(r -> r.method() + " " + r.path() + (r.query() == null ? "" : "?" + r.query()))
        .toList();
  }

  @Test
  void deployingUploadsTheBundleAsAScriptEnablesItOnWorkersDevAndInvokesItThere() throws Exception {
    int before = cloudflare.requests().size();
    try (CloudflarePlatform platform = platform()) {
      DeployedFunction fn = platform.deploy(spec("901.echo", 128), Map.of("EXTRA", "x"));

      assertThat(fn.name()).matches("sebs-901-echo-nodejs-[0-9a-f]{8}");
      assertThat(calls(since(before))).containsExactly(
          "GET /client/v4/accounts/" + CloudflareApiStandIn.ACCOUNT + "/workers/subdomain",
          "PUT " + SCRIPTS + fn.name(),
          "POST " + SCRIPTS + fn.name() + "/subdomain");
      assertThat(since(before)).allSatisfy(r ->
          assertThat(r.header("Authorization")).isEqualTo("Bearer " + CloudflareApiStandIn.TOKEN));
      assertThat(since(before).get(2).json().path("enabled").asBoolean()).isTrue();

      CloudflareApiStandIn.Request upload = since(before).get(1);
      assertThat(upload.header("Content-Type")).startsWith("multipart/form-data; boundary=");
      assertThat(upload.parts()).extracting(CloudflareApiStandIn.Part::name)
          .containsExactly("metadata", "worker.js", "sebs-sourcemap.json");
      CloudflareApiStandIn.Part main = upload.part("worker.js").orElseThrow();
      assertThat(main.contentType()).isEqualTo("application/javascript+module");
      assertThat(main.filename()).isEqualTo("worker.js");
      assertThat(main.text()).as("the bundle: wrapper and function").contains("sebs-sourcemap.json", "x-sebs-cold-start");
      assertThat(upload.part("sebs-sourcemap.json").orElseThrow().contentType()).isEqualTo("application/json");

      JsonNode metadata = JSON.readTree(upload.part("metadata").orElseThrow().content());
      assertThat(upload.part("metadata").orElseThrow().contentType()).isEqualTo("application/json");
      assertThat(metadata.path("main_module").asText()).isEqualTo("worker.js");
      assertThat(metadata.path("compatibility_date").asText()).isEqualTo(CloudflareSettings.DEFAULT_COMPATIBILITY_DATE);
      assertThat(metadata.path("compatibility_flags").isArray()).isTrue();
      Map<String, String> bindings = new java.util.LinkedHashMap<>();
      metadata.path("bindings").forEach(b -> {
        assertThat(b.path("type").asText()).isEqualTo("plain_text");
        bindings.put(b.path("name").asText(), b.path("text").asText());
      });
      assertThat(bindings).containsEntry("SEBS_FUNCTION_NAME", fn.name()).containsEntry("SEBS_MEMORY_MB", "128")
          .containsEntry("EXTRA", "x").containsKey(CloudflarePlatform.COLD_START_BINDING);

      InvocationResult cold = platform.invoke(fn, JSON.createObjectNode().put("message", "hi"));
      InvocationResult warm = platform.invoke(fn, JSON.createObjectNode().put("message", "again"));
      assertThat(cold.failed()).as("%s", cold).isFalse();
      assertThat(cold.isCold()).isTrue();
      assertThat(cold.initTime()).as("the version's startup_time_ms").isPresent();
      assertThat(cold.output().path("echo").path("message").asText()).isEqualTo("hi");
      assertThat(warm.isCold()).isFalse();
      assertThat(warm.initTime()).isEmpty();
      assertThat(warm.containerId()).isEqualTo(cold.containerId());
      assertThat(warm.requestId()).as("X-Request-Id, which the wrapper answers with").matches("[0-9a-f-]{36}");
    }
  }

  @Test
  void theFunctionsOwnFilesAreUploadedAsDataModules() {
    int before = cloudflare.requests().size();
    try (CloudflarePlatform platform = platform()) {
      DeployedFunction fn = platform.deploy(spec(Fixtures.catalogueDir(), "110.dynamic-html", 128));

      CloudflareApiStandIn.Request upload = since(before).stream().filter(r -> r.method().equals("PUT"))
          .findFirst().orElseThrow();
      assertThat(upload.part("function/templates/template.html")).hasValueSatisfying(p ->
          assertThat(p.contentType()).isEqualTo("application/octet-stream"));
      InvocationResult answer = platform.invoke(fn, JSON.createObjectNode().put("username", "sebs")
          .put("random_len", 3));
      assertThat(answer.failed()).as("%s", answer).isFalse();
      assertThat(answer.output().toString()).contains("sebs");
    }
  }

  @Test
  void aSecondDeployOfTheSameSpecReusesTheScript() {
    int before = cloudflare.requests().size();
    try (CloudflarePlatform platform = platform()) {
      FunctionSpec spec = spec("901.echo", 128);
      DeployedFunction first = platform.deploy(spec);
      DeployedFunction second = platform.deploy(spec);

      assertThat(second.name()).isEqualTo(first.name());
      assertThat(calls(since(before))).filteredOn(c -> c.startsWith("PUT")).hasSize(1);
    }
  }

  @Test
  void anEnforcedColdStartUploadsANewVersionAndTheNextAnswerIsColdOnANewIsolate() {
    try (CloudflarePlatform platform = platform()) {
      DeployedFunction fn = platform.deploy(spec("901.echo", 128));
      InvocationResult warmed = platform.invoke(fn, JSON.createObjectNode());
      int before = cloudflare.requests().size();

      platform.enforceColdStart(fn);
      InvocationResult cold = platform.invoke(fn, JSON.createObjectNode());

      assertThat(calls(since(before))).containsExactly("PUT " + SCRIPTS + fn.name());
      assertThat(coldStartValue(since(before).get(0))).as("a new version: the binding changed")
          .isNotEqualTo(coldStartValue(cloudflare.requests().stream()
              .filter(r -> r.method().equals("PUT") && r.path().endsWith(fn.name())).findFirst().orElseThrow()));
      assertThat(cold.failed()).as("%s", cold).isFalse();
      assertThat(cold.isCold()).isTrue();
      assertThat(cold.containerId()).isNotEqualTo(warmed.containerId());
      assertThat(cold.initTime()).isPresent();
    }
  }

  private static String coldStartValue(CloudflareApiStandIn.Request upload) {
    try {
      for (JsonNode b : JSON.readTree(upload.part("metadata").orElseThrow().content()).path("bindings")) {
        if (b.path("name").asText().equals(CloudflarePlatform.COLD_START_BINDING)) {
          return b.path("text").asText();
        }
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    throw new AssertionError("no " + CloudflarePlatform.COLD_START_BINDING + " binding in " + upload);
  }

  @Test
  void anIsolateOfAnOlderVersionRefusesARequestMeantForANewOneUnrun() throws Exception {
    try (CloudflarePlatform platform = platform()) {
      DeployedFunction fn = platform.deploy(spec("901.echo", 128));
      URI url = URI.create(cloudflare.base() + "/workers/" + fn.name() + "/");

      HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url)
          .header(CloudflarePlatform.COLD_START_HEADER, "a-later-version")
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
      InvocationResult read = CloudflarePlatform.answer(refused.statusCode(), refused.body(), "id", 0, 1);
      InvocationResult first = platform.invoke(fn, JSON.createObjectNode());

      assertThat(refused.statusCode()).isEqualTo(409);
      assertThat(read.failureReason()).hasValue(CloudflarePlatform.STALE);
      assertThat(first.isCold()).as("the refused request did not run the function").isTrue();
    }
  }

  @Test
  void aNewScriptIsInvokedOnceWorkersDevRoutesToItAndTheAnswerIsStillCold() {
    try (CloudflarePlatform platform = platform()) {
      DeployedFunction fn = platform.deploy(spec("901.echo", 128));
      cloudflare.delayRouting(3);

      InvocationResult first = platform.invoke(fn, JSON.createObjectNode());

      assertThat(first.failed()).as("%s", first).isFalse();
      assertThat(first.isCold()).as("the 404s did not reach the Worker").isTrue();
    } finally {
      cloudflare.delayRouting(0);
    }
  }

  @Test
  void aScriptWorkersDevNeverRoutesToFailsNamingTheWait() {
    try (CloudflarePlatform platform = platform(CloudflareSettings.COLD_START_TIMEOUT, "1s")) {
      DeployedFunction fn = platform.deploy(spec("901.echo", 128));
      cloudflare.delayRouting(1000);

      InvocationResult never = platform.invoke(fn, JSON.createObjectNode());

      assertThat(never.failureReason()).hasValueSatisfying(r -> assertThat(r)
          .contains("workers.dev did not route to the new script " + fn.name() + " within 1 s"));
    } finally {
      cloudflare.delayRouting(0);
    }
  }

  @Test
  void closingDeletesEveryScriptTheRunUploaded() {
    int before = cloudflare.requests().size();
    List<String> names;
    try (CloudflarePlatform platform = platform()) {
      names = List.of(platform.deploy(spec("901.echo", 128)).name(), platform.deploy(spec("901.echo", 256)).name());
      assertThat(cloudflare.scripts()).containsAll(names);
    }

    assertThat(calls(since(before))).filteredOn(c -> c.startsWith("DELETE")).containsExactlyInAnyOrder(
        "DELETE " + SCRIPTS + names.get(0) + "?force=true", "DELETE " + SCRIPTS + names.get(1) + "?force=true");
    assertThat(cloudflare.scripts()).doesNotContainAnyElementsOf(names);
  }

  @Test
  void aScriptCloudflareWouldNotDeleteIsNamedForDeletionByHand() {
    CloudflarePlatform platform = platform();
    String name = platform.deploy(spec("901.echo", 128)).name();
    cloudflare.failNext("DELETE", 500, 10013, "An unknown error has occurred");

    assertThatThrownBy(platform::close).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(name).hasMessageContaining("10013 An unknown error has occurred")
        .hasMessageContaining("wrangler delete");
    assertThat(platform.scripts()).containsExactly(name);
    platform.close(); // deleted now
    assertThat(cloudflare.scripts()).doesNotContain(name);
  }

  @Test
  void anApiErrorIsSurfacedWithCloudflaresCodeMessageAndTheRequest() {
    try (CloudflarePlatform platform = platform()) {
      cloudflare.failNext("PUT", 400, 10021, "Uncaught SyntaxError: Unexpected token at worker.js:1");

      assertThatThrownBy(() -> platform.deploy(spec("901.echo", 128)))
          .isInstanceOf(CloudflareApiException.class)
          .hasMessageContaining("PUT " + cloudflare.apiUrl() + "/accounts/" + CloudflareApiStandIn.ACCOUNT
              + "/workers/scripts/sebs-901-echo-nodejs-")
          .hasMessageContaining("HTTP 400")
          .hasMessageContaining("error 10021 Uncaught SyntaxError: Unexpected token at worker.js:1");
    }
  }

  @Test
  void aRefusedTokenReadsAsCloudflaresAuthenticationError() {
    try (CloudflarePlatform platform = platform(CloudflareSettings.API_TOKEN, "not-the-token")) {
      assertThatThrownBy(() -> platform.deploy(spec("901.echo", 128)))
          .isInstanceOf(CloudflareApiException.class)
          .hasMessageContaining("GET " + cloudflare.apiUrl() + "/accounts/" + CloudflareApiStandIn.ACCOUNT
              + "/workers/subdomain failed (HTTP 403): error 10000 Authentication error");
    }
  }

  @Test
  void missingCredentialsFailNamingBothVariablesHowToMakeATokenAndTheLocalPlatform() {
    SebsConfig config = Fixtures.config(results, SebsConfig.PLATFORM, CloudflarePlatform.NAME);

    assertThatThrownBy(() -> CloudflareSettings.api(config, variable -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID are not set")
        .hasMessageContaining("Workers Scripts:Edit")
        .hasMessageContaining("-Dsebs.platform=cloudflare-local")
        .hasMessageContaining("needs no account");
    assertThatThrownBy(() -> CloudflareSettings.api(config,
        variable -> variable.equals("CLOUDFLARE_API_TOKEN") ? "t" : null))
        .hasMessageContaining("CLOUDFLARE_ACCOUNT_ID is not set");
    assertThat(CloudflareSettings.api(config, variable -> variable.equals("CLOUDFLARE_API_TOKEN") ? "t" : "a"))
        .satisfies(api -> {
          assertThat(api.apiUrl()).hasToString("https://api.cloudflare.com/client/v4");
          assertThat(api.workersUrl()).isEqualTo("https://{script}.{subdomain}.workers.dev/");
          assertThat(api.toString()).as("the token is never shown").doesNotContain("=t,");
        });
    HostEnvironment bare = new HostEnvironment(variable -> null, results);
    assertThat(CloudflarePlatformProvider.unavailable(config, bare))
        .hasValueSatisfying(reason -> assertThat(reason).contains("CLOUDFLARE_API_TOKEN", "CLOUDFLARE_ACCOUNT_ID"));
  }

  @Test
  void crudApiInNodejsKeepsItsCartInTheSebsNoSqlWorkerDeployedOnceForTheRunAndItsOutputValidates() throws Exception {
    int before = cloudflare.requests().size();
    String nosqlScript;
    List<String> functions = new ArrayList<>();
    try (BenchmarkRun run = new BenchmarkRun(config(SebsConfig.BENCHMARKS_DIR, Fixtures.catalogueDir().toString()))) {
      CloudflarePlatform platform = (CloudflarePlatform) run.platform();
      PreparedFunction fn = run.prepare(run.spec("130.crud-api", "nodejs", "", "test", 0, 0));
      PreparedFunction other = run.prepare(run.spec("130.crud-api", "nodejs", "", "test", 256, 0));
      functions.add(fn.deployed().name());
      functions.add(other.deployed().name());
      io.sebs.junit.Invocation invocation = fn.invoker().invoke(fn.input().input());
      io.sebs.junit.Invocation again = other.invoker().invoke(fn.input().input());
      nosqlScript = platform.noSqlWorker().script();

      assertThat(invocation.failed()).as("%s", invocation).isFalse();
      assertThat(again.failed()).as("%s", again).isFalse();
      List<io.sebs.junit.benchmark.InputBridge.Validation> verdicts = fn.bridge().validate(fn.spec().benchmark(),
          fn.spec().language(), fn.input().dataDir(), fn.input().input(),
          List.of(io.sebs.junit.benchmark.InputBridge.sebsOutput(invocation.output(), invocation.measurement())))
          .orElseThrow();
      assertThat(verdicts).as("input.py's validate_output on %s", invocation.output())
          .allSatisfy(v -> assertThat(v.valid()).as(v.reason()).isTrue());
      String table = fn.invoker().tableName("shopping_cart");
      assertThat(run.platform().storage().noSqlStorage().tables()).as("the test side sees the function's table")
          .contains(table);

      List<CloudflareApiStandIn.Request> puts = since(before).stream().filter(r -> r.method().equals("PUT")).toList();
      assertThat(puts).extracting(CloudflareApiStandIn.Request::path)
          .as("the sebs-nosql Worker uploaded once, before the functions bound to it")
          .containsExactly(SCRIPTS + nosqlScript, SCRIPTS + functions.get(0), SCRIPTS + functions.get(1));
      assertThat(nosqlScript).matches("sebs-nosql-[0-9a-f]{12}");
      JsonNode nosql = JSON.readTree(puts.get(0).part("metadata").orElseThrow().content());
      assertThat(puts.get(0).parts()).extracting(CloudflareApiStandIn.Part::name)
          .containsExactly("metadata", "sebs_nosql.js");
      assertThat(nosql.path("main_module").asText()).isEqualTo("sebs_nosql.js");
      assertThat(nosql.path("migrations").toString()).isEqualTo("{\"new_tag\":\"sebs-nosql-v1\","
          + "\"new_sqlite_classes\":[\"SebsNoSqlTable\",\"SebsNoSqlCatalog\"]}");
      String token = platform.noSqlWorker().token();
      assertThat(token).matches("[0-9a-f]{64}");
      assertThat(nosql.path("bindings").toString()).isEqualTo("["
          + "{\"type\":\"durable_object_namespace\",\"name\":\"SEBS_NOSQL_TABLE\",\"class_name\":\"SebsNoSqlTable\"},"
          + "{\"type\":\"durable_object_namespace\",\"name\":\"SEBS_NOSQL_CATALOG\",\"class_name\":\"SebsNoSqlCatalog\"},"
          + "{\"type\":\"secret_text\",\"name\":\"SEBS_NOSQL_TOKEN\",\"text\":\"" + token + "\"}]");
      JsonNode function = JSON.readTree(puts.get(1).part("metadata").orElseThrow().content());
      assertThat(function.path("bindings").toString())
          .contains("{\"type\":\"service\",\"name\":\"SEBS_NOSQL\",\"service\":\"" + nosqlScript + "\"}")
          .contains("{\"type\":\"secret_text\",\"name\":\"SEBS_NOSQL_TOKEN\",\"text\":\"" + token + "\"}")
          .contains("\"name\":\"SEBS_NOSQL_TABLES\"");
      function.path("bindings").forEach(b -> assertThat(b.path("type").asText().equals("plain_text")
          && b.path("text").asText().contains(token)).as("the secret in a plain_text binding: %s", b).isFalse());
      assertThat(calls(since(before))).as("enabled on workers.dev for the test side")
          .contains("POST " + SCRIPTS + nosqlScript + "/subdomain");
      assertThat(platform.scripts()).containsExactlyInAnyOrder(functions.get(0), functions.get(1), nosqlScript)
          .last().isEqualTo(nosqlScript);
    }

    List<String> deletes = calls(since(before)).stream().filter(c -> c.startsWith("DELETE")).toList();
    assertThat(deletes).as("the functions, then the sebs-nosql Worker with its Durable Objects")
        .containsExactlyInAnyOrder("DELETE " + SCRIPTS + functions.get(0) + "?force=true",
            "DELETE " + SCRIPTS + functions.get(1) + "?force=true", "DELETE " + SCRIPTS + nosqlScript + "?force=true")
        .last().isEqualTo("DELETE " + SCRIPTS + nosqlScript + "?force=true");
    assertThat(cloudflare.scripts()).doesNotContain(nosqlScript).doesNotContainAnyElementsOf(functions);
  }

  @Test
  void theSebsNoSqlWorkerOnWorkersDevRefusesEveryRequestWithoutTheRunsSecret() throws Exception {
    try (CloudflarePlatform platform = platform()) {
      io.sebs.junit.NoSqlStorage tables = platform.storage().noSqlStorage();
      tables.createTable("secret-table", "id", null);
      DeployedNoSqlWorker worker = platform.noSqlWorker();
      URI list = worker.url().resolve("tables");
      HttpClient http = HttpClient.newHttpClient();

      HttpResponse<String> none = http.send(HttpRequest.newBuilder(list).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(list).header("Authorization", "Bearer "
          + "0".repeat(64)).GET().build(), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> insert = http.send(HttpRequest.newBuilder(worker.url().resolve("tables/secret-table/insert"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"item\":{\"id\":\"x\"}}")).build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> right = http.send(HttpRequest.newBuilder(list).header("Authorization", "Bearer "
          + worker.token()).GET().build(), HttpResponse.BodyHandlers.ofString());

      assertThat(worker.url().toString()).startsWith(cloudflare.base() + "/dev/" + CloudflareApiStandIn.SUBDOMAIN
          + "/workers/" + worker.script());
      assertThat(none.statusCode()).as(none.body()).isEqualTo(401);
      assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(401);
      assertThat(insert.statusCode()).as(insert.body()).isEqualTo(401);
      assertThat(right.statusCode()).isEqualTo(200);
      assertThat(right.body()).contains("secret-table");
      assertThat(tables.get("secret-table", Map.of("id", "x"))).as("the refused insert wrote nothing").isEmpty();
      assertThatThrownBy(() -> new CloudflareNoSqlStorage(worker.url(), java.util.Optional.empty()).tables())
          .hasMessageContaining("HTTP 401").hasMessageContaining("unauthorized");
    }
  }

  @Test
  void aSebsNoSqlWorkerCloudflareWouldNotDeleteIsNamedForDeletionByHandWithItsTables() {
    CloudflarePlatform platform = platform();
    platform.storage().noSqlStorage().createTable("kept", "id", null);
    String script = platform.noSqlWorker().script();
    cloudflare.failNext("DELETE", 500, 10013, "An unknown error has occurred");

    assertThatThrownBy(platform::close).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(script).hasMessageContaining("the sebs-nosql Worker with the run's tables")
        .hasMessageContaining("10013 An unknown error has occurred").hasMessageContaining("wrangler delete");
    assertThat(platform.scripts()).containsExactly(script);
    platform.close(); // deleted now
    assertThat(cloudflare.scripts()).doesNotContain(script);
  }

  @Test
  void theStandInChecksDurableObjectBindingsMigrationsServiceBindingsAndForcedDeletesAsCloudflareDoes() {
    CloudflareApi api = new CloudflareApi(CloudflareSettings.api(config(), variable -> null),
        HttpClient.newHttpClient());
    java.time.LocalDate date = java.time.LocalDate.parse(CloudflareSettings.DEFAULT_COMPATIBILITY_DATE);
    WorkerdConfig.Module module = new WorkerdConfig.Module(NoSqlWorker.MODULE, WorkerdConfig.Kind.ES_MODULE,
        NoSqlWorker.MODULE);
    Map<WorkerdConfig.Module, byte[]> modules = Map.of(module, NoSqlWorker.module());
    com.fasterxml.jackson.databind.node.ObjectNode noMigration = WorkerUpload.metadataWithDurableObjects(
        NoSqlWorker.MODULE, date, NoSqlWorker.DURABLE_OBJECTS, "v1", Map.of());
    noMigration.remove("migrations");
    String script = "sebs-nosql-standin-check";

    assertThatThrownBy(() -> api.upload(script, WorkerUpload.of(modules, noMigration)))
        .hasMessageContaining("error 10061 Cannot create binding for class 'SebsNoSqlTable'");
    api.upload(script, WorkerUpload.of(modules, WorkerUpload.metadataWithDurableObjects(NoSqlWorker.MODULE, date,
        NoSqlWorker.DURABLE_OBJECTS, "v1", Map.of())));
    api.upload(script, WorkerUpload.of(modules, WorkerUpload.metadataWithDurableObjects(NoSqlWorker.MODULE, date,
        NoSqlWorker.DURABLE_OBJECTS, "v1", Map.of())));
    assertThatThrownBy(() -> api.upload(script, WorkerUpload.of(modules, WorkerUpload.metadataWithDurableObjects(
        NoSqlWorker.MODULE, date, NoSqlWorker.DURABLE_OBJECTS, "v2", Map.of()))))
        .as("a new tag creating the classes again").hasMessageContaining("error 10074");
    List<WorkerdConfig.Module> echo = List.of(new WorkerdConfig.Module("worker.js", WorkerdConfig.Kind.ES_MODULE,
        "worker.js"));
    Map<WorkerdConfig.Module, byte[]> echoModule = Map.of(echo.get(0),
        "export default { fetch() { return new Response('ok'); } };".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThatThrownBy(() -> api.upload("sebs-bound-check", WorkerUpload.of(echoModule, WorkerUpload.metadata(echo,
        date, Map.of(), Map.of(), Map.of(), Map.of("SEBS_NOSQL", "sebs-no-such-script")))))
        .hasMessageContaining("error 10143").hasMessageContaining("sebs-no-such-script");
    api.upload("sebs-bound-check", WorkerUpload.of(echoModule, WorkerUpload.metadata(echo, date, Map.of(), Map.of(),
        Map.of("S", "secret"), Map.of("SEBS_NOSQL", script))));
    int before = cloudflare.requests().size();
    assertThatThrownBy(() -> unforcedDelete(script)).hasMessageContaining("10064")
        .hasMessageContaining("Durable Objects").hasMessageContaining("sebs-bound-check");
    assertThat(cloudflare.requests()).hasSize(before + 1);
    api.delete("sebs-bound-check");
    api.delete(script);
    assertThat(cloudflare.scripts()).doesNotContain(script, "sebs-bound-check");
  }

  /** A DELETE without {@code ?force=true}, which the platform never sends. */
  private static void unforcedDelete(String script) throws Exception {
    HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
        cloudflare.apiUrl() + "/accounts/" + CloudflareApiStandIn.ACCOUNT + "/workers/scripts/" + script))
        .header("Authorization", "Bearer " + CloudflareApiStandIn.TOKEN).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + answer.statusCode() + ": " + answer.body());
    }
  }

  @Test
  void objectStorageIsTheRunsR2BucketCreatedThroughTheApiAndBoundToTheWorker() throws Exception {
    Path benchmarks = Path.of(getClass().getResource("/cloudflare-fixtures").toURI());
    int before = cloudflare.requests().size();
    String bucket;
    try (BenchmarkRun run = new BenchmarkRun(config(SebsConfig.BENCHMARKS_DIR, benchmarks.toString()))) {
      PreparedFunction fn = run.prepare(run.spec("950.r2-objects", "nodejs", "", "test", 0, 0));
      io.sebs.junit.Invocation invocation = fn.invoker().invoke(fn.input().input());
      io.sebs.junit.ObjectStorage objects = run.platform().storage().objectStorage();
      bucket = objects.benchmarksBucket();

      assertThat(invocation.failed()).as("%s", invocation).isFalse();
      assertThat(invocation.output().path("alpha").asText()).as("read through the binding").isEqualTo("alpha");
      assertThat(new String(objects.download(bucket, invocation.output().path("uploaded").asText()),
          java.nio.charset.StandardCharsets.UTF_8)).as("written through the binding, read through S3")
          .isEqualTo("alpha+beta");
      List<CloudflareApiStandIn.Request> requests = since(before);
      assertThat(calls(requests)).contains("POST /client/v4/accounts/" + CloudflareApiStandIn.ACCOUNT + "/r2/buckets");
      assertThat(requests.stream().filter(r -> r.path().endsWith("/r2/buckets")).findFirst().orElseThrow().json()
          .path("name").asText()).isEqualTo(bucket);
      JsonNode metadata = JSON.readTree(requests.stream().filter(r -> r.method().equals("PUT")).findFirst()
          .orElseThrow().part("metadata").orElseThrow().content());
      assertThat(metadata.path("bindings").toString())
          .contains("{\"type\":\"r2_bucket\",\"name\":\"SEBS_R2_0\",\"bucket_name\":\"" + bucket + "\"}")
          .contains("\"name\":\"SEBS_R2_BUCKETS\"")
          .as("Workers get bindings, not keys").doesNotContain(CloudflareApiStandIn.R2_SECRET);
    }

    assertThat(cloudflare.buckets()).as("the run's bucket is emptied and deleted on close").doesNotContain(bucket);
    assertThat(calls(since(before))).contains("DELETE /client/v4/accounts/" + CloudflareApiStandIn.ACCOUNT
        + "/r2/buckets/" + bucket);
  }

  @Test
  void objectStorageWithoutR2KeysFailsSayingHowToMakeThem() {
    SebsConfig config = Fixtures.config(results, CloudflareSettings.API_TOKEN, "t", CloudflareSettings.ACCOUNT_ID,
        "a");
    CloudflareSettings.Api api = CloudflareSettings.api(config, variable -> null);

    assertThat(api.r2().endpoint()).hasToString("https://a.r2.cloudflarestorage.com");
    assertThatThrownBy(() -> api.r2().keys()).hasMessageContaining("R2 API token")
        .hasMessageContaining("CLOUDFLARE_R2_ACCESS_KEY_ID").hasMessageContaining("CLOUDFLARE_R2_SECRET_ACCESS_KEY");
  }

  @Test
  void theNameCloudflareSelectsThisPlatform() {
    assertThat(io.sebs.junit.platform.Platforms.discover().provider(CloudflarePlatform.NAME))
        .isInstanceOf(CloudflarePlatformProvider.class);
  }

  @Test
  void scriptNamesAreShortLowercaseAndUniquePerRun() {
    FunctionSpec spec = spec("901.echo", 128);

    String a = CloudflarePlatform.scriptName(spec, "run-a");
    String b = CloudflarePlatform.scriptName(spec, "run-b");

    assertThat(a).matches("[a-z0-9-]{1,63}").isNotEqualTo(b).isEqualTo(CloudflarePlatform.scriptName(spec, "run-a"));
  }
}
