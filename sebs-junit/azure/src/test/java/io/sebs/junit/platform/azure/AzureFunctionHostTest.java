package io.sebs.junit.platform.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.benchmark.Language;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The Azure wrappers answering the function contract through the stand-in's hosts, per language: the echo
 * fixture's package as {@link AzurePackage} builds it, unpacked and served by {@link AzureFunctionHost}. Cold then
 * warm on one instance, the front end's invocation id as request_id, a failing benchmark reported in a 200 answer,
 * a body that is not JSON refused with 400, a function that throws answered 500, and a host that cannot load its
 * app failing at start with what it printed.
 */
class AzureFunctionHostTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path work;

  @ParameterizedTest(name = "{0}")
  @EnumSource(Language.class)
  void theEchoFixtureAnswersTheFunctionContractColdThenWarm(Language language) throws Exception {
    Path app = EchoApps.unpacked(language, work.resolve("app"));
    try (AzureFunctionHost host = AzureFunctionHost.start(app, language,
        Map.of("SEBS_FUNCTION_NAME", "echo-" + language.id()), work)) {
      String why = language.id() + ", " + host.logTail();

      String coldId = UUID.randomUUID().toString();
      HttpResponse<String> coldResponse = post(host, coldId, "{\"message\": \"hi\"}");
      assertEquals(200, coldResponse.statusCode(), why + "\n" + coldResponse.body());
      assertTrue(coldResponse.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), why);
      JsonNode cold = JSON.readTree(coldResponse.body());
      assertTrue(cold.path("is_cold").asBoolean(), why);
      assertEquals(coldId, cold.path("request_id").asText(), why);
      assertEquals("hi", cold.path("result").path("output").path("echo").path("message").asText(), why);
      double initBegin = cold.path("init_begin").asDouble();
      double income = cold.path("income_timestamp").asDouble();
      assertTrue(initBegin > 0 && initBegin <= income && income - initBegin < 60, why + ": init_begin " + initBegin);
      for (String key : List.of("begin", "end", "income_timestamp", "init_begin")) {
        assertTrue(cold.path(key).asText().matches("\\d+\\.\\d{6}"), why + ": " + key + " = " + cold.path(key));
      }

      String warmId = UUID.randomUUID().toString();
      JsonNode warm = JSON.readTree(post(host, warmId, "{\"message\": \"again\"}").body());
      assertFalse(warm.path("is_cold").asBoolean(), why);
      assertEquals(warmId, warm.path("request_id").asText(), why);
      assertEquals(cold.path("container_id").asText(), warm.path("container_id").asText(), why);
      assertFalse(warm.has("init_begin"), why);

      HttpResponse<String> failed = post(host, UUID.randomUUID().toString(), "{\"fail\": \"boom\"}");
      assertEquals(200, failed.statusCode(), why);
      JsonNode failure = JSON.readTree(failed.body());
      assertTrue(failure.path("error").asText().contains("boom (at "), why + ": " + failure);
      assertNotNull(failure.get("traceback"), why);
      assertNull(failure.get("result"), why);

      assertEquals(400, post(host, UUID.randomUUID().toString(), "not json").statusCode(), why);
      assertTrue(host.alive(), why);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Language.class)
  void aFunctionThatThrowsIsAnsweredWith500AndTheError(Language language) throws Exception {
    Path app = EchoApps.unpacked(language, work.resolve("app"));
    switch (language) {
      case PYTHON -> Files.writeString(app.resolve("handler/__init__.py"),
          "def main(req, context):\n    raise ValueError('the wrapper broke for ' + context.invocation_id)\n");
      case NODEJS -> Files.writeString(app.resolve("handler.js"), "const { app } = require('@azure/functions');\n"
          + "app.http('handler', { methods: ['POST'], authLevel: 'function',\n"
          + "  handler: async (request, context) => { throw new Error('the wrapper broke for ' + context.invocationId); } });\n");
      case JAVA -> brokenJavaFunction(app);
    }
    try (AzureFunctionHost host = AzureFunctionHost.start(app, language, Map.of(), work)) {
      String id = UUID.randomUUID().toString();
      HttpResponse<String> response = post(host, id, "{}");
      assertEquals(500, response.statusCode(), language + ": " + response.body());
      assertTrue(response.body().contains("the wrapper broke for " + id), response.body());
      assertEquals(500, post(host, UUID.randomUUID().toString(), "{}").statusCode(), "the host goes on serving");
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Language.class)
  void onlyPostToApiHandlerReachesTheFunction(Language language) throws Exception {
    Path app = EchoApps.unpacked(language, work.resolve("app"));
    try (AzureFunctionHost host = AzureFunctionHost.start(app, language, Map.of(), work)) {
      HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(url(host, "api/handler")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(405, get.statusCode(), language.id());
      HttpResponse<String> elsewhere = HTTP.send(HttpRequest.newBuilder(url(host, "api/other"))
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(404, elsewhere.statusCode(), language.id());
    }
  }

  @Test
  void aHostThatCannotLoadItsAppFailsAtStartWithWhatItPrinted() throws IOException {
    Path empty = Files.createDirectories(work.resolve("empty"));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> AzureFunctionHost.start(empty, Language.PYTHON, Map.of(), work));
    assertTrue(e.getMessage().contains("exited with code"), e.getMessage());
    assertTrue(e.getMessage().contains("holds a function.json"), e.getMessage());
  }

  @Test
  void closingEndsTheProcess() throws Exception {
    Path app = EchoApps.unpacked(Language.PYTHON, work.resolve("app"));
    AzureFunctionHost host = AzureFunctionHost.start(app, Language.PYTHON, Map.of(), work);
    assertTrue(host.alive());
    int port = host.port();
    host.close();
    assertFalse(host.alive());
    assertThrows(IOException.class, () -> post(port, UUID.randomUUID().toString(), "{}"));
  }

  @Test
  void theFunctionSeesTheAppSettingsAsEnvironment() throws Exception {
    Path app = EchoApps.unpacked(Language.PYTHON, work.resolve("app"));
    Files.writeString(app.resolve("function/function.py"),
        "import os\n\ndef handler(event):\n    return {name: os.environ.get(name) for name in event['names']}\n");
    try (AzureFunctionHost host = AzureFunctionHost.start(app, Language.PYTHON,
        Map.of("SEBS_FUNCTION_NAME", "env-reader"), work)) {
      JsonNode output = JSON.readTree(post(host, UUID.randomUUID().toString(),
          "{\"names\": [\"SEBS_FUNCTION_NAME\", \"FUNCTIONS_WORKER_RUNTIME\"]}").body()).path("result").path("output");
      assertEquals("env-reader", output.path("SEBS_FUNCTION_NAME").asText());
      assertEquals("python", output.path("FUNCTIONS_WORKER_RUNTIME").asText());
      assertNotEquals(0, host.port());
    }
  }

  @Test
  void theRemoteBuildInstallsPythonRequirementsWhereTheWorkerFindsThem() throws Exception {
    Path app = EchoApps.unpacked(Language.PYTHON, work.resolve("app"));
    Files.writeString(app.resolve("requirements.txt"), "azure-functions\nsix\n");
    Files.writeString(app.resolve("function/function.py"),
        "import six\n\ndef handler(event):\n    return {'six': six.__file__}\n");
    AzureFunctionHost.remoteBuild(app, Language.PYTHON);
    try (AzureFunctionHost host = AzureFunctionHost.start(app, Language.PYTHON, Map.of(), work)) {
      JsonNode answer = JSON.readTree(post(host, UUID.randomUUID().toString(), "{}").body());
      assertTrue(answer.path("result").path("output").path("six").asText()
          .startsWith(app.resolve(".python_packages/lib/site-packages").toString()), answer.toString());
    }
  }

  @Test
  void aNodeBenchmarksDependenciesArePackagedAndFoundByItsCode() throws Exception {
    Path code = Files.createDirectories(work.resolve("ms-user"));
    Files.writeString(code.resolve("function.js"),
        "const ms = require('ms');\nexports.handler = async (event) => ({ hours: ms(event.duration) / 3600000 });\n");
    Files.writeString(code.resolve("package.json"),
        "{\"name\": \"ms-user\", \"version\": \"1.0.0\", \"dependencies\": {\"ms\": \"2.1.3\"}}");
    Map<String, byte[]> wrapper = new java.util.TreeMap<>(new io.sebs.junit.benchmark.WrapperSource(
        io.sebs.junit.testing.Fixtures.catalogueDir()).files("azure", Language.NODEJS));
    wrapper.keySet().removeIf(path -> !io.sebs.junit.storage.StorageModules.shipsWrapperFile(path, false, false)); // no storage modules
    AzurePackage pkg = AzurePackage.build(io.sebs.junit.testing.Fixtures.cacheDir(),
        AzurePackage.code(wrapper, code, FlexRuntime.of(Language.NODEJS, "20"), Map.of()), Language.NODEJS);
    assertTrue(pkg.files().containsKey("node_modules/ms/package.json"), "ms is not in the package");
    Path app = work.resolve("app");
    pkg.unpackTo(app);
    try (AzureFunctionHost host = AzureFunctionHost.start(app, Language.NODEJS, Map.of(), work)) {
      JsonNode answer = JSON.readTree(post(host, UUID.randomUUID().toString(), "{\"duration\": \"2h\"}").body());
      assertEquals(2, answer.path("result").path("output").path("hours").asInt(), answer + "\n" + host.logTail());
    }
  }

  @Test
  void aJavaBenchmarkInSebsLayoutRunsOnAnInstanceOfItsFunctionClass() throws Exception {
    Path code = io.sebs.junit.testing.Fixtures.benchmarksDir().resolve("900.fixtures/912.sebs-sleep/java");
    Map<String, byte[]> wrapper = new java.util.TreeMap<>(new io.sebs.junit.benchmark.WrapperSource(
        io.sebs.junit.testing.Fixtures.catalogueDir()).files("azure", Language.JAVA));
    wrapper.keySet().removeIf(path -> !io.sebs.junit.storage.StorageModules.shipsWrapperFile(path, false, false)); // no storage modules
    AzurePackage pkg = AzurePackage.build(io.sebs.junit.testing.Fixtures.cacheDir(),
        AzurePackage.code(wrapper, code, FlexRuntime.of(Language.JAVA, "21"), Map.of()), Language.JAVA);
    Path app = work.resolve("app");
    pkg.unpackTo(app);
    try (AzureFunctionHost host = AzureFunctionHost.start(app, Language.JAVA, Map.of(), work)) {
      String id = UUID.randomUUID().toString();
      JsonNode answer = JSON.readTree(post(host, id, "{\"sleep\": 0.01}").body());
      assertEquals(0.01, answer.path("result").path("output").asDouble(), answer + "\n" + host.logTail());
      assertEquals(id, answer.path("request_id").asText());
    }
  }

  /** A jar whose entry point throws, put in place of the echo function's in handler/function.json. */
  private void brokenJavaFunction(Path app) throws IOException {
    Path sources = Files.createDirectories(work.resolve("broken-src/broken"));
    Path source = sources.resolve("Handler.java");
    Files.writeString(source, String.join("\n",
        "package broken;",
        "import com.microsoft.azure.functions.*;",
        "import java.util.Optional;",
        "public class Handler {",
        "  public HttpResponseMessage run(HttpRequestMessage<Optional<String>> request, ExecutionContext context) {",
        "    throw new IllegalStateException(\"the wrapper broke for \" + context.getInvocationId());",
        "  }",
        "}"));
    Path classes = Files.createDirectories(work.resolve("broken-classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "no Java compiler in this JVM (run the tests on a JDK)");
    String classPath = location(com.microsoft.azure.functions.ExecutionContext.class);
    assertEquals(0, javac.run(null, null, null, "--release", "17", "-d", classes.toString(), "-classpath", classPath,
        source.toString()), "compiling the broken function failed (see stderr)");
    try (OutputStream out = Files.newOutputStream(app.resolve("broken.jar")); JarOutputStream jar = new JarOutputStream(out);
         Stream<Path> files = Files.walk(classes)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        jar.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
        jar.write(Files.readAllBytes(file));
        jar.closeEntry();
      }
    }
    Path functionJson = app.resolve("handler/function.json");
    Files.writeString(functionJson, Files.readString(functionJson)
        .replace("../function.jar", "../broken.jar").replace("sebs.wrapper.AzureHandler.run", "broken.Handler.run"));
  }

  private static String location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static URI url(AzureFunctionHost host, String path) {
    return URI.create("http://127.0.0.1:" + host.port() + "/" + path);
  }

  private static HttpResponse<String> post(AzureFunctionHost host, String invocationId, String body) throws Exception {
    return post(host.port(), invocationId, body);
  }

  private static HttpResponse<String> post(int port, String invocationId, String body) throws IOException,
      InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + AzurePackage.ROUTE))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .header(AzureFunctionHost.INVOCATION_HEADER, invocationId)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
