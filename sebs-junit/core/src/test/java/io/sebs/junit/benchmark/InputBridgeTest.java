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
      Optional<List<Validation>> verdicts = bridge.validate(echo, Language.PYTHON, Optional.empty(), testInput,
          List.of(
              json("{'result': {'echo': {'message': 'hello', 'repeat': 1}}}"),
              json("{'result': {'echo': {'message': 'bye'}}}"),
              json("{'result': {'echo': {'message': 'hello', 'repeat': 1}, 'pid': 7}, 'measurement': {}}")));

      assertThat(verdicts).hasValueSatisfying(list -> assertThat(list).containsExactly(
          new Validation(true, null),
          new Validation(false, "expected the event echoed back under result['echo'], got {'echo': {'message': 'bye'}}"),
          new Validation(true, null)));
    }

    @Test
    void theLargeInputMakesEveryOutputInvalid() {
      JsonNode large = bridge.generate(echo, "large", Optional.empty()).input();

      assertThat(bridge.validate(echo, Language.PYTHON, Optional.empty(), large,
          List.of(json("{'result': {'echo': " + large + "}}"))))
          .contains(List.of(new Validation(false, "corrupt_output is set: the large size rejects every output")));
    }

    @Test
    void noOutputsGiveNoVerdicts() {
      assertThat(bridge.validate(echo, Language.NODEJS, Optional.empty(), testInput, List.of())).contains(List.of());
    }

    @Test
    void anInputPyWithoutValidateOutputGivesEmpty() {
      assertThat(bridge.validate(FIXTURES.find("902.python-only"), Language.PYTHON, Optional.empty(), json("{}"),
          List.of(json("{'result': 1}")))).isEmpty();
    }

    @Test
    void aBenchmarkWithoutInputPyGivesEmpty(@TempDir Path root) throws IOException {
      assertThat(bridge.validate(throwaway(root, "990.no-input", null), Language.PYTHON, Optional.empty(),
          json("{}"), List.of(json("{}")))).isEmpty();
    }

    @Test
    void theValidatorGetsSebsArgumentsInSebsOrder(@TempDir Path root) throws IOException {
      Path data = Files.createDirectories(root.resolve("data"));
      Benchmark b = throwaway(root, "996.arguments", """
          def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths, upload_func, nosql_func):
              return {}
          def validate_output(data_dir: str | None, input_config: dict, output: dict, language: str, storage=None) -> str | None:
              return "%s|%s|%s|%s|%s" % (data_dir, input_config["n"], output.get("result"), language, storage)
          """);

      assertThat(bridge.validate(b, Language.NODEJS, Optional.of(data), json("{'n': 3}"),
          List.of(json("{'result': 'r'}"))))
          .contains(List.of(new Validation(false, data + "|3|r|nodejs|None")));
      assertThat(bridge.validate(b, Language.PYTHON, Optional.empty(), json("{'n': 3}"),
          List.of(json("{'result': 'r'}"))))
          .as("no data directory is None, as in SeBS")
          .contains(List.of(new Validation(false, "None|3|r|python|None")));
    }

    @Test
    void sebsVerdictsNoneOrAReasonAndBoolsAreRead(@TempDir Path root) throws IOException {
      Benchmark b = throwaway(root, "995.strict", """
          def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths, upload_func, nosql_func):
              return {}
          def validate_output(data_dir, input_config, output, language, storage=None):
              n = output["result"]["n"]
              if n < 0:
                  return "negative n for " + language
              if n == 0:
                  return (False, None)
              return None if n == 1 else n > 1
          """);

      assertThat(bridge.validate(b, Language.PYTHON, Optional.empty(), json("{}"), List.of(
          json("{'result': {'n': 1}}"), json("{'result': {'n': 2}}"), json("{'result': {'n': 0}}"),
          json("{'result': {'n': -1}}"), json("{'result': {}}"))))
          .contains(List.of(
              new Validation(true, null),
              new Validation(true, null),
              new Validation(false, "validate_output returned (False, None)"),
              new Validation(false, "negative n for python"),
              new Validation(false, "KeyError: 'n'")));
    }

    @Test
    void aValidatorWithoutSebsSignatureIsAConfigurationErrorSayingWhatToWrite(@TempDir Path root)
        throws IOException {
      Benchmark b = throwaway(root, "997.old-signature", """
          def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths, upload_func, nosql_func):
              return {}
          def validate_output(input_config, output, language):
              return True
          """);

      assertThatThrownBy(() -> bridge.validate(b, Language.PYTHON, Optional.empty(), json("{}"),
          List.of(json("{'result': 1}"))))
          .isInstanceOf(BenchmarkConfigurationException.class)
          .hasMessageStartingWith("Benchmark 997.old-signature: validate_output(input_config, output, language) in ")
          .hasMessageContaining("SeBS calls validate_output(data_dir, input_config, output, language, storage)")
          .hasMessageContaining("def validate_output(data_dir, input_config, output, language, storage=None)");
    }

    @Test
    void theSebsOutputIsTheHandlersReturnValue() {
      assertThat(InputBridge.sebsOutput(json("'page'"), com.fasterxml.jackson.databind.node.MissingNode.getInstance()))
          .isEqualTo(json("{'result': 'page'}"));
      assertThat(InputBridge.sebsOutput(json("[1, 2]"), json("{'compute_time': 5}")))
          .isEqualTo(json("{'result': [1, 2], 'measurement': {'compute_time': 5}}"));
    }
  }
}
