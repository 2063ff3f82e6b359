package io.sebs.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.FunctionRecord;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.WorkflowInvoker;
import io.sebs.junit.WorkflowRun;
import org.junit.jupiter.api.Test;

/** 615.switch-greetings: a switch on the number of people picks the branch; a map then greets each of them. */
@ServerlessBenchmark(value = "615.switch-greetings", language = "python")
class GenSwitchWorkflowTest {
  @Test
  void fourPeopleTakeTheFewBranch(WorkflowInvoker workflow) {
    WorkflowRun run = workflow.invoke();
    assertThat(run.failure()).isEmpty();
    JsonNode out = run.output();
    assertThat(out.path("branch").asText()).isEqualTo("few");
    assertThat(out.path("greeted").asInt()).isEqualTo(4);
    assertThat(out.path("greetings").get(0).asText()).isEqualTo("Welcome, Alice Novak!");
    assertThat(run.functions()).extracting(FunctionRecord::name)
        .containsExactlyInAnyOrder("get_people", "few_people", "greet", "greet", "greet", "greet", "summarize");
  }
}
