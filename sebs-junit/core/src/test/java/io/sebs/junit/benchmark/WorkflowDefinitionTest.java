package io.sebs.junit.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** definition.json is read strictly: every SeBS-Flow state type, and a precise error for each mistake. */
class WorkflowDefinitionTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readsEveryStateTypeOfTheFixture() {
    Path file = Fixtures.benchmarksDir().resolve("900.fixtures/920.flow-all-states/definition.json");
    WorkflowDefinition d = WorkflowDefinition.read(file, "920.flow-all-states");

    assertThat(d.root()).isEqualTo("start");
    assertThat(d.states().get("twice")).isEqualTo(new WorkflowDefinition.Repeat("twice", "inc", 2, "choose"));
    assertThat(d.states().get("risky")).isEqualTo(new WorkflowDefinition.Task("risky", "fail_when", null, "recover"));
    assertThat(d.states().get("choose")).isInstanceOfSatisfying(WorkflowDefinition.Switch.class, s -> {
      assertThat(s.cases()).extracting(WorkflowDefinition.Case::op).containsExactly("==", ">");
      assertThat(s.defaultNext()).isEqualTo("broken");
    });
    assertThat(d.states().get("fanout")).isInstanceOfSatisfying(WorkflowDefinition.Parallel.class, p ->
        assertThat(p.branches()).extracting(WorkflowDefinition::root).containsExactly("total", "scaled"));
    assertThat(d.states().get("audit")).isEqualTo(new WorkflowDefinition.Loop("audit", "check", "scaled", "risky"));
    assertThat(d.functionNames())
        .containsExactly("check", "fail_when", "inc", "recover", "scale", "square", "start", "total");
  }

  @Test
  void aMapKeepsItsCommonParamsInOrder() {
    WorkflowDefinition d = parse("{'root': 'm', 'states': {'m': {'type': 'map', 'array': 'a.b', 'root': 'f',"
        + " 'common_params': 'x, y.z', 'states': {'f': {'type': 'task', 'func_name': 'f'}}}}}");
    assertThat(d.states().get("m")).isInstanceOfSatisfying(WorkflowDefinition.MapState.class, m -> {
      assertThat(m.commonParams()).containsExactly("x", "y.z");
      assertThat(m.array()).isEqualTo("a.b");
      assertThat(m.body().root()).isEqualTo("f");
    });
  }

  @Test
  void mistakesAreNamedWithTheStateAndTheFix() {
    assertThatThrownBy(() -> parse("{'root': 'a', 'states': {'a': {'type': 'taks', 'func_name': 'f'}}}"))
        .isInstanceOf(BenchmarkConfigurationException.class)
        .hasMessageContaining("state 'a' has unknown type 'taks': SeBS-Flow's types are task, switch, map, loop, repeat and parallel");
    assertThatThrownBy(() -> parse("{'root': 'a', 'states': {'a': {'type': 'task', 'func_name': 'f', 'next': 'b'}}}"))
        .hasMessageContaining("state 'a' goes to 'b', which is not a state here; the states are [a]");
    assertThatThrownBy(() -> parse("{'root': 'x', 'states': {'a': {'type': 'task', 'func_name': 'f'}}}"))
        .hasMessageContaining("root 'x' is not a state; the states are [a]");
    assertThatThrownBy(() -> parse("{'root': 'a', 'states': {'a': {'type': 'task'}}}"))
        .hasMessageContaining("state 'a' needs \"func_name\" (a string)");
    assertThatThrownBy(() -> parse("{'root': 'a', 'states': {'a': {'type': 'repeat', 'func_name': 'f', 'count': 0}}}"))
        .hasMessageContaining("needs \"count\": a whole number of at least 1, got 0");
    assertThatThrownBy(() -> parse("{'root': 's', 'states': {'s': {'type': 'switch', 'cases': "
        + "[{'var': 'n', 'op': '!=', 'val': 1, 'next': 's'}], 'default': 's'}}}"))
        .hasMessageContaining("unknown operator '!=', use one of [<, <=, ==, >, >=]");
  }

  @Test
  void aMisspelledFieldIsAnErrorNotASilentEnd() {
    assertThatThrownBy(() -> parse("{'root': 'a', 'states': {'a': {'type': 'task', 'func_name': 'f', 'Next': 'b'},"
        + " 'b': {'type': 'task', 'func_name': 'g'}}}"))
        .hasMessageContaining("state 'a' (task) has an unknown field \"Next\"; a task state has [failure, func_name, next, type]");
    assertThatThrownBy(() -> parse("{'root': 'a', 'states': {'a': {'type': 'task', 'func_name': 'f', 'next': 3}}}"))
        .hasMessageContaining("state 'a': \"next\" must be a string, got 3");
  }

  @Test
  void twoParallelBranchesMayNotShareARootTheirResultsAreKeyedBy() {
    assertThatThrownBy(() -> parse("{'root': 'p', 'states': {'p': {'type': 'parallel', 'parallel_functions': ["
        + "{'root': 'x', 'states': {'x': {'type': 'task', 'func_name': 'f'}}},"
        + "{'root': 'x', 'states': {'x': {'type': 'task', 'func_name': 'g'}}}]}}}"))
        .hasMessageContaining("two branches start at 'x'");
  }

  private static WorkflowDefinition parse(String json) {
    try {
      JsonNode node = JSON.readTree(json.replace('\'', '"'));
      return WorkflowDefinition.parse(node, "test");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
