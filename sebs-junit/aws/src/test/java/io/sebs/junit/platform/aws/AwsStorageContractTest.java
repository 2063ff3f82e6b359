package io.sebs.junit.platform.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.Invocation;
import io.sebs.junit.NoSqlStorage;
import io.sebs.junit.ObjectStorage;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.PreparedFunction;
import io.sebs.junit.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3 and DynamoDB on the aws platform, against real S3- and DynamoDB-API servers on loopback (S3Proxy and
 * dynalite, as the local platform runs them) and the Lambda stand-in ({@link LambdaApiStub}). Everything is
 * reached through the AWS SDK's standard configuration only: {@code aws.endpointUrl} (global) sends Lambda
 * and IAM to the stub, the service-specific {@code aws.endpointUrlS3} and {@code aws.endpointUrlDynamoDb}
 * take precedence for S3 and DynamoDB, and the default chain's credentials sign every request (S3Proxy
 * checks them). The stub runs the function's real handler with the variables Lambda would give it
 * (the "role's" keys, region, function name), so the function-side modules are exercised too.
 */
class AwsStorageContractTest {

  static final String KEY = "AKIDSTORAGE";
  static final String SECRET = "storage-secret";

  @TempDir
  Path results;

  @RegisterExtension
  static final AwsStandIns aws = AwsStandIns.stub(KEY, SECRET).withS3().withDynamoDb().withRoleCredentials();

  private BenchmarkRun run() {
    return new BenchmarkRun(Fixtures.config(results, SebsConfig.PLATFORM, "aws", AwsSettings.REGION, "us-east-1"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "nodejs"})
  void aStorageBenchmarkReadsAndWritesTheRunsBucketAndTableThroughTheSdkOverrides(String language) {
    try (BenchmarkRun run = run()) {
    PreparedFunction function = run.prepare(run.spec("903.storage-echo", language, "", "test", 256, 30));
      ObjectStorage objects = run.platform().storage().objectStorage();
      NoSqlStorage nosql = run.platform().storage().noSqlStorage();

      // the run's bucket, named for the run, holds the uploaded input
      String bucket = function.invoker().input().path("bucket").asText();
      assertThat(bucket).isEqualTo("sebs-" + run.runId()).isEqualTo(objects.benchmarksBucket());
      String input = function.invoker().input().path("input").asText();
      assertThat(objects.list(bucket, input + "/")).containsExactly(input + "/hello.txt");

      // the function is configured with the override endpoints and the table names, never with credentials
      // or a region (Lambda reserves those: the stub refuses them as Lambda does)
      JsonNode variables = aws.stub().requestsTo("POST", "/2015-03-31/functions").stream()
          .map(LambdaApiStub.Request::json)
          .filter(b -> b.path("FunctionName").asText().equals(function.deployed().name()))
          .reduce((a, b) -> b).orElseThrow().path("Environment").path("Variables");
      assertThat(variables.path("SEBS_STORAGE_ENDPOINT").asText()).isEqualTo(aws.s3().endpoint().toString());
      assertThat(variables.path("SEBS_NOSQL_ENDPOINT").asText()).isEqualTo(aws.dynamoDb().endpoint().toString());
      assertThat(variables.path("SEBS_NOSQL_TABLES").asText()).contains("\"items\":\"sebs-" + run.runId() + "-");
      assertThat(variables.has("AWS_ACCESS_KEY_ID")).isFalse();
      assertThat(variables.has("AWS_REGION")).isFalse();

      Invocation first = function.invoker().invoke();
      Invocation second = function.invoker().invoke();
      assertThat(first.failed()).as("%s", first).isFalse();
      assertThat(second.failed()).as("%s", second).isFalse();
      assertThat(first.output().path("seeded").asText()).isEqualTo("seeded");
      assertThat(first.output().path("length").asInt()).isEqualTo("hello storage ".length());

      // what the function wrote is what the test sees through the platform's storage
      String output = function.invoker().input().path("output").asText();
      List<String> outputs = objects.list(bucket, output + "/");
      assertThat(outputs).hasSize(2);
      assertThat(new String(objects.download(bucket, outputs.get(0)), StandardCharsets.UTF_8))
          .isEqualTo("HELLO STORAGE ");
      String table = function.invoker().tableName("items");
      assertThat(table).startsWith("sebs-" + run.runId() + "-");
      List<Map<String, Object>> rows = nosql.query(table, "item_id", "i1");
      assertThat(rows).extracting(r -> r.get("version")).containsExactlyInAnyOrder("v1", "v2");
      assertThat(rows).filteredOn(r -> "v2".equals(r.get("version"))).extracting(r -> r.get("key"))
          .containsAnyElementsOf(outputs);
    }
  }

  @Test
  void theExecutionRoleMayUseOnlySebsBucketsAndTables() {
    try (BenchmarkRun run = run()) {
    run.prepare(run.spec("901.echo", "python", "", "test", 128, 10));
    }
    String policy = aws.stub().rolePolicies().get(ExecutionRole.STORAGE_POLICY_NAME);
    assertThat(policy).contains("\"arn:aws:s3:::sebs-*\"", "\"arn:aws:s3:::sebs-*/*\"",
        "\"arn:aws:dynamodb:*:*:table/sebs-*\"").doesNotContain("\"Resource\":\"*\"", "\"Resource\":[\"*\"]");
  }

  @Test
  void theCleanupListsAndDeletesTheRunsFunctionBucketAndTables() {
    String runId;
    try (BenchmarkRun run = run()) {
    runId = run.runId();
      run.prepare(run.spec("903.storage-echo", "python", "", "test", 128, 30)).invoker().invoke();
    }
    try (AwsClients clients = AwsClients.create(AwsSettings.from(Fixtures.config(results, AwsSettings.REGION,
            "us-east-1")));
        S3Client s3 = S3Client.builder().region(Region.US_EAST_1).forcePathStyle(true)
            .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        DynamoDbClient dynamo = DynamoDbClient.builder().region(Region.US_EAST_1)
            .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
    // a bucket of another run and one not named like a run are left alone
      s3.createBucket(b -> b.bucket("sebs-20000101-000000-abcdef"));
      s3.createBucket(b -> b.bucket("someone-elses-bucket"));
      AwsResources resources = new AwsResources(clients.lambda(), s3, dynamo);

      List<AwsResources.Resource> ofRun = resources.list(runId);
      assertThat(ofRun).extracting(AwsResources.Resource::kind, AwsResources.Resource::name).containsExactly(
          org.assertj.core.groups.Tuple.tuple(AwsResources.Kind.FUNCTION, "sebs-903-storage-echo-python-128"),
          org.assertj.core.groups.Tuple.tuple(AwsResources.Kind.BUCKET, "sebs-" + runId),
          org.assertj.core.groups.Tuple.tuple(AwsResources.Kind.TABLE, "sebs-" + runId + "-903-storage-echo-items"));
      assertThat(resources.list(null)).extracting(AwsResources.Resource::name)
          .contains("sebs-20000101-000000-abcdef").doesNotContain("someone-elses-bucket");

      assertThat(resources.delete(runId)).hasSize(3);
      assertThat(resources.list(runId)).isEmpty();
      assertThat(s3.listBuckets().buckets()).extracting(b -> b.name())
          .doesNotContain("sebs-" + runId).contains("sebs-20000101-000000-abcdef", "someone-elses-bucket");
      assertThat(dynamo.listTables().tableNames()).noneMatch(t -> t.startsWith("sebs-" + runId));
    }
  }

  @Test
  void aBucketNameThatS3CannotTakeIsAnErrorNamingTheRule() {
    assertThatThrownBy(() -> AwsStorage.bucketName("Run_" + "x".repeat(60)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid S3 bucket name")
        .hasMessageContaining("at most 58 characters");
    assertThat(AwsStorage.bucketName("20261127-111500-0a1b2c")).isEqualTo("sebs-20261127-111500-0a1b2c");
  }
}
