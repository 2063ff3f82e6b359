package io.sebs.junit.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-interpreter dependency file SeBS installs is the one the package installs. */
class DependencyFilesTest {

  private static final Set<String> GRAPH_MST = Set.of("function.py", "requirements.txt", "requirements.txt.3.8",
      "requirements.txt.3.11", "requirements.txt.arm.3.8");

  @Test
  void pythonTakesTheArmFileOnArmThenTheVersionFileThenThePlainOne() {
    assertThat(DependencyFiles.choose(Language.PYTHON, GRAPH_MST, "3.11", "x86_64")).isEqualTo("requirements.txt.3.11");
    assertThat(DependencyFiles.choose(Language.PYTHON, GRAPH_MST, "3.11", "arm64"))
        .as("no arm file for 3.11: the version file").isEqualTo("requirements.txt.3.11");
    assertThat(DependencyFiles.choose(Language.PYTHON, GRAPH_MST, "3.8", "arm64")).isEqualTo("requirements.txt.arm.3.8");
    assertThat(DependencyFiles.choose(Language.PYTHON, GRAPH_MST, "3.8", "aarch64")).isEqualTo("requirements.txt.arm.3.8");
    assertThat(DependencyFiles.choose(Language.PYTHON, GRAPH_MST, "3.8", "x86_64")).isEqualTo("requirements.txt.3.8");
    assertThat(DependencyFiles.choose(Language.PYTHON, GRAPH_MST, "3.12", "x86_64")).isEqualTo("requirements.txt");
    assertThat(DependencyFiles.choose(Language.PYTHON, GRAPH_MST, "", "x86_64")).isEqualTo("requirements.txt");
  }

  @Test
  void nodeTakesThePackageJsonOfItsMajorVersion() {
    Set<String> thumbnailer = Set.of("function.js", "package.json", "package.json.18", "package.json.20");
    assertThat(DependencyFiles.choose(Language.NODEJS, thumbnailer, "20", "x86_64")).isEqualTo("package.json.20");
    assertThat(DependencyFiles.choose(Language.NODEJS, thumbnailer, "22", "arm64")).isEqualTo("package.json");
    assertThat(DependencyFiles.choose(Language.JAVA, Set.of("pom.xml"), "17", "x86_64")).isEqualTo("pom.xml");
  }

  @Test
  void versionsAreWrittenAsSebsWritesThem() {
    assertThat(DependencyFiles.sebsVersion(Language.PYTHON, "3.11.7")).isEqualTo("3.11");
    assertThat(DependencyFiles.sebsVersion(Language.PYTHON, "3.11")).isEqualTo("3.11");
    assertThat(DependencyFiles.sebsVersion(Language.NODEJS, "v20.20.2")).isEqualTo("20");
    assertThat(DependencyFiles.sebsVersion(Language.NODEJS, "18")).isEqualTo("18");
  }

  @Test
  void thePackageInstallsTheChosenFileAndAddsModulePackagesToIt(@TempDir Path code) throws IOException {
    Files.writeString(code.resolve("function.py"), "def handler(event):\n    return {'result': 1}\n");
    Files.writeString(code.resolve("requirements.txt"), "");
    Files.writeString(code.resolve("requirements.txt.3.11"), "igraph\n");

    CodePackage pkg = CodePackage.assemble(Map.of(), code).forRuntime(Language.PYTHON, "3.11", "x86_64")
        .withDependencies(Language.PYTHON, Map.of("boto3", ""));

    assertThat(new String(pkg.file("function/requirements.txt").orElseThrow(), StandardCharsets.UTF_8))
        .isEqualTo("igraph\nboto3\n");
    assertThat(pkg.dependencySource(Language.PYTHON)).isEqualTo(code.resolve("requirements.txt.3.11").toString());
    assertThat(pkg.dependencySourceText(Language.PYTHON)).contains("igraph\n");
    CodePackage plain = CodePackage.assemble(Map.of(), code);
    assertThat(plain.forRuntime(Language.PYTHON, "3.12", "x86_64")).as("nothing to choose: unchanged").isSameAs(plain);
    assertThat(plain.dependencySource(Language.PYTHON)).isEqualTo(code.resolve("requirements.txt").toString());
  }
}
