package io.sebs.junit.platform.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Cloud Functions wrappers under Google's own runtimes (the Node.js Functions Framework, the Java invoker)
 * and our Python host, as {@link FunctionRuntimes} runs them for the stand-in: packages assembled by hand from
 * the wrapper and the echo fixture (901.echo) in the layout the platform uploads, then the function contract
 * over HTTP — cold then warm in one instance, the trace id as request id, the echoed event, init_begin on the
 * cold answer only, and a failing function naming its own frame.
 */
class FunctionRuntimesTest {

  private static final String WRAPPERS = "io/sebs/junit/wrappers/gcp/";
  private static final String FIXTURE = "benchmarks/900.fixtures/901.echo/";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  static Path work;
  private static FunctionRuntimes runtimes;

  @BeforeAll
  static void createRuntimes() throws IOException {
    runtimes = FunctionRuntimes.create(work.resolve("runtimes"));
  }

  @AfterAll
  static void closeRuntimes() {
    if (runtimes != null) {
      runtimes.close();
    }
  }

  @Test
  void python311() throws Exception {
    Path pkg = work.resolve("python-echo");
    copy(WRAPPERS + "python/main.py", pkg.resolve("main.py"));
    copy(FIXTURE + "python/function.py", pkg.resolve("function/function.py"));
    Files.writeString(pkg.resolve("requirements.txt"), "# the echo function needs nothing\n");
    exercise(pkg, "python311", "handler", "function.py:13 in handler");
  }

  @Test
  void nodejs20() throws Exception {
    Path pkg = work.resolve("nodejs-echo");
    copy(WRAPPERS + "nodejs/index.js", pkg.resolve("index.js"));
    copy(FIXTURE + "nodejs/function.js", pkg.resolve("function/function.js"));
    ObjectNode packageJson = (ObjectNode) JSON.readTree(resource(FIXTURE + "nodejs/package.json"));
    packageJson.put("main", "index.js");
    Files.writeString(pkg.resolve("package.json"), JSON.writeValueAsString(packageJson));
    exercise(pkg, "nodejs20", "handler", "function.js:10 in exports.handler");
  }

  /** npm install (the build) puts dependencies in the source's node_modules, where the framework-loaded code finds them. */
  @Test
  void nodejsDependenciesComeFromTheBuild() throws Exception {
    Path pkg = work.resolve("nodejs-ms");
    copy(WRAPPERS + "nodejs/index.js", pkg.resolve("index.js"));
    Files.createDirectories(pkg.resolve("function"));
    Files.writeString(pkg.resolve("function/function.js"),
        "const ms = require('ms');\nexports.handler = async (event) => ({ hours: ms(event.duration) / 3600000 });\n");
    Files.writeString(pkg.resolve("package.json"),
        "{\"name\": \"ms-user\", \"version\": \"1.0.0\", \"main\": \"index.js\", \"dependencies\": {\"ms\": \"2.1.3\"}}");
    runtimes.build(pkg, "nodejs20");
    assertTrue(Files.isRegularFile(pkg.resolve("node_modules/ms/package.json")), "npm install did not run");
    int port = freePort();
    Process process = runtimes.start(pkg, "nodejs20", "handler", Map.of(), port);
    try {
      runtimes.waitUntilReady(process, port, Duration.ofSeconds(30));
      Map<String, Object> answer = post(port, "{\"duration\": \"2h\"}", 200, process);
      assertEquals(Map.of("output", Map.of("hours", 2)), answer.get("result"), () -> answer + "\n" + runtimes.logTail(process));
    } finally {
      process.destroy();
      process.waitFor();
    }
  }

  @Test
  void java17() throws Exception {
    Path pkg = work.resolve("java-echo");
    Path sources = work.resolve("java-sources");
    Path classes = work.resolve("java-classes");
    Path function = copy(FIXTURE + "java/src/main/java/function/Function.java",
        sources.resolve("function/Function.java"));
    Path wrapper = copy(WRAPPERS + "java/function/src/main/java/sebs/wrapper/GcpHandler.java",
        sources.resolve("sebs/wrapper/GcpHandler.java"));
    List<Path> jackson = List.of(jarHolding("com/fasterxml/jackson/databind/ObjectMapper.class", "jackson-databind-"),
        jarHolding("com/fasterxml/jackson/core/JsonFactory.class", "jackson-core-"),
        jarHolding("com/fasterxml/jackson/annotation/JsonAutoDetect.class", "jackson-annotations-"));
    List<Path> classpath = new ArrayList<>(jackson); // ahead of the invoker's jar, which has its own jackson-core
    classpath.add(jarHolding("com/google/cloud/functions/HttpFunction.class", ""));
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "no Java compiler in this JVM (run the tests on a JDK)");
    int rc = javac.run(null, null, null, "--release", "17", "-d", classes.toString(), "-classpath",
        String.join(java.io.File.pathSeparator, classpath.stream().map(Path::toString).toList()),
        function.toString(), wrapper.toString());
    assertEquals(0, rc, "compiling the echo fixture with the GCP wrapper failed (see stderr)");
    Files.createDirectories(pkg);
    jar(classes, pkg.resolve("function.jar"));
    for (Path dependency : jackson) {
      Files.copy(dependency, pkg.resolve(dependency.getFileName()));
    }
    exercise(pkg, "java17", "sebs.wrapper.GcpHandler", "Function.java:22 in function.Function.handler");
  }

  @Test
  void unknownRuntimesAndJarlessJavaUploadsAreRefused() throws IOException {
    Path empty = Files.createDirectories(work.resolve("empty"));
    assertThrows(IllegalArgumentException.class, () -> runtimes.start(empty, "ruby33", "handler", Map.of(), 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> runtimes.start(empty, "java17", "sebs.wrapper.GcpHandler", Map.of(), 1));
    assertTrue(e.getMessage().contains("holds no jar"), e.getMessage());
  }

  /** Builds, starts and calls the function: cold, warm, failing, and a body that is not JSON. */
  private static void exercise(Path pkg, String runtime, String entryPoint, String userFrame) throws Exception {
    runtimes.build(pkg, runtime);
    int port = freePort();
    Map<String, String> env = Map.of("GOOGLE_CLOUD_PROJECT", "sebs-test", "K_SERVICE", "echo-" + runtime,
        "K_REVISION", "echo-" + runtime + "-00001", "SEBS_FUNCTION_NAME", "echo-" + runtime);
    Process process = runtimes.start(pkg, runtime, entryPoint, env, port);
    try {
      runtimes.waitUntilReady(process, port, Duration.ofSeconds(30));
      String why = runtime + " (" + runtimes.log(process) + ")";

      Map<String, Object> cold = post(port, "{\"message\": \"hi\"}", 200, process);
      assertEquals(true, cold.get("is_cold"), why);
      assertEquals("abc123", cold.get("request_id"), why);
      assertEquals(Map.of("message", "hi"), output(cold).get("echo"), why);
      assertNotNull(cold.get("init_begin"), why);
      double initBegin = Double.parseDouble((String) cold.get("init_begin"));
      double income = Double.parseDouble((String) cold.get("income_timestamp"));
      assertTrue(initBegin <= income && income - initBegin < 60, why + ": init_begin " + initBegin + " vs " + income);
      for (String key : List.of("begin", "end", "income_timestamp")) {
        assertTrue(((String) cold.get(key)).matches("\\d+\\.\\d{6}"), why + ": " + key + " = " + cold.get(key));
      }

      Map<String, Object> warm = post(port, "{\"message\": \"hi\"}", 200, process);
      assertEquals(false, warm.get("is_cold"), why);
      assertEquals(cold.get("container_id"), warm.get("container_id"), why);
      assertFalse(warm.containsKey("init_begin"), why);
      assertEquals(Map.of("message", "hi"), output(warm).get("echo"), why);

      Map<String, Object> failed = post(port, "{\"fail\": \"boom\"}", 200, process);
      String error = (String) failed.get("error");
      assertNotNull(error, why + ": " + failed);
      assertTrue(error.endsWith("boom (at " + userFrame + ")"), why + ": " + error);
      assertNotNull(failed.get("traceback"), why);
      assertNull(failed.get("result"), why);

      post(port, "not json", 400, process);
      assertEquals(false, post(port, "{}", 200, process).get("is_cold"), why + ": the instance survives");
    } finally {
      process.destroy();
      process.waitFor();
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> output(Map<String, Object> answer) {
    Map<String, Object> result = (Map<String, Object>) answer.get("result");
    assertNotNull(result, "no result in " + answer);
    return (Map<String, Object>) result.get("output");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> post(int port, String body, int status, Process process) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .header("X-Cloud-Trace-Context", "abc123/1;o=1")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(status, response.statusCode(), () -> "POST " + body + " answered " + response.body() + "\n"
        + runtimes.logTail(process));
    if (status != 200) {
      return Map.of();
    }
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
        () -> "Content-Type " + response.headers().firstValue("Content-Type"));
    return JSON.readValue(response.body(), Map.class);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = FunctionRuntimesTest.class.getClassLoader().getResourceAsStream(name)) {
      assertNotNull(in, "no resource " + name + " on the test classpath");
      return in.readAllBytes();
    }
  }

  private static Path copy(String name, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    Files.write(target, resource(name));
    return target;
  }

  /** The jar on the test classpath that holds {@code classFile}, the one named {@code prefix}... when several do. */
  private static Path jarHolding(String classFile, String prefix) throws IOException, URISyntaxException {
    List<Path> jars = new ArrayList<>();
    for (URL url : Collections.list(FunctionRuntimesTest.class.getClassLoader().getResources(classFile))) {
      String text = url.toString();
      if (text.startsWith("jar:file:")) {
        jars.add(Path.of(new URI(text.substring("jar:".length(), text.indexOf("!/")))));
      }
    }
    return jars.stream().filter(jar -> jar.getFileName().toString().startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no jar named " + prefix + "* holds " + classFile + " on the test"
            + " classpath: " + jars));
  }

  private static void jar(Path classes, Path target) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
    try (OutputStream out = Files.newOutputStream(target); JarOutputStream jar = new JarOutputStream(out, manifest);
         Stream<Path> files = Files.walk(classes)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        jar.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        jar.write(Files.readAllBytes(file));
        jar.closeEntry();
      }
    }
  }
}
