package io.sebs.junit.platform.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.WorkflowRun;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.platform.tck.WorkflowChecks;
import io.sebs.junit.run.PreparedFunction;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Workflows on the aws platform against local stand-ins of Lambda/IAM, DynamoDB (dynalite) and Step
 * Functions ({@link StepFunctionsStub}, which really executes the state machine and invokes the functions
 * through the Lambda stand-in), reached only through the SDK's endpoint overrides: fixture
 * 920.flow-all-states gives the same output and function records as on the local engine
 * (WorkflowExtensionTest), with the requests a real account would get.
 */
class AwsWorkflowContractTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path results;

  @RegisterExtension
  static final AwsStandIns aws =
      AwsStandIns.stub("AKIDSTUB", "stub-secret").withDynamoDb().withRoleCredentials().withStepFunctions();

  private BenchmarkRun run(String... settings) {
    List<String> keyValues = new ArrayList<>(List.of(SebsConfig.PLATFORM, "aws", AwsSettings.REGION, "us-east-1"));
    keyValues.addAll(List.of(settings));
    return new BenchmarkRun(Fixtures.config(results, keyValues.toArray(String[]::new)));
  }

  private static WorkflowRun runOnce(PreparedFunction workflow, Object input) {
    return (WorkflowRun) (input == null ? workflow.invoker().invoke() : workflow.invoker().invoke(input));
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "nodejs"})
  void everyStateTypeFollowsSebsFlowsDataFlowOnStepFunctions(String language) throws Exception {
    String table;
    try (BenchmarkRun run = run()) {
      PreparedFunction workflow = run.prepare(run.spec("920.flow-all-states", language, "", "test", 128, 30));
      WorkflowRun r = runOnce(workflow, null);
      table = "sebs-" + run.runId() + "-workflow-records";

      WorkflowChecks.allStatesFirstRun(r, language);

      // the requests: the state machine runs as the Step Functions role, with the transcribed definition
      String name = workflow.deployed().name() + "-express";
      StepFunctionsStub.Request create = aws.stepFunctions().requests("CreateStateMachine").stream()
          .filter(c -> c.body().path("name").asText().equals(name)).findFirst().orElseThrow();
      assertThat(create.body().path("roleArn").asText())
          .isEqualTo("arn:aws:iam::123456789012:role/sebs-junit-step-functions");
      assertThat(create.body().path("type").asText()).isEqualTo("EXPRESS");
      // tagged like the functions (with the run that created it: another test's run may have)
      assertThat(create.body().path("tags").toString()).contains("{\"key\":\"sebs-junit\",\"value\":\"true\"}")
          .contains("{\"key\":\"sebs-junit-run\",\"value\":\"");
      JsonNode definition = JSON.readTree(create.body().path("definition").asText());
      assertThat(definition.path("StartAt").asText()).isEqualTo("start");
      assertThat(definition.path("TimeoutSeconds").asInt()).isEqualTo(300);
      assertThat(definition.path("States").path("start").path("Resource").asText())
          .isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:" + workflow.deployed().name().replace(
              "920-flow-all-states", "920-flow-all-states-start"));
      assertThat(create.headers().get("authorization")).contains("/us-east-1/states/aws4_request");
      StepFunctionsStub.Request start = aws.stepFunctions().requests("StartSyncExecution").stream()
          .filter(s -> s.body().path("name").asText().equals(r.requestId())).findFirst().orElseThrow();
      assertThat(JSON.readTree(start.body().path("input").asText()))
          .isEqualTo(JSON.readTree("{\"payload\":{\"n\":3},\"request_id\":\"" + r.requestId() + "\"}"));
      // the role: trusts Step Functions, may invoke the sebs-* functions
      assertThat(aws.stub().roleTrustPolicy("sebs-junit-step-functions")).hasValueSatisfying(
          trust -> assertThat(trust).contains("states.amazonaws.com"));
      assertThat(aws.stub().rolePolicies().get("sebs-junit-invoke-functions")).contains("lambda:InvokeFunction")
          .contains("function:sebs-*");
      // each workflow function knows the run's records table
      for (String function : List.of("start", "inc", "square", "total", "scale", "check", "fail_when", "recover")) {
        String functionName = workflow.deployed().name().replace("920-flow-all-states",
            "920-flow-all-states-" + function.replace('_', '-'));
        assertThat(aws.stub().functions.get(functionName).path("Environment").path("Variables")
            .path("SEBS_WORKFLOW_RECORDS").asText()).as(functionName).isEqualTo(table);
      }
    }
    try (DynamoDbClient dynamo = dynamo()) { // DynamoDB deletes tables asynchronously
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (dynamo.listTables().tableNames().contains(table) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(dynamo.listTables().tableNames()).as("the run's records table is deleted at close")
          .doesNotContain(table);
    }
  }

  @Test
  void anUnhandledFunctionErrorFailsTheRunNamingFunctionAndState() {
    try (BenchmarkRun run = run()) {
      PreparedFunction workflow = run.prepare(run.spec("920.flow-all-states", "python", "", "test", 128, 30));
      WorkflowChecks.allStatesUnhandledError(runOnce(workflow, Map.of("n", 2, "boom", true)));
    }
  }

  @Test
  void standardStateMachinesArePolledToTheirEnd() {
    try (BenchmarkRun run = run(AwsSettings.WORKFLOW_TYPE, "standard")) {
      PreparedFunction workflow = run.prepare(run.spec("920.flow-all-states", "python", "", "test", 128, 30));
      int before = aws.stepFunctions().requests("DescribeExecution").size();
      WorkflowRun r = runOnce(workflow, null);
      assertThat(r.failure()).isEmpty();
      assertThat(r.output().path("total").asInt()).isEqualTo(14);
      assertThat(r.functions()).hasSize(15);
      assertThat(aws.stepFunctions().requests("StartExecution")).anySatisfy(s -> assertThat(s.body().path("name")
          .asText()).isEqualTo(r.requestId()));
      assertThat(aws.stepFunctions().requests("DescribeExecution").size()).isGreaterThan(before);
      assertThat(aws.stepFunctions().machines().values()).anySatisfy(m -> {
        assertThat(m.path("name").asText()).isEqualTo(workflow.deployed().name() + "-standard");
        assertThat(m.path("type").asText()).isEqualTo("STANDARD");
      });
    }
  }

  @Test
  void aChangedDefinitionUpdatesTheStateMachineAndTheCleanUpRemovesIt() throws Exception {
    String runId;
    try (BenchmarkRun run = run()) {
      runId = run.runId();
      PreparedFunction workflow = run.prepare(run.spec("920.flow-all-states", "python", "", "test", 128, 30));
      String arn = "arn:aws:states:us-east-1:123456789012:stateMachine:" + workflow.deployed().name() + "-express";
      // someone changes the deployed machine: the next deployment puts the transcription back
      try (SfnClient sfn = AwsClients.sfn(Region.US_EAST_1, Duration.ofSeconds(30), true)) {
        sfn.updateStateMachine(u -> u.stateMachineArn(arn).definition(
            "{\"StartAt\":\"x\",\"States\":{\"x\":{\"Type\":\"Succeed\"}}}"));
      }
    }
    try (BenchmarkRun again = run()) {
      PreparedFunction workflow = again.prepare(again.spec("920.flow-all-states", "python", "", "test", 128, 30));
      String arn = "arn:aws:states:us-east-1:123456789012:stateMachine:" + workflow.deployed().name() + "-express";
      assertThat(aws.stepFunctions().requests("UpdateStateMachine")).last()
          .satisfies(u -> assertThat(u.body().path("stateMachineArn").asText()).isEqualTo(arn));
      assertThat(JSON.readTree(aws.stepFunctions().machines().get(arn).path("definition").asText())
          .path("StartAt").asText()).isEqualTo("start");
    }
    try (AwsClients clients = AwsClients.create(AwsSettings.from(Fixtures.config(results, AwsSettings.REGION,
            "us-east-1")));
        SfnClient sfn = AwsClients.sfn(clients.region(), Duration.ofSeconds(30), true)) {
      AwsResources resources = new AwsResources(clients.lambda(), null, null, sfn);
      assertThat(resources.list(runId)).anySatisfy(r -> assertThat(r.kind()).isEqualTo(AwsResources.Kind.STATE_MACHINE));
      resources.delete(null);
      assertThat(resources.list(null)).isEmpty();
      assertThat(aws.stepFunctions().machines()).isEmpty();
    }
  }

  private static DynamoDbClient dynamo() {
    return DynamoDbClient.builder().region(Region.US_EAST_1).endpointOverride(aws.dynamoDb().endpoint())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSTUB", "stub-secret")))
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }
}
