package io.sebs.junit.extension;

import static org.assertj.core.api.Assertions.assertThat;

import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.NoSqlStorage;
import io.sebs.junit.ObjectStorage;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A benchmark whose config.json lists the modules {@code storage} and {@code nosql} runs against real
 * S3- and DynamoDB-API servers: its input.py uploads and seeds rows, its function reads and writes them
 * through SeBS's module interface, and the test sees the same data through the injected clients.
 */
class StorageInjectionTest {

  @TempDir
  Path results;

  static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

  @ServerlessBenchmark(value = "903.storage-echo", language = "python")
  static class PythonStorageEcho {
    @Test
    @Warm(repetitions = 3)
    void warm(Measurements m, ObjectStorage storage, NoSqlStorage nosql, FunctionInvoker invoker) {
      record(m, storage, nosql, invoker);
    }
  }

  @ServerlessBenchmark(value = "903.storage-echo", language = "nodejs")
  static class NodeStorageEcho {
    @Test
    @Warm(repetitions = 3)
    void warm(Measurements m, ObjectStorage storage, NoSqlStorage nosql, FunctionInvoker invoker) {
      record(m, storage, nosql, invoker);
    }
  }

  static void record(Measurements m, ObjectStorage storage, NoSqlStorage nosql, FunctionInvoker invoker) {
    SEEN.put("measurements", m);
    String bucket = invoker.input().path("bucket").asText();
    String output = invoker.input().path("output").asText();
    SEEN.put("bucket", bucket);
    SEEN.put("benchmarksBucket", storage.benchmarksBucket());
    SEEN.put("outputs", storage.list(bucket, output + "/"));
    SEEN.put("firstOutput", new String(storage.download(bucket, storage.list(bucket, output + "/").get(0)),
        StandardCharsets.UTF_8));
    String table = invoker.tableName("items");
    SEEN.put("rows", nosql.query(table, "item_id", "i1"));
  }

  @ParameterizedTest
  @ValueSource(classes = {PythonStorageEcho.class, NodeStorageEcho.class})
  void functionsReadAndWriteTheDataTheTestSees(Class<?> testClass) {
    var events = ExtensionTestKit.run(testClass, results);
    events.assertStatistics(s -> s.failed(0));

    Measurements m = (Measurements) SEEN.get("measurements");
    assertThat(m.invocations()).hasSize(3).noneMatch(Invocation::failed);
    assertThat(m.invocations().get(0).output().path("seeded").asText()).isEqualTo("seeded");
    if (testClass == PythonStorageEcho.class) { // SeBS-Flow's additions to the Python module
      var out = m.invocations().get(0).output();
      assertThat(out.path("listed")).hasSize(1);
      assertThat(out.path("head").asText()).isEqualTo("hello");
      assertThat(out.path("fixed").asText()).endsWith("/fixed-name");
    }
    assertThat(SEEN.get("bucket")).isEqualTo(SEEN.get("benchmarksBucket"));
    @SuppressWarnings("unchecked")
    List<String> outputs = (List<String>) SEEN.get("outputs");
    assertThat(outputs).hasSizeGreaterThanOrEqualTo(4); // warm-up + 3 measured, each a unique key
    assertThat(SEEN.get("firstOutput")).isEqualTo("HELLO STORAGE ");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows = (List<Map<String, Object>>) SEEN.get("rows");
    assertThat(rows).extracting(r -> r.get("version")).containsExactly("v1", "v2");
  }

  @Test
  void storageIsInjectableWithoutABenchmark() {
    var events = ExtensionTestKit.run(StorageOnly.class, results);
    events.assertStatistics(s -> s.failed(0).succeeded(3)); // engine, class, test
  }

  @io.sebs.junit.Platform("local")
  static class StorageOnly {
    @Test
    void roundTrip(ObjectStorage storage) {
      storage.createBucket("plain-test");
      storage.upload("plain-test", "k", new byte[] {42});
      assertThat(storage.download("plain-test", "k")).containsExactly(42);
    }
  }
}
