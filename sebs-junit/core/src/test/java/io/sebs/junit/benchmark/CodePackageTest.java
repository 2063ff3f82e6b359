package io.sebs.junit.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CodePackage is the wrapper at the root plus the function under function/, named by a content hash. */
class CodePackageTest {

  private static final Map<String, byte[]> WRAPPER = Map.of(
      "handler.py", bytes("# wrapper\n"),
      "lib/helper.py", bytes("HELP = 1\n"));

  @TempDir
  Path tmp;

  private Path code;

  @BeforeEach
  void writeFunctionCode() throws IOException {
    code = tmp.resolve("code");
    write(code.resolve("function.py"), "def handler(event):\n    return {'result': event}\n");
    write(code.resolve("requirements.txt"), "");
    write(code.resolve("templates/page.html"), "<p>{{ x }}</p>");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private CodePackage assemble() {
    return CodePackage.assemble(WRAPPER, code);
  }

  @Test
  void wrapperFilesAreAtTheRootAndTheCodeUnderFunction() {
    assertThat(assemble().files()).containsOnlyKeys(
        "handler.py", "lib/helper.py", "function/function.py", "function/requirements.txt",
        "function/templates/page.html");
  }

  @Test
  void filesAreSortedByPathAndHoldTheBytes() {
    CodePackage pkg = assemble();

    assertThat(List.copyOf(pkg.files().keySet())).isSorted();
    assertThat(pkg.file("function/templates/page.html")).hasValueSatisfying(
        content -> assertThat(new String(content, StandardCharsets.UTF_8)).isEqualTo("<p>{{ x }}</p>"));
    assertThat(pkg.file("handler.py")).hasValueSatisfying(content -> assertThat(content).isEqualTo(bytes("# wrapper\n")));
    assertThat(pkg.file("function.py")).as("code is only under function/").isEmpty();
  }

  @Test
  void theHashIsAHexSha256() {
    assertThat(assemble().codeHash()).hasSize(64).matches("[0-9a-f]{64}");
  }

  @Test
  void theHashIsStableForTheSameFiles() {
    assertThat(assemble().codeHash()).isEqualTo(assemble().codeHash());
  }

  @Test
  void theHashDoesNotDependOnWhereTheCodeLivesOrOnTheWrapperMapOrder() throws IOException {
    Path copy = tmp.resolve("elsewhere/copy");
    try (Stream<Path> walk = Files.walk(code)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        Path target = copy.resolve(code.relativize(p).toString());
        Files.createDirectories(target.getParent());
        Files.copy(p, target);
      }
    }
    Map<String, byte[]> reversed = new TreeMap<>(java.util.Comparator.reverseOrder());
    reversed.putAll(WRAPPER);

    assertThat(CodePackage.assemble(reversed, copy).codeHash()).isEqualTo(assemble().codeHash());
  }

  @Test
  void oneChangedByteChangesTheHash() throws IOException {
    String before = assemble().codeHash();
    Files.writeString(code.resolve("templates/page.html"), "<p>{{ y }}</p>");

    assertThat(assemble().codeHash()).isNotEqualTo(before);
  }

  @Test
  void anAddedEmptyFileChangesTheHash() throws IOException {
    String before = assemble().codeHash();
    Files.writeString(code.resolve("__init__.py"), "");

    assertThat(assemble().codeHash()).isNotEqualTo(before);
  }

  @Test
  void aRenamedFileWithTheSameBytesChangesTheHash() throws IOException {
    String before = assemble().codeHash();
    Files.move(code.resolve("templates/page.html"), code.resolve("templates/other.html"));

    assertThat(assemble().codeHash()).isNotEqualTo(before);
  }

  @Test
  void aChangedWrapperChangesTheHash() {
    Map<String, byte[]> wrapper = new TreeMap<>(WRAPPER);
    wrapper.put("handler.py", bytes("# wrapper!\n"));

    assertThat(CodePackage.assemble(wrapper, code).codeHash()).isNotEqualTo(assemble().codeHash());
  }

  @Test
  void bytesMovedBetweenPathAndContentChangeTheHash() throws IOException {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    write(a.resolve("ab"), "c");
    write(b.resolve("a"), "bc");

    assertThat(CodePackage.assemble(Map.of(), a).codeHash())
        .isNotEqualTo(CodePackage.assemble(Map.of(), b).codeHash());
  }

  @Test
  void bytesMovedBetweenTwoFilesChangeTheHash() throws IOException {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    write(a.resolve("x"), "12");
    write(a.resolve("y"), "3");
    write(b.resolve("x"), "1");
    write(b.resolve("y"), "23");

    assertThat(CodePackage.assemble(Map.of(), a).codeHash())
        .isNotEqualTo(CodePackage.assemble(Map.of(), b).codeHash());
  }

  @Test
  void nodeModulesAndPycacheAreLeftOutAndDoNotChangeTheHash() throws IOException {
    String before = assemble().codeHash();
    write(code.resolve("node_modules/left-pad/index.js"), "module.exports = 1;");
    write(code.resolve("__pycache__/function.cpython-311.pyc"), "\u0000bytecode");
    write(code.resolve("templates/__pycache__/x.pyc"), "\u0000bytecode");

    CodePackage pkg = assemble();

    assertThat(pkg.files().keySet()).noneMatch(p -> p.contains("node_modules") || p.contains("__pycache__"));
    assertThat(pkg.codeHash()).isEqualTo(before);
  }

  @Test
  void aFileMerelyNamedLikeNodeModulesIsKept() throws IOException {
    write(code.resolve("node_modules.txt"), "notes");

    assertThat(assemble().files()).containsKey("function/node_modules.txt");
  }

  @Test
  void writeToWritesEveryFileAndNothingElse() throws IOException {
    CodePackage pkg = assemble();
    Path target = tmp.resolve("out/package");

    pkg.writeTo(target);

    Map<String, byte[]> written = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(target)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        written.put(target.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
    }
    assertThat(written).containsOnlyKeys(pkg.files().keySet());
    pkg.files().forEach((path, content) -> assertThat(written.get(path)).as(path).isEqualTo(content));
  }

  @Test
  void writeToOverwritesAnOlderCopy() throws IOException {
    Path target = tmp.resolve("out");
    write(target.resolve("function/function.py"), "stale");
    write(target.resolve("handler.py"), "stale");

    assemble().writeTo(target);

    assertThat(target.resolve("function/function.py"))
        .hasBinaryContent(bytes("def handler(event):\n    return {'result': event}\n"));
    assertThat(target.resolve("handler.py")).hasBinaryContent(bytes("# wrapper\n"));
  }

  @Test
  void writeToIntoAFileFailsNamingTheTarget() throws IOException {
    Path notADirectory = tmp.resolve("file");
    Files.writeString(notADirectory, "x");

    assertThatThrownBy(() -> assemble().writeTo(notADirectory))
        .hasMessageContaining("Cannot write function package to " + notADirectory);
  }

  @Test
  void aMissingCodeDirectoryFailsNamingIt() {
    Path missing = tmp.resolve("missing");

    assertThatThrownBy(() -> CodePackage.assemble(WRAPPER, missing))
        .hasMessageContaining("Cannot read function code in " + missing);
  }

  @Test
  void thePackageCannotBeChangedBehindItsHash() {
    CodePackage pkg = assemble();

    assertThatThrownBy(() -> pkg.files().put("function/extra.py", bytes("x")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void javaDependenciesGoIntoThePomOnceEachInItsNamespace() throws IOException {
    write(code.resolve("pom.xml"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>\n"
        + "  <dependencies>\n    <dependency><groupId>org.example</groupId><artifactId>kept</artifactId>"
        + "<version>1.0</version></dependency>\n  </dependencies>\n</project>\n");
    CodePackage pkg = assemble();

    CodePackage withDeps = pkg.withDependencies(Language.JAVA, Map.of(
        "org.example:kept", "9.9", "com.fasterxml.jackson.core:jackson-databind", "2.23.0"));

    String pom = new String(withDeps.file("function/pom.xml").orElseThrow(), StandardCharsets.UTF_8);
    assertThat(pom).contains("<artifactId>kept</artifactId><version>1.0</version>").doesNotContain("9.9")
        .contains("<groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId>"
            + "<version>2.23.0</version></dependency>")
        .doesNotContain("xmlns=\"\"");
    assertThat(pom.indexOf("jackson-databind")).isLessThan(pom.indexOf("</dependencies>"));
    assertThat(withDeps.codeHash()).isNotEqualTo(pkg.codeHash());
  }

  @Test
  void aPomWithoutDependenciesGetsTheElement() throws IOException {
    write(code.resolve("pom.xml"), "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0"
        + "</modelVersion></project>");

    String pom = new String(assemble().withDependencies(Language.JAVA, Map.of("g:a", "1")).file("function/pom.xml")
        .orElseThrow(), StandardCharsets.UTF_8);

    assertThat(pom).contains("<dependencies><dependency>").contains("<groupId>g</groupId><artifactId>a</artifactId>"
        + "<version>1</version></dependency></dependencies></project>");
  }

  @Test
  void providedJavaDependenciesAreDeclaredWithTheProvidedScope() throws IOException {
    write(code.resolve("pom.xml"), "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0"
        + "</modelVersion></project>");
    CodePackage pkg = assemble();

    CodePackage withProvided = pkg.withProvidedJavaDependencies(Map.of("com.amazonaws:aws-lambda-java-core", "1.4.0"));

    String pom = new String(withProvided.file("function/pom.xml").orElseThrow(), StandardCharsets.UTF_8);
    assertThat(pom).contains("<groupId>com.amazonaws</groupId><artifactId>aws-lambda-java-core</artifactId>"
        + "<version>1.4.0</version><scope>provided</scope></dependency>");
    assertThat(withProvided.codeHash()).isNotEqualTo(pkg.codeHash());
    assertThat(pkg.withProvidedJavaDependencies(Map.of())).isSameAs(pkg);
  }
}
