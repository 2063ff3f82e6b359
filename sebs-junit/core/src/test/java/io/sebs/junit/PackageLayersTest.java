package io.sebs.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The engine's packages stay layered, from the bottom: series (measured series), report (results, charts,
 * Allure), run (the engine), experiment (SeBS's experiments), extension (the JUnit glue). A package may use
 * the ones below it, never one above, so none of them forms a cycle. Read from the sources (comments
 * excluded), so a new import that breaks the order fails here with the file that has it.
 */
class PackageLayersTest {

  private static final Path SOURCES = Path.of("src/main/java/io/sebs/junit");
  private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

  @ParameterizedTest(name = "{0} uses none of {1}")
  @CsvSource({
      "series, report run experiment extension",
      "report, run experiment extension",
      "run, experiment extension",
      "experiment, extension",
      "platform, run experiment report extension workflow",
      "workflow, run experiment report extension series",
  })
  void aPackageUsesNoneAboveIt(String layer, String above) throws IOException {
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES.resolve(layer))) {
      for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
        String code = COMMENT.matcher(Files.readString(file)).replaceAll("");
        for (String upper : above.split(" ")) {
          Matcher use = Pattern.compile("io\\.sebs\\.junit\\." + upper + "\\.[A-Za-z]").matcher(code);
          if (use.find()) {
            violations.add(SOURCES.relativize(file) + " uses io.sebs.junit." + upper);
          }
        }
      }
    }
    assertThat(violations).isEmpty();
  }
}
