package io.sebs.junit.platform.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.Invocation;
import io.sebs.junit.ObjectStorage;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.PreparedFunction;
import io.sebs.junit.testing.Fixtures;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Object storage on cloudflare-local, as R2 is shared on Cloudflare: the function uses its Worker's R2 binding (SeBS's
 * storage interface, function/storage.js, over workerd's own binding client), the test the S3 API, and both see the
 * same objects. The fixture 950.r2-objects calls every method of the interface.
 */
class CloudflareLocalStorageTest {

  @TempDir
  Path results;

  private BenchmarkRun run;
  private PreparedFunction function;

  @BeforeEach
  void deploy() throws URISyntaxException {
    Path benchmarks = Path.of(getClass().getResource("/cloudflare-fixtures").toURI());
    run = new BenchmarkRun(Fixtures.config(results, "sebs.platform", CloudflareLocalPlatform.NAME,
        "sebs.benchmarks.dir", benchmarks.toString()));
    function = run.prepare(run.spec("950.r2-objects", "nodejs", "", "test", 0, 0));
  }

  @AfterEach
  void close() {
    run.close();
  }

  private Invocation invoke(String mode) {
    ObjectNode event = ((ObjectNode) function.input().input()).deepCopy();
    if (mode != null) {
      event.put("mode", mode);
    }
    return function.invoker().invoke(event);
  }

  @Test
  void whatTheTestUploadsTheFunctionReadsAndWhatItWritesTheTestReads() {
    Invocation invocation = invoke(null);

    assertThat(invocation.failed()).as("%s", invocation).isFalse();
    JsonNode out = invocation.output();
    assertThat(out.path("alpha").asText()).isEqualTo("alpha");
    assertThat(out.path("beta").asText()).as("downloadDirectory keeps the whole key").isEqualTo("beta");
    assertThat(out.path("streamed").asText()).isEqualTo("beta");
    ObjectStorage objects = run.platform().storage().objectStorage();
    String bucket = objects.benchmarksBucket();
    String output = function.input().input().path("output").asText();
    assertThat(out.path("uploaded").asText()).as("a unique key under the output prefix")
        .matches(java.util.regex.Pattern.quote(output) + "/up\\.[0-9a-f]{8}\\.txt");
    assertThat(new String(objects.download(bucket, out.path("uploaded").asText()), StandardCharsets.UTF_8))
        .isEqualTo("alpha+beta");
    assertThat(new String(objects.download(bucket, out.path("streamKey").asText()), StandardCharsets.UTF_8))
        .isEqualTo("streamed");
  }

  @Test
  void aMissingObjectFailsTheInvocationNamingKeyAndBucket() {
    Invocation invocation = invoke("missing");

    assertThat(invocation.failed()).isTrue();
    assertThat(invocation.failureReason()).get().asString().contains("no-such.txt", run.platform().storage().objectStorage().benchmarksBucket());
  }

  @Test
  void aBucketTheWorkerIsNotBoundToFailsNamingTheBoundOnes() {
    Invocation invocation = invoke("unbound");

    assertThat(invocation.failed()).isTrue();
    assertThat(invocation.failureReason()).get().asString().contains("some-other-bucket", "is not bound to this Worker",
        run.platform().storage().objectStorage().benchmarksBucket());
  }

  @Test
  void theWorkerGetsBindingsNotStorageEndpointsOrKeys() throws Exception {
    Path cache = run.config().cacheDir().resolve("cloudflare");
    String configs;
    try (Stream<Path> files = Files.walk(cache)) {
      configs = files.filter(f -> f.getFileName().toString().endsWith(".capnp"))
          .filter(f -> f.toString().contains("950"))
          .map(f -> {
            try {
              return Files.readString(f);
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          })
          .reduce("", String::concat);
    }

    assertThat(configs).contains("r2Bucket", "SEBS_R2_BUCKETS", R2BindingServer.BUCKET_HEADER)
        .doesNotContain("AWS_SECRET_ACCESS_KEY", "SEBS_STORAGE_ENDPOINT");
  }
}
