package io.sebs.suite;

import static io.sebs.junit.SebsAssertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.AdaptiveRepetitions;
import io.sebs.junit.Baseline;
import io.sebs.junit.BenchmarkInput;
import io.sebs.junit.ColdStart;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.ObjectStorage;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import java.io.IOException;
import java.time.Duration;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * 504.dna-visualisation in Python: downloads a FASTA file (10,000 seeded random bases at size test), turns
 * the sequence into squiggle coordinates and uploads them as JSON.
 */
@ServerlessBenchmark(value = "504.dna-visualisation", language = "python")
class DnaVisualisationTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  @Warm(repetitions = 30, warmup = 1)
  @AdaptiveRepetitions(relativeError = 0.10, minimum = 10)
  void warmTransformsStayFast(Measurements m, Baseline baseline) {
    assertThat(m).hasNoFailures().hasNoMisclassified();
    assertThat(m).clientTime().medianIsWithinBudget(Calibrated.budget(Duration.ofMillis(500)));
    RegressionCheck.clientTimeNotSlower(m, baseline);
  }

  @Test
  @ColdStart(repetitions = 3)
  void coldStartsCreateTheStorageClient(Measurements m) {
    assertThat(m).hasNoFailures().coldStartRate().isEqualTo(1.0);
    assertThat(m).clientTime().median().isLessThan(ColdBudget.of(m, Duration.ofSeconds(5)));
  }

  @Test
  void uploadsTheCoordinatesOfEveryBase(FunctionInvoker invoker, ObjectStorage storage,
      @BenchmarkInput JsonNode input) throws IOException {
    Invocation result = invoker.invoke();
    Assertions.assertThat(result.failed()).as("%s", result).isFalse();

    JsonNode output = result.output();
    String key = output.path("key").asText();
    String outputPrefix = input.path("bucket").path("output").asText();
    int length = output.path("length").asInt();
    Assertions.assertThat(length).isPositive(); // 10,000 bases of the generated sequence at size test
    Assertions.assertThat(storage.list(storage.benchmarksBucket(), outputPrefix + "/")).contains(key);

    JsonNode coordinates = JSON.readTree(storage.download(storage.benchmarksBucket(), key));
    Assertions.assertThat(coordinates.size()).isEqualTo(2);
    JsonNode xs = coordinates.get(0);
    JsonNode ys = coordinates.get(1);
    Assertions.assertThat(xs.size()).isEqualTo(2 * length + 1).isEqualTo(ys.size());
    Assertions.assertThat(xs.get(xs.size() - 1).asDouble()).isEqualTo(length);
    Assertions.assertThat(ys.get(0).asDouble()).isZero();
    Assertions.assertThat(ys.get(ys.size() - 1).asDouble()).isEqualTo(output.path("final_y").asDouble());
  }
}
