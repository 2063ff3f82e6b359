package io.sebs.junit.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** config.json as SeBS writes it; a wrong type names the field, the value and the type, never a default. */
class BenchmarkConfigTest {

  @TempDir
  Path dir;

  private BenchmarkConfig read(String json) throws IOException {
    return BenchmarkConfig.read(Files.writeString(dir.resolve("config.json"), json));
  }

  @Test
  void readsSebsFields() throws IOException {
    BenchmarkConfig config = read("""
        {"timeout": 10, "memory": 256, "languages": ["python", "nodejs"], "modules": ["storage"]}""");

    assertThat(config).isEqualTo(new BenchmarkConfig(10, 256, java.util.List.of("python", "nodejs"),
        java.util.List.of("storage"), java.util.List.of()));
  }

  @Test
  void missingFieldsTakeTheDocumentedDefaults() throws IOException {
    BenchmarkConfig config = read("{\"languages\": [\"python\"]}");

    assertThat(config.timeout()).isEqualTo(BenchmarkConfig.DEFAULT_TIMEOUT_SECONDS).isEqualTo(60);
    assertThat(config.memory()).isEqualTo(BenchmarkConfig.DEFAULT_MEMORY_MB).isEqualTo(128);
    assertThat(config.modules()).isEmpty();
    assertThat(config.tools()).isEmpty();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "timeout | \"ten\" | \"timeout\" is \"ten\" (a string) but must be a positive whole number of seconds, e.g. \"timeout\": 10",
      "timeout | 10.5 | \"timeout\" is 10.5 (a fractional number) but must be a positive whole number of seconds",
      "timeout | 0 | \"timeout\" is 0 (a whole number) but must be a positive whole number of seconds",
      "memory | \"128MB\" | \"memory\" is \"128MB\" (a string) but must be a positive whole number of MB, e.g. \"memory\": 128",
      "memory | true | \"memory\" is true (a boolean) but must be a positive whole number of MB",
      "modules | \"storage\" | \"modules\" is \"storage\" (a string) but must be a list of strings, e.g. \"modules\": [\"storage\"]",
      "languages | [\"python\", 3] | \"languages\" is [\"python\",3] (a list) but must be a list of strings"})
  void aFieldOfTheWrongTypeIsAnErrorNamingFieldValueAndType(String field, String value, String message) {
    String json = "{\"languages\": [\"python\"], \"" + field + "\": " + value + "}";

    assertThatIllegalArgumentException().isThrownBy(() -> read(json))
        .withMessageStartingWith(dir.resolve("config.json") + ": ")
        .withMessageContaining(message);
  }

  @Test
  void aWrongTimeoutSaysWhatLeavingItOutMeans() {
    assertThatIllegalArgumentException().isThrownBy(() -> read("{\"languages\": [\"python\"], \"timeout\": \"ten\"}"))
        .withMessageEndingWith("(or leave \"timeout\" out for the default, 60 seconds)");
  }

  @Test
  void noLanguagesIsAnError() {
    assertThatIllegalArgumentException().isThrownBy(() -> read("{\"timeout\": 10}"))
        .withMessageContaining("lists no languages: add \"languages\": [\"python\"]");
  }

  @Test
  void notAnObjectIsAnError() {
    assertThatIllegalArgumentException().isThrownBy(() -> read("[1, 2]"))
        .withMessageContaining("is not a JSON object");
  }
}
