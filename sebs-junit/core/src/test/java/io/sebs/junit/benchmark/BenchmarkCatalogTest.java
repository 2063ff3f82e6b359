package io.sebs.junit.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sebs.junit.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The catalogue finds SeBS-style benchmark folders by name and explains what is wrong when it cannot. */
class BenchmarkCatalogTest {

  private final BenchmarkCatalog fixtures = new BenchmarkCatalog(Fixtures.benchmarksDir());

  private static Path benchmark(Path root, String relative, String configJson) throws IOException {
    Path dir = Files.createDirectories(root.resolve(relative));
    Files.writeString(dir.resolve("config.json"), configJson);
    return dir;
  }

  @Nested
  class TheFixtureCatalogue {

    @Test
    void findsABenchmarkAtDepthTwoByItsOwnFolderName() {
      Benchmark echo = fixtures.find("901.echo");

      assertThat(echo.id()).isEqualTo("901.echo");
      assertThat(echo.directory()).isEqualTo(Fixtures.benchmarksDir().resolve("900.fixtures").resolve("901.echo"));
      assertThat(echo.inputScript()).isEqualTo(echo.directory().resolve("input.py")).isRegularFile();
    }

    @Test
    void readsTheBenchmarksConfigJson() {
      assertThat(fixtures.find("901.echo").config())
          .isEqualTo(new BenchmarkConfig(2, 128, List.of("python", "nodejs", "java"), List.of(), List.of()));
      assertThat(fixtures.find("902.python-only").config().languages()).containsExactly("python");
    }

    @Test
    void listsTheBenchmarksSortedWithoutTheCategoryFolders() {
      assertThat(fixtures.ids()).contains("901.echo", "902.python-only").doesNotContain("900.fixtures").isSorted();
      assertThat(fixtures.root()).isEqualTo(Fixtures.benchmarksDir());
    }

    @Test
    void aBenchmarkKnowsItsCodeFolderPerLanguage() {
      Benchmark echo = fixtures.find("901.echo");

      assertThat(echo.codeDirectory(Language.PYTHON)).isEqualTo(echo.directory().resolve("python"));
      assertThat(echo.codeDirectory(Language.NODEJS)).isEqualTo(echo.directory().resolve("nodejs"));
    }

    @Test
    void anUnsupportedLanguageNamesTheSupportedOnes() {
      Benchmark pythonOnly = fixtures.find("902.python-only");

      assertThatThrownBy(() -> pythonOnly.codeDirectory(Language.NODEJS))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Benchmark 902.python-only has no nodejs implementation: it supports [python]")
          .hasMessageContaining(pythonOnly.directory().toString());
    }

    @Test
    void aSlugIsUsableInFunctionNames() {
      assertThat(fixtures.find("901.echo").slug()).isEqualTo("901-echo");
      assertThat(fixtures.find("902.python-only").slug()).isEqualTo("902-python-only");
    }
  }

  @Nested
  class AnUnknownId {

    @TempDir
    Path root;

    private BenchmarkCatalog catalog;

    @BeforeEach
    void createCatalogue() throws IOException {
      for (String dir : List.of("000.microbenchmarks/010.sleep", "100.webapps/110.dynamic-html",
          "500.scientific/501.graph-pagerank", "500.scientific/502.graph-mst", "500.scientific/503.graph-bfs")) {
        benchmark(root, dir, "{\"languages\": [\"python\"]}");
      }
      catalog = new BenchmarkCatalog(root);
    }

    @Test
    void listsTheKnownOnes() {
      assertThatThrownBy(() -> catalog.find("999.nothing"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Unknown benchmark '999.nothing' in " + root + ". Known benchmarks: "
              + "[010.sleep, 110.dynamic-html, 501.graph-pagerank, 502.graph-mst, 503.graph-bfs]");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
      "sleep            | [010.sleep]",
      "010.sleepy       | [010.sleep]",
      "dynamic-html     | [110.dynamic-html]",
      "120.dynamic-html | [110.dynamic-html]",
      "pagerank         | [501.graph-pagerank]",
      "graph            | [501.graph-pagerank, 502.graph-mst, 503.graph-bfs]",
    })
    void suggestsCloseMatches(String id, String suggestions) {
      assertThatThrownBy(() -> catalog.find(id))
          .hasMessageStartingWith("Unknown benchmark '" + id + "' in " + root + ". Did you mean " + suggestions + "?")
          .hasMessageEndingWith("Known benchmarks: "
              + "[010.sleep, 110.dynamic-html, 501.graph-pagerank, 502.graph-mst, 503.graph-bfs]");
    }

    @Test
    void inTheFixtureCatalogueListsTheFixtures() {
      assertThatThrownBy(() -> fixtures.find("echo"))
          .hasMessageContaining("Did you mean [901.echo")
          .hasMessageEndingWith("Known benchmarks: " + fixtures.ids());
    }
  }

  @Nested
  class ACatalogueInATempFolder {

    @TempDir
    Path root;

    @Test
    void findsBenchmarksAtDepthOneAndTwo() throws IOException {
      benchmark(root, "010.sleep", "{\"languages\": [\"python\"]}");
      benchmark(root, "100.webapps/110.dynamic-html", "{\"languages\": [\"python\"]}");

      assertThat(new BenchmarkCatalog(root).ids()).containsExactly("010.sleep", "110.dynamic-html");
    }

    @Test
    void ignoresConfigFilesInTheWrappersFolder() throws IOException {
      benchmark(root, "wrappers/http", "{\"languages\": [\"python\"]}");
      benchmark(root, "010.sleep", "{\"languages\": [\"python\"]}");

      assertThat(new BenchmarkCatalog(root).ids()).containsExactly("010.sleep");
    }

    @Test
    void ignoresAConfigJsonAtTheRootAndTooDeepOnes() throws IOException {
      Files.writeString(root.resolve("config.json"), "{}");
      benchmark(root, "a/b/c", "{\"languages\": [\"python\"]}");

      assertThat(new BenchmarkCatalog(root).ids()).isEmpty();
    }

    @Test
    void theConfigDefaultsToSebsTimeoutAndMemory() throws IOException {
      benchmark(root, "010.sleep", "{\"languages\": [\"python\", \"nodejs\"], \"modules\": [\"storage\"]}");

      assertThat(new BenchmarkCatalog(root).find("010.sleep").config())
          .isEqualTo(new BenchmarkConfig(60, 128, List.of("python", "nodejs"), List.of("storage"), List.of()));
    }

    @Test
    void aConfigWithoutLanguagesFailsWithTheFix() throws IOException {
      Path dir = benchmark(root, "200.multimedia/210.thumbnailer", "{\"timeout\": 60, \"memory\": 256}");

      assertThatThrownBy(() -> new BenchmarkCatalog(root).find("210.thumbnailer"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(dir.resolve("config.json") + " lists no languages: add \"languages\": [\"python\"]");
    }

    @Test
    void anEmptyLanguagesListFailsTheSameWay() throws IOException {
      benchmark(root, "010.sleep", "{\"languages\": []}");

      assertThatThrownBy(() -> new BenchmarkCatalog(root).find("010.sleep"))
          .hasMessageEndingWith("lists no languages: add \"languages\": [\"python\"]");
    }

    @Test
    void anUnreadableConfigNamesTheFile() throws IOException {
      Path dir = benchmark(root, "010.sleep", "{\"languages\": [\"python\"");

      assertThatThrownBy(() -> new BenchmarkCatalog(root).find("010.sleep"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Cannot read benchmark configuration " + dir.resolve("config.json") + ": ");
    }

    @Test
    void aLanguageInTheConfigWithoutItsFolderIsNotAnImplementation() throws IOException {
      benchmark(root, "010.sleep", "{\"languages\": [\"python\", \"nodejs\"]}");
      Files.createDirectories(root.resolve("010.sleep/python"));

      Benchmark sleep = new BenchmarkCatalog(root).find("010.sleep");

      assertThat(sleep.codeDirectory(Language.PYTHON)).isDirectory();
      assertThatThrownBy(() -> sleep.codeDirectory(Language.NODEJS))
          .hasMessageStartingWith("Benchmark 010.sleep has no nodejs implementation: it supports [python, nodejs]");
    }

    @Test
    void aFolderNotListedInTheConfigIsNotAnImplementation() throws IOException {
      benchmark(root, "010.sleep", "{\"languages\": [\"python\"]}");
      Files.createDirectories(root.resolve("010.sleep/python"));
      Files.createDirectories(root.resolve("010.sleep/nodejs"));

      assertThatThrownBy(() -> new BenchmarkCatalog(root).find("010.sleep").codeDirectory(Language.NODEJS))
          .hasMessageContaining("has no nodejs implementation: it supports [python]");
    }

    @Test
    void aMissingRootSaysWhichPropertyToSet() {
      Path missing = root.resolve("nope");

      assertThatThrownBy(() -> new BenchmarkCatalog(missing))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Benchmarks directory " + missing
              + " does not exist: set -Dsebs.benchmarks.dir to the benchmark catalogue");
    }
  }

  @Test
  void languagesAreNamedAsInSebs() {
    assertThat(Language.of("python")).isEqualTo(Language.PYTHON);
    assertThat(Language.of("NodeJS")).isEqualTo(Language.NODEJS);
    assertThat(Language.of("node")).isEqualTo(Language.NODEJS);
    assertThat(Language.PYTHON.dependencyFile()).isEqualTo("requirements.txt");
    assertThat(Language.NODEJS.dependencyFile()).isEqualTo("package.json");
    assertThat(Language.of("java")).isEqualTo(Language.JAVA);
    assertThat(Language.JAVA.dependencyFile()).isEqualTo("pom.xml");
    assertThatThrownBy(() -> Language.of("cobol"))
        .hasMessage("Unknown language 'cobol': supported languages are python, nodejs, java");
  }
}
