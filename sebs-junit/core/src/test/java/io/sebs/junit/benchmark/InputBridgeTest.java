package io.sebs.junit.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.benchmark.InputBridge.GeneratedInput;
import io.sebs.junit.benchmark.InputBridge.Validation;
import io.sebs.junit.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The input bridge runs a benchmark's SeBS input.py with the real python3. */
class InputBridgeTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final BenchmarkCatalog FIXTURES = new BenchmarkCatalog(Fixtures.benchmarksDir());

  @TempDir
  static Path work;

  static InputBridge bridge;

  @BeforeAll
  static void unpackTheBridge() {
    bridge = new InputBridge(work.resolve("bridge"), "python3");
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text.replace('\'', '"'));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** A throwaway benchmark folder with this input.py (none when null). */
  private static Benchmark throwaway(Path root, String id, String inputPy) throws IOException {
    Path dir = Files.createDirectories(root.resolve(id));
    Files.writeString(dir.resolve("config.json"), "{\"languages\": [\"python\"]}");
    Files.createDirectories(dir.resolve("python"));
    if (inputPy != null) {
      Files.writeString(dir.resolve("input.py"), inputPy);
    }
    return new BenchmarkCatalog(root).find(id);
  }

  @Test
  void theBridgeScriptIsUnpackedIntoTheWorkFolder() {
    assertThat(work.resolve("bridge").resolve("input_bridge.py")).isRegularFile();
  }

  @Nested
  class Generate {

    @Test
    void returnsTheFixturesInputForTheTestSize() {
      GeneratedInput generated = bridge.generate(FIXTURES.find("901.echo"), "test", Optional.empty());

      assertThat(generated.input()).isEqualTo(json("{'message': 'hello', 'repeat': 1}"));
      assertThat(generated.uploads()).isEmpty();
      assertThat(generated.inputBuckets()).isZero();
      assertThat(generated.outputBuckets()).isZero();
      assertThat(generated.needsStorage()).isFalse();
    }

    @Test
    void returnsTheFixturesInputForTheLargeSize() {
      GeneratedInput generated = bridge.generate(FIXTURES.find("901.echo"), "large", Optional.empty());

      assertThat(generated.input()).isEqualTo(json("{'message': 'hello', 'repeat': 100, 'corrupt_output': true}"));
    }

    @Test
    void anUnknownSizeFailsWithTheExitCodeAndTheSize() {
      assertThatThrownBy(() -> bridge.generate(FIXTURES.find("901.echo"), "huge", Optional.empty()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("Input generation for 901.echo (size huge) failed (exit code 2 from '")
          .hasMessageContaining("generate_input(size='huge')")
          .hasMessageContaining("ValueError: unknown size 'huge'")
          .hasMessageContaining("(is 'huge' a size this benchmark knows?)");
    }

    @Test
    void aBenchmarkWithoutInputPyFailsNamingIt(@TempDir Path root) throws IOException {
      Benchmark noInput = throwaway(root, "990.no-input", null);

      assertThatThrownBy(() -> bridge.generate(noInput, "test", Optional.empty()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Benchmark 990.no-input has no input.py in " + noInput.directory()
              + ": add one with generate_input(...) as in SeBS");
    }

    @Test
    void anInputPyWithoutGenerateInputFailsNamingTheFunction(@TempDir Path root) throws IOException {
      Benchmark b = throwaway(root, "991.no-generate", "X = 1\n");

      assertThatThrownBy(() -> bridge.generate(b, "test", Optional.empty()))
          .hasMessageContaining("exit code 2")
          .hasMessageContaining("defines no generate_input(...)");
    }

    @Test
    void aNonDictResultFailsSayingWhatCameBack(@TempDir Path root) throws IOException {
      Benchmark b = throwaway(root, "992.list", """
          def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths, upload_func, nosql_func):
              return [1, 2]
          """);

      assertThatThrownBy(() -> bridge.generate(b, "test", Optional.empty()))
          .hasMessageContaining("returned list instead of a dict");
    }

    @Test
    void printsFromInputPyDoNotSpoilTheAnswer(@TempDir Path root) throws IOException {
      Benchmark b = throwaway(root, "993.chatty", """
          print("hello from module level")
          def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths, upload_func, nosql_func):
              print("{not json")
              return {"size": size}
          """);

      assertThat(bridge.generate(b, "small", Optional.empty()).input()).isEqualTo(json("{'size': 'small'}"));
    }

    @Test
    void uploadsBucketsAndTheDataDirArePassedThrough(@TempDir Path root) throws IOException {
      Path data = Files.createDirectories(root.resolve("data"));
      Files.writeString(data.resolve("graph.txt"), "1 2");
      Benchmark b = throwaway(root, "994.storage", """
          import os
          def buckets_count():
              return (1, 2)
          def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths, upload_func, nosql_func):
              upload_func(0, "graph.txt", os.path.join(data_dir, "graph.txt"))
              return {"bucket": benchmarks_bucket, "in": input_paths, "out": output_paths, "data": data_dir}
          """);

      GeneratedInput generated = bridge.generate(b, "test", Optional.of(data));

      assertThat(generated.bucket()).isEqualTo("sebs-benchmarks");
      assertThat(generated.uploads()).as("object keys include the input prefix")
          .containsExactly(new InputBridge.Upload(0, "994.storage-0-input/graph.txt", data.resolve("graph.txt")));
      assertThat(generated.inputBuckets()).isEqualTo(1);
      assertThat(generated.outputBuckets()).isEqualTo(2);
      assertThat(generated.needsStorage()).isTrue();
      assertThat(generated.input()).isEqualTo(json("""
          {'bucket': 'sebs-benchmarks', 'in': ['994.storage-0-input'],
           'out': ['994.storage-0-output', '994.storage-1-output'], 'data': '%s'}""".formatted(data)));
    }
  }

  @Nested
  class Validate {

    private final Benchmark echo = FIXTURES.find("901.echo");
    private final JsonNode testInput = json("{'message': 'hello', 'repeat': 1}");

    @Test
    void returnsAVerdictPerOutputInOrder() {
      Optional<List<Validation>> verdicts = bridge.validate(echo, Language.PYTHON, testInput, List.of(
          json("{'echo': {'message': 'hello', 'repeat': 1}}"),
          json("{'echo': {'message': 'bye'}}"),
          json("{'echo': {'message': 'hello', 'repeat': 1}, 'pid': 7}")));

      assertThat(verdicts).hasValueSatisfying(list -> assertThat(list).containsExactly(
          new Validation(true, null),
          new Validation(false, "validate_output returned False"),
          new Validation(true, null)));
    }

    @Test
    void theLargeInputMakesEveryOutputInvalid() {
      JsonNode large = bridge.generate(echo, "large", Optional.empty()).input();

      assertThat(bridge.validate(echo, Language.PYTHON, large, List.of(json("{'echo': " + large + "}"))))
          .contains(List.of(new Validation(false, "validate_output returned False")));
    }

    @Test
    void noOutputsGiveNoVerdicts() {
      assertThat(bridge.validate(echo, Language.NODEJS, testInput, List.of())).contains(List.of());
    }

    @Test
    void anInputPyWithoutValidateOutputGivesEmpty() {
      assertThat(bridge.validate(FIXTURES.find("902.python-only"), Language.PYTHON, json("{}"),
          List.of(json("{'anything': 1}")))).isEmpty();
    }

    @Test
    void aBenchmarkWithoutInputPyGivesEmpty(@TempDir Path root) throws IOException {
      assertThat(bridge.validate(throwaway(root, "990.no-input", null), Language.PYTHON, json("{}"),
          List.of(json("{}")))).isEmpty();
    }

    @Test
    void aRaisingValidatorMakesThatOutputInvalidWithTheException(@TempDir Path root) throws IOException {
      Benchmark b = throwaway(root, "995.strict", """
          def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths, upload_func, nosql_func):
              return {}
          def validate_output(input_config, output, language):
              if output["n"] < 0:
                  return (False, "negative n for " + language)
              return output["n"] > 0
          """);

      assertThat(bridge.validate(b, Language.PYTHON, json("{}"), List.of(
          json("{'n': 1}"), json("{'n': 0}"), json("{'n': -1}"), json("{}"))))
          .contains(List.of(
              new Validation(true, null),
              new Validation(false, "validate_output returned False"),
              new Validation(false, "negative n for python"),
              new Validation(false, "KeyError: 'n'")));
    }
  }
}
