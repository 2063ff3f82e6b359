package io.sebs.junit.platform.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.benchmark.CodePackage;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.benchmark.WrapperSource;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.storage.StorageModules;
import io.sebs.junit.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java functions on the local platform: the fixture echo's java/ Maven project is compiled with the Java
 * wrapper, each instance is a JVM speaking the same protocol as the Python and Node.js wrappers (cold then
 * warm, function errors, crashes, timeouts), with its heap capped at the function's memory.
 */
class JavaFunctionTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path results;

  private BenchmarkRun run;

  /**
   * A JVM's first request (class loading, no JIT yet) can take seconds on a busy machine, longer than the
   * fixture's 2 s timeout: tests that are not about the timeout give the function a generous one.
   */
  private static final int TIMEOUT_SECONDS = 30;

  private FunctionInvoker deploy() {
    return deploy(TIMEOUT_SECONDS);
  }

  private FunctionInvoker deploy(int timeoutSeconds) {
    run = new BenchmarkRun(Fixtures.config(results, "sebs.local.keepAlive", "60s"));
    return run.prepare(run.spec("901.echo", "java", "", "test", 0, timeoutSeconds)).invoker();
  }

  private LocalPlatform platform() {
    return (LocalPlatform) run.platform();
  }

  @AfterEach
  void closeRun() {
    if (run != null) {
      List<Long> pids = platform().instancePids();
      run.close();
      assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
          .as("instance pid %d after close", pid).isFalse());
    }
  }

  @Test
  void firstInvocationIsColdAndTheNextReusesTheJvm() {
    FunctionInvoker fn = deploy();

    Invocation first = fn.invoke();
    Invocation second = fn.invoke();

    assertThat(first.failed()).as("%s", first).isFalse();
    assertThat(first.isCold()).isTrue();
    assertThat(first.initTime()).isPresent();
    assertThat(second.failed()).as("%s", second).isFalse();
    assertThat(second.isCold()).isFalse();
    assertThat(second.initTime()).isEmpty();
    assertThat(second.containerId()).isEqualTo(first.containerId()).matches("[0-9a-f]{32}");
    assertThat(second.output().path("pid").asLong()).isEqualTo(first.output().path("pid").asLong());
    assertThat(second.output().path("echo").path("message").asText()).isEqualTo("hello");
    assertThat(second.measurement().path("slept_s").asInt(-1)).isZero();
    assertThat(second.benchmarkTime()).isLessThanOrEqualTo(second.clientTime());
  }

  @Test
  void theHeapIsCappedAtTheFunctionsMemory() {
    Invocation result = deploy().invoke();

    assertThat(result.failed()).as("%s", result).isFalse();
    // 901.echo has 128 MB: -Xmx128m (the JVM reports a little less, one survivor space being unusable)
    assertThat(result.output().path("max_heap_bytes").asLong())
        .isBetween(100L * 1024 * 1024, 128L * 1024 * 1024);
  }

  @Test
  void theEventRoundTripsThroughTheWrappersJson() throws IOException {
    FunctionInvoker fn = deploy();
    JsonNode event = JSON.readTree("{\"text\": \"h\\u00e9llo \\\"q\\\" \\\\ \\n\\t \\u2028 \\ud83d\\ude00 \\u0001\","
        + " \"numbers\": [0, -1, 2147483648, 12345678901234567890123, 0.5, -2.5e-7, 1e300],"
        + " \"flags\": [true, false, null], \"nested\": {\"a\": {\"b\": [[], {}]}}, \"empty\": \"\"}");

    Invocation result = fn.invoke(JSON.convertValue(event, Map.class));

    assertThat(result.failed()).as("%s", result).isFalse();
    assertThat(result.output().path("echo")).isEqualTo(event);
  }

  @Test
  void aFunctionErrorFailsTheInvocationWithTheStackTraceButKeepsTheInstance() {
    FunctionInvoker fn = deploy();
    Invocation before = fn.invoke();

    Invocation error = fn.invoke(Map.of("fail", "boom"));

    assertThat(error.failed()).isTrue();
    assertThat(error.failureReason()).hasValueSatisfying(r -> assertThat(r)
        .startsWith("function error: java.lang.RuntimeException: boom (at Function.java:22 in function.Function.handler)")
        .contains("at function.Function.handler"));
    Invocation next = fn.invoke();
    assertThat(next.isCold()).isFalse();
    assertThat(next.containerId()).isEqualTo(before.containerId());
  }

  @Test
  void aResultJsonCannotCarryIsAFunctionError() {
    FunctionInvoker fn = deploy();

    Invocation result = fn.invoke(Map.of("unserializable", true));

    assertThat(result.failed()).isTrue();
    assertThat(result.failureReason()).hasValueSatisfying(r -> assertThat(r)
        .contains("not JSON-serializable").contains("java.lang.Thread"));
    assertThat(fn.invoke().failed()).isFalse();
  }

  @Test
  void aCrashFailsTheInvocationWithTheExitCodeAndTheNextRequestGetsAFreshJvm() {
    FunctionInvoker fn = deploy();
    Invocation before = fn.invoke();

    Invocation crashed = fn.invoke(Map.of("crash", true));

    assertThat(crashed.failed()).isTrue();
    assertThat(crashed.failureReason()).hasValueSatisfying(r -> assertThat(r).contains("crashed").contains("code 3"));
    Invocation next = fn.invoke();
    assertThat(next.failed()).as("%s", next).isFalse();
    assertThat(next.isCold()).isTrue();
    assertThat(next.containerId()).isNotEqualTo(before.containerId());
  }

  @Test
  void aTimeoutKillsTheJvmAndFailsTheInvocation() {
    FunctionInvoker fn = deploy(4); // long enough for a cold JVM's first request on a busy machine
    long pid = fn.invoke().output().path("pid").asLong();

    Invocation slow = fn.invoke(Map.of("sleep", 8));

    assertThat(slow.failed()).isTrue();
    assertThat(slow.failureReason()).hasValueSatisfying(r -> assertThat(r).contains("timeout").contains("4 s"));
    assertThat(slow.clientTime()).isBetween(Duration.ofMillis(3900), Duration.ofMillis(6500));
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("killed").isFalse();
    Invocation next = fn.invoke();
    assertThat(next.failed()).as("%s", next).isFalse();
    assertThat(next.isCold()).isTrue();
  }

  @Test
  void enforcingAColdStartRetiresTheJvm() {
    FunctionInvoker fn = deploy();
    Invocation warmed = fn.invoke();

    fn.enforceColdStart();
    Invocation cold = fn.invoke();

    assertThat(cold.isCold()).isTrue();
    assertThat(cold.containerId()).isNotEqualTo(warmed.containerId());
    assertThat(cold.output().path("pid").asLong()).isNotEqualTo(warmed.output().path("pid").asLong());
  }

  @Test
  void theClockOffsetShiftsEveryFunctionSideTimestamp() {
    run = new BenchmarkRun(Fixtures.config(results, "sebs.local.clockOffsetMs", "60000"));
    var deployed = run.prepare(run.spec("901.echo", "java", "", "test", 0, TIMEOUT_SECONDS)).deployed();

    var result = platform().invoke(deployed, JSON.createObjectNode().put("message", "hello"));

    assertThat(result.failed()).as("%s", result).isFalse();
    long shift = result.functionBeginMicros() - result.clientBeginMicros();
    assertThat(shift).as("begin - client begin, us").isBetween(60_000_000L, 60_000_000L + result.clientMicros());
    assertThat(result.incomeTimestampMicros()).isLessThanOrEqualTo(result.functionBeginMicros())
        .isGreaterThan(result.clientBeginMicros() + 59_000_000L);
    assertThat(result.functionEndMicros()).isGreaterThanOrEqualTo(result.functionBeginMicros());
  }

  @Test
  void theWrapperSpeaksHttpLikeThePythonOne() throws Exception {
    run = new BenchmarkRun(Fixtures.config(results, "sebs.local.keepAlive", "60s"));
    var prepared = run.prepare(run.spec("901.echo", "java", "", "test", 0, TIMEOUT_SECONDS));
    assertThat(prepared.invoker().invoke().failed()).isFalse();
    java.net.URI endpoint = platform().idleEndpoints(prepared.deployed()).get(0);

    assertThat(raw(endpoint, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"))
        .startsWith("HTTP/1.1 200 ").endsWith("{\"status\": \"ok\"}");
    assertThat(raw(endpoint, "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n"))
        .startsWith("HTTP/1.1 404 ").contains("use GET /health or POST an event");
    assertThat(raw(endpoint, "DELETE / HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 405 ");
    assertThat(raw(endpoint, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n{bad"))
        .startsWith("HTTP/1.1 400 ").contains("the request body is not valid JSON");
    assertThat(raw(endpoint, "nonsense\r\n\r\n")).startsWith("HTTP/1.1 400 ").contains("Connection: close");
    // a chunked body, as http.server and Node.js accept it
    String chunked = raw(endpoint, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nX-Request-Id: r-7\r\n\r\n"
        + "8\r\n{\"messag\r\n7\r\ne\": \"hi\r\n2\r\n\"}\r\n0\r\n\r\n");
    assertThat(chunked).startsWith("HTTP/1.1 200 ").contains("\"request_id\":\"r-7\"").contains("\"message\":\"hi\"")
        .containsPattern("\"begin\":\"[0-9]+\\.[0-9]{6}\"").contains("\"is_cold\":false");
  }

  /** Sends raw bytes on a fresh connection (closed by this side after the request) and reads the answer. */
  private static String raw(java.net.URI endpoint, String request) throws IOException {
    try (java.net.Socket socket = new java.net.Socket(endpoint.getHost(), endpoint.getPort())) {
      socket.setSoTimeout(10_000);
      String req = request.contains("\r\n\r\n") && !request.startsWith("nonsense")
          ? request.replaceFirst("\r\n", "\r\nConnection: close\r\n") : request;
      socket.getOutputStream().write(req.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void theInstanceCommandCapsTheHeapAndRunsTheWrapper() {
    assertThat(io.sebs.junit.platform.pool.PackageFolders.javaArguments(256)).startsWith("-Xmx256m")
        .contains("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true")
        .endsWith("sebs.wrapper.Handler");
    assertThat(io.sebs.junit.platform.pool.PackageFolders.javaArguments(0)).noneMatch(a -> a.startsWith("-Xmx"));
  }

  @Test
  void aCompileErrorFailsTheBuildWithMavensMessage(@TempDir Path tmp) throws IOException {
    Path code = tmp.resolve("code");
    Path echo = Fixtures.benchmarksDir().resolve("900.fixtures/901.echo/java");
    Files.createDirectories(code.resolve("src/main/java/function"));
    Files.copy(echo.resolve("pom.xml"), code.resolve("pom.xml"));
    Files.writeString(code.resolve("src/main/java/function/Function.java"),
        "package function;\npublic final class Function { int broken = \"not an int\"; }\n");
    // as LocalPlatform assembles it: no storage client, Jackson added to the pom
    CodePackage pkg = CodePackage.assemble(io.sebs.junit.platform.pool.HttpWrapper.files(
            new WrapperSource(Fixtures.benchmarksDir()).files(WrapperSource.HTTP, Language.JAVA), Language.JAVA, false),
            code)
        .withDependencies(Language.JAVA, Map.of(StorageModules.JACKSON_DATABIND, StorageModules.JACKSON_VERSION));

    assertThatThrownBy(() -> new LocalPackageBuilder(tmp.resolve("cache")).build("sebs-broken", pkg, Language.JAVA, ""))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Building the Java function with Maven failed")
        .hasMessageContaining("Function.java")
        .hasMessageContaining("incompatible types");
  }

  @Test
  void aJavaFolderWithoutAPomSaysWhatAJavaFunctionIs(@TempDir Path tmp) throws IOException {
    Path code = tmp.resolve("code");
    Files.createDirectories(code.resolve("src/main/java/function"));
    Files.writeString(code.resolve("src/main/java/function/Function.java"), "package function;\n");
    // as LocalPlatform assembles it: no storage client, Jackson added to the pom
    CodePackage pkg = CodePackage.assemble(io.sebs.junit.platform.pool.HttpWrapper.files(
            new WrapperSource(Fixtures.benchmarksDir()).files(WrapperSource.HTTP, Language.JAVA), Language.JAVA, false),
            code)
        .withDependencies(Language.JAVA, Map.of(StorageModules.JACKSON_DATABIND, StorageModules.JACKSON_VERSION));

    assertThatThrownBy(() -> new LocalPackageBuilder(tmp.resolve("cache")).build("sebs-nopom", pkg, Language.JAVA, ""))
        .hasMessageContaining("has no pom.xml")
        .hasMessageContaining("java/src/main/java/function/Function.java");
  }

  @Test
  void aJavaVersionOtherThanTheOneOnPathIsRefused() {
    CodePackage pkg = CodePackage.assemble(
        new WrapperSource(Fixtures.benchmarksDir()).files(WrapperSource.HTTP, Language.JAVA),
        Fixtures.benchmarksDir().resolve("900.fixtures/901.echo/java"));

    assertThatThrownBy(() -> new LocalPackageBuilder(results.resolve("cache")).build("sebs-v", pkg, Language.JAVA, "8"))
        .hasMessageContaining("Java 8 was requested but java on PATH is")
        .hasMessageContaining("remove languageVersion");
  }
}
