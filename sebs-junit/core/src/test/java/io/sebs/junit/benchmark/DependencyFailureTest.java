package io.sebs.junit.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pip's and npm's error output names the package they could not install; the message names its pin. */
class DependencyFailureTest {

  @Test
  void pipsNoMatchingDistributionNamesTheRequirement() {
    String out = """
        WARNING: Retrying (Retry(total=0, connect=None, read=None, redirect=None, status=None)) after connection broken
        ERROR: Could not find a version that satisfies the requirement igraph==0.11.4 (from versions: 1.0.0)
        ERROR: No matching distribution found for igraph==0.11.4
        """;
    assertThat(DependencyFailure.read(Language.PYTHON, out)).contains(new DependencyFailure("igraph==0.11.4",
        "igraph", "No matching distribution found for igraph==0.11.4"));
  }

  @Test
  void pipsBuildFailuresInvalidRequirementsAndConflictsNameThePackage() {
    assertThat(DependencyFailure.read(Language.PYTHON, "  error: subprocess-exited-with-error\nERROR: Failed building wheel for "
        + "pycairo\nFailed to build pycairo")).map(DependencyFailure::name).contains("pycairo");
    assertThat(DependencyFailure.read(Language.PYTHON, "ERROR: Invalid requirement: 'numpy==='"))
        .map(DependencyFailure::name).contains("numpy");
    assertThat(DependencyFailure.read(Language.PYTHON, "ERROR: Cannot install numpy==1.0 and scipy==1.14 because these "
        + "package versions have conflicting dependencies.")).map(DependencyFailure::name).contains("numpy");
  }

  @Test
  void npmsNotargetAnd404AndInstallScriptsNameThePackage() {
    assertThat(DependencyFailure.read(Language.NODEJS, """
        npm error code ETARGET
        npm error notarget No matching version found for mustache@99.0.0.
        npm error notarget In most cases you or one of your dependencies are requesting
        """)).contains(new DependencyFailure("mustache@99.0.0", "mustache",
        "No matching version found for mustache@99.0.0"));
    assertThat(DependencyFailure.read(Language.NODEJS, """
        npm error code E404
        npm error 404
        npm error 404  The requested resource '@scope/no-such-pkg@1.0.0' could not be found or you do not have permission
        """)).map(DependencyFailure::name).contains("@scope/no-such-pkg");
    assertThat(DependencyFailure.read(Language.NODEJS, "npm ERR! 404  'left-padd@*' is not in this registry."))
        .map(DependencyFailure::name).contains("left-padd");
    assertThat(DependencyFailure.read(Language.NODEJS, "npm error code 1\nnpm error path /tmp/p/function/node_modules/sharp\n"
        + "npm error command failed")).map(DependencyFailure::name).contains("sharp");
  }

  @Test
  void outputNamingNoPackageIsNotABenchmarkFailure() {
    assertThat(DependencyFailure.read(Language.PYTHON, "ERROR: Could not install packages due to an OSError: [Errno 28] "
        + "No space left on device")).isEmpty();
    assertThat(DependencyFailure.read(Language.NODEJS, "npm error code ECONNREFUSED")).isEmpty();
  }

  @Test
  void aPackageTheBenchmarkDoesNotListIsNamedAsAddedForItsModules(@TempDir Path code) throws IOException {
    Files.writeString(code.resolve("requirements.txt"), "jinja2\n");
    CodePackage pkg = CodePackage.assemble(Map.of(), code).withDependencies(Language.PYTHON, Map.of("boto3", ""));

    String message = new DependencyFailure("boto3", "boto3", "No matching distribution found for boto3")
        .message(Language.PYTHON, pkg, "pip install");

    assertThat(message).isEqualTo("pip install cannot install boto3, which " + code.resolve("requirements.txt")
        + " does not list (sebs-junit adds it for the benchmark's modules): No matching distribution found for boto3."
        + " Make the package index offer it, or drop the module from config.json.");
  }

  @Test
  void pinsAreFoundByTheirNormalisedName(@TempDir Path code) throws IOException {
    Files.writeString(code.resolve("requirements.txt"), "# c\nPython_IGraph == 0.8.0  # old\n");
    CodePackage pkg = CodePackage.assemble(Map.of(), code);

    assertThat(new DependencyFailure("python-igraph==0.8.0", "python-igraph", "x").message(Language.PYTHON, pkg,
        "pip install")).contains("pinned as 'Python_IGraph == 0.8.0  # old' in ");
  }
}
