package io.sebs.junit.platform.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.Invocation;
import io.sebs.junit.ObjectStorage;
import io.sebs.junit.benchmark.CodePackage;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.benchmark.WrapperSource;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.PreparedFunction;
import io.sebs.junit.storage.StorageModules;
import io.sebs.junit.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Java functions on the aws platform, against the Lambda stand-in ({@link LambdaApiStub}) through the AWS
 * SDK's endpoint override only. The stub runs the uploaded zip as Lambda's Java runtime does: the real
 * runtime interface client in a JVM per execution environment, loading the handler string from the
 * unzipped package and exchanging events over the Runtime API ({@link JavaExecutionEnvironment}). So these
 * tests prove the package layout, the handler string and the Java wrapper together.
 */
class AwsJavaFunctionTest {

  @TempDir
  Path results;

  static final String KEY = "AKIDJAVA";
  static final String SECRET = "java-secret";

  @RegisterExtension
  static final AwsStandIns aws = AwsStandIns.stub(KEY, SECRET).withS3().withRoleCredentials();

  private BenchmarkRun run(String... keyValues) {
    List<String> settings = new ArrayList<>(List.of(SebsConfig.PLATFORM, "aws", AwsSettings.REGION, "us-east-1"));
    settings.addAll(List.of(keyValues));
    return new BenchmarkRun(Fixtures.config(results, settings.toArray(String[]::new)));
  }

  private static JsonNode createRequest(String functionName) {
    return aws.stub().requestsTo("POST", "/2015-03-31/functions").stream().map(LambdaApiStub.Request::json)
        .filter(b -> b.path("FunctionName").asText().equals(functionName))
        .reduce((a, b) -> b).orElseThrow();
  }

  private static List<String> zipEntries(JsonNode create) throws IOException {
    List<String> names = new ArrayList<>();
    byte[] zip = Base64.getDecoder().decode(create.path("Code").path("ZipFile").asText());
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
    for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
    names.add(e.getName());
  }
    }
    return names;
  }

  @Test
  void theJarRunsOnTheJavaRuntimeColdThenWarmWithTheReportLinesBilling() throws Exception {
    try (BenchmarkRun run = run()) {
    PreparedFunction function = run.prepare(run.spec("901.echo", "java", "", "test", 256, 10));
      String name = function.deployed().name();

      JsonNode create = createRequest(name);
      assertThat(create.path("Runtime").asText()).isEqualTo("java17");
      assertThat(create.path("Handler").asText()).isEqualTo("sebs.wrapper.LambdaHandler::handleRequest");
      assertThat(create.path("MemorySize").asInt()).isEqualTo(256);
      assertThat(create.path("Timeout").asInt()).isEqualTo(10);
      // Lambda's Java layout: compiled classes at the root, the runtime dependencies under lib/; no sources,
      // no pom, and not the Lambda library the runtime provides
      List<String> entries = zipEntries(create);
      System.out.println("Java Lambda zip entries: " + entries);
      assertThat(entries).contains("sebs/wrapper/LambdaHandler.class", "function/Function.class")
          .anyMatch(e -> e.matches("lib/jackson-databind-[0-9.]+\\.jar"))
          .noneMatch(e -> e.startsWith("lib/aws-lambda-java-core"))
          .noneMatch(e -> e.endsWith(".java") || e.endsWith("pom.xml"))
          .allMatch(e -> e.endsWith(".class") || e.matches("lib/[^/]+\\.jar"));
      assertThat(entries).isSorted();

      Invocation first = function.invoker().invoke(Map.of("hello", "java"));
      Invocation second = function.invoker().invoke(Map.of("hello", "again"));
      System.out.printf("Java on the stub's runtime: cold client %d ms (provider %s), warm client %d ms (provider %s)%n",
          first.clientTime().toMillis(), first.providerTime().orElseThrow(), second.clientTime().toMillis(),
          second.providerTime().orElseThrow());
      assertThat(first.failed()).as("%s", first).isFalse();
      assertThat(second.failed()).as("%s", second).isFalse();
      assertThat(first.output().path("echo").path("hello").asText()).isEqualTo("java");
      assertThat(second.output().path("echo").path("hello").asText()).isEqualTo("again");
      assertThat(first.isCold()).isTrue();
      assertThat(second.isCold()).isFalse();
      assertThat(second.containerId()).isEqualTo(first.containerId());
      // one JVM serves the environment, as on Lambda: the warm request reuses the process of the cold one
      assertThat(second.output().path("pid").asLong()).isEqualTo(first.output().path("pid").asLong());
      assertThat(first.output().path("max_heap_bytes").asLong()).isLessThanOrEqualTo(256L * 1024 * 1024);
      // the wrapper reports Lambda's request id (the one the runtime client got from the Runtime API)
      assertThat(first.requestId()).matches("[0-9a-f-]{36}");
      // provider time, init time and memory from the REPORT line; init only on the cold one
      assertThat(first.providerTime()).isPresent();
      assertThat(first.initTime()).isPresent();
      assertThat(second.initTime()).isEmpty();
      assertThat(first.memoryUsed()).hasValue(42.0);

      Invocation failed = function.invoker().invoke(Map.of("fail", "boom"));
      assertThat(failed.failed()).isTrue();
      assertThat(failed.failureReason().orElseThrow()).contains("java.lang.RuntimeException: boom");

      function.invoker().enforceColdStart();
      Invocation afterUpdate = function.invoker().invoke(Map.of());
      assertThat(afterUpdate.failed()).as("%s", afterUpdate).isFalse();
      assertThat(afterUpdate.isCold()).isTrue();
      assertThat(afterUpdate.containerId()).isNotEqualTo(first.containerId());
      assertThat(afterUpdate.output().path("pid").asLong()).isNotEqualTo(first.output().path("pid").asLong());
    }
  }

  @Test
  void java21IsTheJava21RuntimeWithTheSamePackage() throws Exception {
    try (BenchmarkRun run = run()) {
    PreparedFunction function = run.prepare(run.spec("901.echo", "java", "21", "test", 128, 10));
      JsonNode create = createRequest(function.deployed().name());
      assertThat(create.path("Runtime").asText()).isEqualTo("java21");
      assertThat(create.path("Handler").asText()).isEqualTo("sebs.wrapper.LambdaHandler::handleRequest");
      assertThat(function.invoker().invoke(Map.of("v", 21)).output().path("echo").path("v").asInt()).isEqualTo(21);
    }
  }

  @Test
  void theDynamicHtmlBenchmarkRendersItsPageOnLambdasJavaRuntime() throws Exception {
    String benchmarks = io.sebs.junit.testing.Fixtures.catalogueDir().toString();
    try (BenchmarkRun run = run(SebsConfig.BENCHMARKS_DIR, benchmarks)) {
    PreparedFunction function = run.prepare(run.spec("110.dynamic-html", "java", "", "test", 512, 10));
      JsonNode create = createRequest(function.deployed().name());
      assertThat(create.path("MemorySize").asInt()).isEqualTo(512);
      // the template engine is a dependency jar, the template a resource at the root
      assertThat(zipEntries(create)).anyMatch(e -> e.startsWith("lib/compiler-"))
          .contains("templates/template.html");

      Invocation cold = function.invoker().invoke();
      Invocation warm = function.invoker().invoke();
      assertThat(cold.failed()).as("%s", cold).isFalse();
      assertThat(warm.failed()).as("%s", warm).isFalse();
      assertThat(cold.isCold()).isTrue();
      assertThat(warm.isCold()).isFalse();
      String page = warm.output().asText();
      assertThat(page).contains("<ul id=\"numbers\">").contains("<span id=\"username\">");
      assertThat(page.split("<li>", -1)).hasSize(11); // random_len 10 for size test
      System.out.printf("110.dynamic-html java on the stub: cold %d ms, warm %d ms (benchmark %d us)%n",
          cold.clientTime().toMillis(), warm.clientTime().toMillis(), warm.benchmarkTime().toNanos() / 1000);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"311.compression", "210.thumbnailer"})
  void aStorageBenchmarkReadsAndWritesS3ThroughTheJavaStorageModule(String benchmark) throws Exception {
    String benchmarks = io.sebs.junit.testing.Fixtures.catalogueDir().toString();
    try (BenchmarkRun run = run(SebsConfig.BENCHMARKS_DIR, benchmarks)) {
    PreparedFunction function = run.prepare(run.spec(benchmark, "java", "", "test", 512, 60));
      JsonNode create = createRequest(function.deployed().name());
      // sebs.storage.Storage is packaged with the wrapper, the AWS SDK's S3 client under lib/
      assertThat(zipEntries(create)).contains("sebs/storage/Storage.class")
          .anyMatch(e -> e.matches("lib/s3-[0-9.]+\\.jar")).anyMatch(e -> e.matches("lib/url-connection-client-.*"));
      // the function gets the S3 endpoint override, never credentials (Lambda gives the role's)
      JsonNode variables = create.path("Environment").path("Variables");
      assertThat(variables.path("SEBS_STORAGE_ENDPOINT").asText()).isEqualTo(aws.s3().endpoint().toString());
      assertThat(variables.has("AWS_ACCESS_KEY_ID")).isFalse();

      Invocation cold = function.invoker().invoke();
      Invocation warm = function.invoker().invoke();
      assertThat(cold.failed()).as("%s", cold).isFalse();
      assertThat(warm.failed()).as("%s", warm).isFalse();
      assertThat(cold.isCold()).isTrue();
      assertThat(warm.isCold()).isFalse();
      // what the function uploaded (a unique key per invocation) is in the run's bucket
      ObjectStorage objects = run.platform().storage().objectStorage();
      String bucket = warm.output().path("bucket").asText();
      assertThat(bucket).isEqualTo(objects.benchmarksBucket());
      assertThat(warm.output().path("key").asText()).isNotEqualTo(cold.output().path("key").asText());
      byte[] stored = objects.download(bucket, warm.output().path("key").asText());
      assertThat(stored).isNotEmpty();
      if (benchmark.equals("311.compression")) {
    assertThat(stored).hasSize(warm.output().path("size").asInt()).startsWith((byte) 0x50, (byte) 0x4b); // a zip
      }
      System.out.printf("%s java on the stub: output %s, %d bytes stored, cold %d ms, warm %d ms%n", benchmark,
          warm.output(), stored.length, cold.clientTime().toMillis(), warm.clientTime().toMillis());
    }
  }

  @Test
  void equalCodeGivesAByteIdenticalZip(@TempDir Path cacheA, @TempDir Path cacheB) {
    try (BenchmarkRun run = run()) {
    FunctionSpec spec = run.spec("901.echo", "java", "", "test", 128, 10);
      CodePackage code = LambdaJavaRuntime.complete(CodePackage.assemble(
              new WrapperSource(Fixtures.benchmarksDir()).files("aws", Language.JAVA),
              spec.benchmark().codeDirectory(Language.JAVA))
          .withDependencies(Language.JAVA, StorageModules.dependencies(spec)), spec);
      AwsSettings settings = AwsSettings.from(Fixtures.config(results));
      LambdaPackage a = LambdaPackage.build(cacheA, spec.functionName(), code, Language.JAVA, "java17", settings);
      LambdaPackage b = LambdaPackage.build(cacheB, spec.functionName(), code, Language.JAVA, "java17", settings);
      // two separate Maven builds: javac's output and the copied jars are the same bytes, and so is the zip,
      // so Lambda's CodeSha256 of a deployed function matches and its code is not uploaded again
      assertThat(a.zip()).isNotEqualTo(b.zip());
      assertThat(a.sha256()).isEqualTo(b.sha256());
      assertThat(a.bytes()).isEqualTo(b.bytes());
    }
  }

  @Test
  void aJavaVersionLambdaCannotRunTheBenchmarksOnIsAnErrorNamingTheOnesItCan() {
    try (BenchmarkRun run = run()) {
    assertThatThrownBy(() -> run.prepare(run.spec("901.echo", "java", "11", "test", 128, 10)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Java 11 is not a Java version sebs-junit deploys to AWS Lambda")
          .hasMessageContaining("17 or 21");
    }
  }

  @Test
  void aJavaBenchmarkUsingNoSqlIsNotSupportedYetAndSaysSo() {
    try (BenchmarkRun run = run()) {
    // 903.storage-echo lists the "nosql" module; the Java wrappers have no sebs.nosql yet
      FunctionSpec python = run.spec("903.storage-echo", "python", "", "test", 128, 10);
      FunctionSpec java = new FunctionSpec(python.benchmark(), Language.JAVA, "", "test", 128, 10);
      CodePackage code = CodePackage.assemble(Map.of(), python.benchmark().codeDirectory(Language.PYTHON));
      assertThatThrownBy(() -> LambdaJavaRuntime.complete(code, java))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("\"nosql\" module are not supported on the aws platform yet")
          .hasMessageContaining("no sebs.nosql module")
          .hasMessageContaining("903.storage-echo");
    }
  }
}
