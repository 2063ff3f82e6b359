package io.sebs.junit.platform.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.Invocation;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.PreparedFunction;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Packages over Lambda's direct-upload limit go through the account's deployment bucket: uploaded once under
 * their code hash, then CreateFunction/UpdateFunctionCode name {@code S3Bucket}/{@code S3Key}. The limit is
 * lowered to one byte so a small fixture takes that path; the Lambda stand-in fetches the object from a real
 * S3-API server (S3Proxy) and runs the handler in it, so the package in the bucket is proven to be the
 * function's.
 */
class AwsLargePackageContractTest {

  static final String KEY = "AKIDLARGE";
  static final String SECRET = "large-secret";
  static final String CODE_BUCKET = "sebs-junit-code-123456789012-us-east-1";

  @TempDir
  Path results;

  static S3Client s3;

  @RegisterExtension
  static final AwsStandIns aws = AwsStandIns.stub(KEY, SECRET).withS3();

  @BeforeAll
  static void start() throws Exception {
    s3 = S3Client.builder().region(Region.US_EAST_1).forcePathStyle(true)
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    aws.stub().extras.codeFrom(s3);
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  private BenchmarkRun run() {
    return new BenchmarkRun(Fixtures.config(results, SebsConfig.PLATFORM, "aws", AwsSettings.REGION, "us-east-1"));
  }

  private static BenchmarkRun withLargePackages(BenchmarkRun run) {
    ((AwsPlatform) run.platform()).directUploadLimit(1);
    return run;
  }

  @Test
  void aPackageOverTheLimitIsCreatedFromTheDeploymentBucketAndRuns() {
    try (BenchmarkRun run = withLargePackages(run())) {
    PreparedFunction function = run.prepare(run.spec("901.echo", "python", "", "test", 256, 10));
      String name = function.deployed().name();

      JsonNode create = aws.stub().requestsTo("POST", "/2015-03-31/functions").stream().map(LambdaApiStub.Request::json)
          .filter(b -> b.path("FunctionName").asText().equals(name)).findFirst().orElseThrow();
      JsonNode code = create.path("Code");
      assertThat(code.has("ZipFile")).as("no inline zip").isFalse();
      assertThat(code.path("S3Bucket").asText()).isEqualTo(CODE_BUCKET);
      String key = code.path("S3Key").asText();
      assertThat(key).isEqualTo(name + "/" + function.deployed().codeHash() + "-x86_64.zip");
      // the stand-in took the code from S3, and Lambda's CodeSha256 is the zip's, as for a direct upload
      assertThat(aws.stub().extras.s3Fetches()).containsExactly(CODE_BUCKET + "/" + key);
      byte[] stored = s3.getObjectAsBytes(r -> r.bucket(CODE_BUCKET).key(key)).asByteArray();
      assertThat(LambdaPackage.sha256(stored)).isEqualTo(aws.stub().functions.get(name).path("CodeSha256").asText());

      Invocation answer = function.invoker().invoke(Map.of("large", "package"));
      assertThat(answer.failed()).as("%s", answer).isFalse();
      assertThat(answer.output().path("echo").path("large").asText()).isEqualTo("package");
    }
  }

  @Test
  void changedCodeIsUpdatedFromTheBucketWithoutUploadingAnUnchangedPackageAgain() {
    String name;
    String key;
    Instant uploaded;
    try (BenchmarkRun first = withLargePackages(run())) {
    PreparedFunction function = first.prepare(first.spec("901.echo", "nodejs", "", "test", 384, 10));
      name = function.deployed().name();
      key = name + "/" + function.deployed().codeHash() + "-x86_64.zip";
      uploaded = s3.headObject(r -> r.bucket(CODE_BUCKET).key(key)).lastModified();
    }
    // the function drifted from the package (e.g. code deployed by hand): the next run updates its code
    aws.stub().functions.get(name).put("CodeSha256", "drifted");
    int fetches = aws.stub().extras.s3Fetches().size();
    try (BenchmarkRun second = withLargePackages(run())) {
    PreparedFunction function = second.prepare(second.spec("901.echo", "nodejs", "", "test", 384, 10));
      List<LambdaApiStub.Request> updates = aws.stub().requestsTo("PUT", "/2015-03-31/functions/" + name + "/code");
      assertThat(updates).hasSize(1);
      assertThat(updates.get(0).json().path("S3Bucket").asText()).isEqualTo(CODE_BUCKET);
      assertThat(updates.get(0).json().path("S3Key").asText()).isEqualTo(key);
      assertThat(updates.get(0).json().has("ZipFile")).isFalse();
      assertThat(aws.stub().extras.s3Fetches()).hasSize(fetches + 1);
      assertThat(function.invoker().invoke(Map.of("n", 7)).output().path("echo").path("n").asInt()).isEqualTo(7);
    }
    // the same package under the same code hash was not uploaded a second time
    assertThat(s3.headObject(r -> r.bucket(CODE_BUCKET).key(key)).lastModified()).isEqualTo(uploaded);
  }

  @Test
  void theCleanupListsAndDeletesTheDeploymentBucketOnlyWhenNoRunIsGiven() {
    String runId;
    try (BenchmarkRun run = withLargePackages(run())) {
    runId = run.runId();
      run.prepare(run.spec("901.echo", "python", "", "test", 640, 10));
    }
    try (AwsClients clients = AwsClients.create(AwsSettings.from(Fixtures.config(results, AwsSettings.REGION,
        "us-east-1")))) {
    AwsResources resources = new AwsResources(clients.lambda(), s3, null);
      assertThat(resources.list(runId)).extracting(AwsResources.Resource::name).doesNotContain(CODE_BUCKET);
      assertThat(resources.list(null)).extracting(AwsResources.Resource::kind, AwsResources.Resource::name)
          .contains(org.assertj.core.groups.Tuple.tuple(AwsResources.Kind.BUCKET, CODE_BUCKET));
      resources.delete(null);
      assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).doesNotContain(CODE_BUCKET);
    }
  }

  @Test
  void theBucketNameIsTheAccountAndRegionOfTheRoleOrFunction() {
    assertThat(CodeBucket.accountOf("arn:aws:iam::123456789012:role/sebs-junit-lambda")).isEqualTo("123456789012");
    assertThat(CodeBucket.accountOf("arn:aws:lambda:eu-west-1:210987654321:function:f")).isEqualTo("210987654321");
    assertThat(CodeBucket.name("210987654321", Region.EU_WEST_1)).isEqualTo("sebs-junit-code-210987654321-eu-west-1")
        .matches(CodeBucket.NAME);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CodeBucket.accountOf("not-an-arn"))
        .hasMessageContaining("Cannot read the AWS account from the ARN 'not-an-arn'");
  }
}
