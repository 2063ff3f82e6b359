package io.sebs.junit.platform.azure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the orchestrator app's answers (see sebs_workflow.js) become a run's output, records and failure. */
class AzureWorkflowOrchestratorTest {

  private static final String RECORD = "{\"func\":\"gen\",\"state\":\"gen\",\"request_id\":\"inv-1\","
      + "\"begin\":\"1700000000.000100\",\"end\":\"1700000000.250100\",\"is_cold\":true,\"container_id\":\"c1\"}";

  @Test
  void aCompletedOrchestrationGivesTheWorkflowsOutputAndItsRecords() {
    AzureWorkflowOrchestrator.Outcome o = AzureWorkflowOrchestrator.outcome(200, "{\"instanceId\":\"r1\","
        + "\"runtimeStatus\":\"Completed\",\"output\":{\"output\":{\"n\":3},\"last\":{\"n\":3},\"records\":[" + RECORD
        + "]}}", "wf");

    assertThat(o.failure()).isNull();
    assertThat(o.output().toString()).isEqualTo("{\"n\":3}");
    assertThat(o.entries()).singleElement().satisfies(e -> {
      assertThat(e.func()).isEqualTo("gen");
      assertThat(e.requestId()).isEqualTo("inv-1");
      assertThat(e.startMicros()).isEqualTo(1_700_000_000_000_100L);
      assertThat(e.endMicros() - e.startMicros()).isEqualTo(250_000);
      assertThat(e.isCold()).isTrue();
      assertThat(e.error()).isNull();
    });
  }

  @Test
  void aFunctionsFailureEndsTheRunWithTheOrchestratorsLineAndKeepsTheRecords() {
    AzureWorkflowOrchestrator.Outcome o = AzureWorkflowOrchestrator.outcome(200, "{\"instanceId\":\"r1\","
        + "\"runtimeStatus\":\"Completed\",\"output\":{\"error\":\"function gen (state gen) failed: ValueError: no\","
        + "\"records\":[" + RECORD.replace("}", ",\"error\":\"ValueError: no\"}") + "]}}", "wf");

    assertThat(o.failure()).isEqualTo("function gen (state gen) failed: ValueError: no");
    assertThat(o.output()).isNull();
    assertThat(o.entries()).singleElement().satisfies(e -> assertThat(e.error()).isEqualTo("ValueError: no"));
  }

  @Test
  void aFailedOrchestrationIsNamedWithDurablesOwnMessage() {
    AzureWorkflowOrchestrator.Outcome o = AzureWorkflowOrchestrator.outcome(200, "{\"instanceId\":\"r1\","
        + "\"runtimeStatus\":\"Failed\",\"output\":\"Orchestrator function 'sebs_orchestrator' failed: boom\"}", "wf");

    assertThat(o.failure()).isEqualTo("the Durable Functions orchestration r1 ended Failed: Orchestrator function"
        + " 'sebs_orchestrator' failed: boom");
  }

  @Test
  void anOrchestrationPastTheFrontEndsLimitIsReportedAsTerminated() {
    AzureWorkflowOrchestrator.Outcome o = AzureWorkflowOrchestrator.outcome(202, "{\"instanceId\":\"r1\","
        + "\"runtimeStatus\":\"Running\",\"error\":\"the orchestration did not end within 220 s\"}", "wf");

    assertThat(o.failure()).isEqualTo("the Durable Functions orchestration r1: the orchestration did not end within 220 s");
  }

  @Test
  void anAnswerThatIsNotTheStartersSaysWhatCameInstead() {
    assertThat(AzureWorkflowOrchestrator.outcome(401, "", "wf").failure())
        .isEqualTo("the orchestrator app wf answered HTTP 401: the orchestrator app's key was refused");
    assertThat(AzureWorkflowOrchestrator.outcome(503, "Function host is not running.", "wf").failure())
        .isEqualTo("the orchestrator app wf answered HTTP 503: Function host is not running.");
  }

  @Test
  void orchestratorAppsAndTaskHubsGetNamesAzureAccepts() {
    assertThat(AzureWorkflowOrchestrator.hubName("x-flow-abcdef")).matches("[A-Za-z][A-Za-z0-9]{2,44}");
    assertThat(AzureWorkflowOrchestrator.hubName("x-flow-abcdef")).isNotEqualTo(AzureWorkflowOrchestrator.hubName(
        "y-flow-abcdef"));
  }
}
