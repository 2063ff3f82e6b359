package io.sebs.suite;

import static io.sebs.junit.SebsAssertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.BenchmarkInput;
import io.sebs.junit.ColdStart;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.ObjectStorage;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * 411.image-recognition in Python: a ResNet-50 (PyTorch, CPU) classifies a synthetic 320 x 240 picture
 * (size test). Pretrained weights cannot be downloaded here, so the class runs only when sebs.data.dir holds
 * {@code 400.inference/411.image-recognition/model/resnet50-*.pth} (SeBS's benchmarks-data layout), and is
 * skipped with that reason otherwise, before torch would be installed into the function's environment.
 */
@ExtendWith(ImageRecognitionTest.NeedsResNetWeights.class)
@ServerlessBenchmark(value = "411.image-recognition", language = "python")
class ImageRecognitionTest {

  @Test
  @Warm(repetitions = 5, warmup = 1)
  void warmInferenceReusesTheLoadedModel(Measurements m) {
    assertThat(m).hasNoFailures().hasNoMisclassified();
    assertThat(m).clientTime().median().isLessThan(Calibrated.budget(Duration.ofSeconds(2)));
  }

  @Test
  @ColdStart(repetitions = 3)
  void coldStartsImportTorchAndLoadTheWeights(Measurements m) {
    assertThat(m).hasNoFailures().coldStartRate().isEqualTo(1.0);
    assertThat(m).clientTime().median().isLessThan(ColdBudget.of(m, Duration.ofSeconds(20)));
  }

  @Test
  void namesOneOfTheImageNetClasses(FunctionInvoker invoker, ObjectStorage storage, @BenchmarkInput JsonNode input) {
    Invocation first = invoker.invoke();
    Invocation second = invoker.invoke();
    Assertions.assertThat(first.failed()).as("%s", first).isFalse();
    Assertions.assertThat(second.failed()).as("%s", second).isFalse();

    Assertions.assertThat(first.output().path("idx").asInt()).isBetween(0, 999);
    Assertions.assertThat(first.output().path("class").asText()).isNotBlank();
    Assertions.assertThat(second.output()).as("same image, same weights, same answer").isEqualTo(first.output());
    Assertions.assertThat(second.measurement().path("model_download_time").asDouble())
        .as("a warm instance keeps the model").isZero();

    String modelKey = input.path("bucket").path("model").asText() + "/" + input.path("object").path("model").asText();
    String imageKey = input.path("bucket").path("input").asText() + "/" + input.path("object").path("input").asText();
    Assertions.assertThat(storage.list(storage.benchmarksBucket(), input.path("bucket").path("model").asText()))
        .contains(modelKey);
    Assertions.assertThat(storage.list(storage.benchmarksBucket(), input.path("bucket").path("input").asText()))
        .contains(imageKey);
  }

  /**
   * Disables the class unless sebs.data.dir holds ResNet-50 weights. Evaluated before the sebs extension
   * prepares the function, so nothing is built or generated when the weights are missing.
   */
  static final class NeedsResNetWeights implements ExecutionCondition {

    static final String REASON = "411.image-recognition needs pretrained ResNet-50 weights: put resnet50-*.pth into "
        + "<data_dir>/400.inference/411.image-recognition/model (sebs.data.dir); none can be downloaded on this machine";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      Optional<String> dataDir = context.getConfigurationParameter("sebs.data.dir").filter(s -> !s.isBlank());
      if (dataDir.isEmpty()) {
        return ConditionEvaluationResult.disabled(REASON + " (sebs.data.dir is not set)");
      }
      Path root = Path.of(dataDir.get());
      // the benchmark's folder where the framework looks for it: <data>/<group>/<id> or <data>/<id>
      for (Path models : List.of(root.resolve("400.inference/411.image-recognition/model"),
          root.resolve("411.image-recognition/model"))) {
        Optional<Path> weights = weights(models);
        if (weights.isPresent()) {
          return ConditionEvaluationResult.enabled("ResNet-50 weights: " + weights.get());
        }
      }
      return ConditionEvaluationResult.disabled(REASON.replace("<data_dir>", root.toString()) + " (none found)");
    }

    private static Optional<Path> weights(Path models) {
      if (!Files.isDirectory(models)) {
        return Optional.empty();
      }
      try (DirectoryStream<Path> files = Files.newDirectoryStream(models, "resnet50-*.pth")) {
        for (Path file : files) {
          if (Files.isRegularFile(file)) {
            return Optional.of(file);
          }
        }
        return Optional.empty();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
