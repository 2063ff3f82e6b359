package io.sebs.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.FunctionRecord;
import io.sebs.junit.ObjectStorage;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.WorkflowInvoker;
import io.sebs.junit.WorkflowRun;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * 660.map-reduce: a word count whose intermediate data go through object storage (split, three mappers,
 * shuffle, two reducers). The counts must add up to the words input.py generated.
 */
@ServerlessBenchmark(value = "660.map-reduce", language = "python")
class MapReduceWorkflowTest {

  @Test
  void theReducersCountEveryGeneratedWordOnce(WorkflowInvoker workflow, ObjectStorage storage) {
    WorkflowRun run = workflow.invoke();

    assertThat(run.failure()).isEmpty();
    JsonNode out = run.output();
    List<JsonNode> partitions = StreamSupport.stream(out.path("list").spliterator(), false).toList();
    assertThat(partitions).extracting(p -> p.path("partition").asInt()).containsExactly(0, 1);
    assertThat(partitions.stream().mapToLong(p -> p.path("total").asLong()).sum())
        .isEqualTo(out.path("expected_total").asLong()).isEqualTo(2000);
    assertThat(partitions.stream().mapToLong(p -> p.path("words").asLong()).sum())
        .isEqualTo(out.path("expected_distinct").asLong());
    assertThat(run.functions()).extracting(FunctionRecord::name)
        .containsExactlyInAnyOrder("split", "map", "map", "map", "shuffle", "reduce", "reduce");

    String bucket = out.path("bucket").path("bucket").asText();
    List<String> results = new ArrayList<>();
    for (JsonNode p : partitions) {
      results.add(p.path("key").asText());
    }
    assertThat(storage.list(bucket, out.path("bucket").path("output").asText())).containsAll(results);
  }
}
