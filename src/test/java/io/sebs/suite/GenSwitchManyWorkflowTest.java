package io.sebs.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.FunctionRecord;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.WorkflowInvoker;
import io.sebs.junit.WorkflowRun;
import org.junit.jupiter.api.Test;

/** 615.switch-greetings, size small: twelve people take the other branch of the switch. */
@ServerlessBenchmark(value = "615.switch-greetings", language = "python", size = "small")
class GenSwitchManyWorkflowTest {
  @Test
  void twelvePeopleTakeTheManyBranch(WorkflowInvoker workflow) {
    WorkflowRun run = workflow.invoke();
    assertThat(run.failure()).isEmpty();
    assertThat(run.output().path("branch").asText()).isEqualTo("many");
    assertThat(run.output().path("greeted").asInt()).isEqualTo(12);
    assertThat(run.output().path("greetings").get(0).asText()).startsWith("Hello, ");
    assertThat(run.functions()).extracting(FunctionRecord::name).contains("many_people").doesNotContain("few_people");
  }
}
