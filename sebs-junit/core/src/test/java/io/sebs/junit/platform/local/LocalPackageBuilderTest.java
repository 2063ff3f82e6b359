package io.sebs.junit.platform.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sebs.junit.benchmark.BenchmarkConfigurationException;
import io.sebs.junit.benchmark.CodePackage;
import io.sebs.junit.benchmark.Language;
import io.sebs.junit.platform.local.LocalPackageBuilder.BuiltPackage;
import io.sebs.junit.process.Command;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local package builder makes one runnable folder per code hash in the cache, installs dependencies
 * beside the code, and reuses a finished folder instead of building it again.
 */
class LocalPackageBuilderTest {

  private static final Map<String, byte[]> PYTHON_WRAPPER =
      Map.of("handler.py", "print('wrapper')\n".getBytes(StandardCharsets.UTF_8));
  private static final Map<String, byte[]> NODE_WRAPPER =
      Map.of("handler.js", "console.log('wrapper');\n".getBytes(StandardCharsets.UTF_8));

  @TempDir
  Path tmp;

  private Path cache;
  private Path code;
  private LocalPackageBuilder builder;

  @BeforeEach
  void setUp() throws IOException {
    cache = tmp.resolve("cache");
    code = Files.createDirectories(tmp.resolve("code"));
    Files.writeString(code.resolve("function.py"), "def handler(event):\n    return {'result': event}\n");
    builder = new LocalPackageBuilder(cache);
  }

  private CodePackage pythonPackage() {
    return CodePackage.assemble(PYTHON_WRAPPER, code);
  }

  @Test
  void aFirstBuildWritesThePackageIntoTheCacheAndMarksItReady() {
    CodePackage pkg = pythonPackage();

    BuiltPackage built = builder.build("sebs-fn", pkg, Language.PYTHON, "");

    assertThat(built.reused()).isFalse();
    assertThat(built.directory())
        .isEqualTo(cache.resolve("local/packages/sebs-fn-" + pkg.codeHash().substring(0, 16)));
    assertThat(built.directory().resolve("handler.py")).isRegularFile();
    assertThat(built.directory().resolve("function/function.py")).isRegularFile();
    assertThat(built.directory().resolve(io.sebs.junit.platform.pool.PackageFolders.READY_MARKER)).hasContent(pkg.codeHash());
    assertThat(built.buildTime()).isPositive();
  }

  @Test
  void thePythonCommandRunsTheHandlerWithTheInterpreterPython3OnPathIs() {
    BuiltPackage built = builder.build("sebs-fn", pythonPackage(), Language.PYTHON, "");

    String executable = Command.of("python3", "-c", "import sys; print(sys.executable)").run().stdout().strip();
    assertThat(built.command()).containsExactly(executable, "handler.py");
  }

  /**
   * A version manager's shim (a script that finds and runs the real interpreter, as pyenv's does) is asked once
   * for the interpreter it runs, so that no instance starts the shim: it is not part of any provider's cold start.
   */
  @Test
  void aShimOnPathIsResolvedToTheInterpreterItRuns() throws IOException {
    Path shim = tmp.resolve("python3-shim");
    Files.writeString(shim, "#!/bin/sh\nexec python3 \"$@\"\n");
    shim.toFile().setExecutable(true);

    String resolved = LocalPackageBuilder.pythonExecutable(shim.toString());

    assertThat(resolved).isNotEqualTo(shim.toString())
        .isEqualTo(Command.of("python3", "-c", "import sys; print(sys.executable)").run().stdout().strip());
    assertThat(Files.readAllBytes(Path.of(resolved))).as("an interpreter binary, not another script")
        .startsWith(new byte[] {0x7f, 'E', 'L', 'F'});
  }

  @Test
  void theSamePackageBuiltTwiceReusesTheFolder() {
    BuiltPackage first = builder.build("sebs-fn", pythonPackage(), Language.PYTHON, "");
    BuiltPackage second = builder.build("sebs-fn", pythonPackage(), Language.PYTHON, "");

    assertThat(first.reused()).isFalse();
    assertThat(second.reused()).isTrue();
    assertThat(second.directory()).isEqualTo(first.directory());
    assertThat(second.command()).isEqualTo(first.command());
  }

  @Test
  void anotherBuilderOnTheSameCacheReusesTheFolderToo() {
    BuiltPackage first = builder.build("sebs-fn", pythonPackage(), Language.PYTHON, "");

    BuiltPackage later = new LocalPackageBuilder(cache).build("sebs-fn", pythonPackage(), Language.PYTHON, "");

    assertThat(later.reused()).isTrue();
    assertThat(later.directory()).isEqualTo(first.directory());
  }

  @Test
  void aReusedFolderIsNotRewritten() throws IOException {
    BuiltPackage first = builder.build("sebs-fn", pythonPackage(), Language.PYTHON, "");
    Path scratch = first.directory().resolve("left-by-an-instance.txt");
    Files.writeString(scratch, "x");

    builder.build("sebs-fn", pythonPackage(), Language.PYTHON, "");

    assertThat(scratch).exists();
  }

  @Test
  void aChangedFileGivesADifferentFolder() throws IOException {
    BuiltPackage before = builder.build("sebs-fn", pythonPackage(), Language.PYTHON, "");
    Files.writeString(code.resolve("function.py"), "def handler(event):\n    return {'result': 42}\n");

    BuiltPackage after = builder.build("sebs-fn", pythonPackage(), Language.PYTHON, "");

    assertThat(after.reused()).isFalse();
    assertThat(after.directory()).isNotEqualTo(before.directory());
    assertThat(after.directory().resolve("function/function.py")).content().contains("42");
    assertThat(before.directory().resolve("function/function.py")).content().doesNotContain("42");
  }

  @Test
  void anotherFunctionNameGivesADifferentFolder() {
    BuiltPackage a = builder.build("sebs-a", pythonPackage(), Language.PYTHON, "");
    BuiltPackage b = builder.build("sebs-b", pythonPackage(), Language.PYTHON, "");

    assertThat(b.reused()).isFalse();
    assertThat(b.directory()).isNotEqualTo(a.directory());
  }

  @Test
  void anUnfinishedFolderIsRebuiltFromScratch() throws IOException {
    CodePackage pkg = pythonPackage();
    Path dir = cache.resolve("local/packages/sebs-fn-" + pkg.codeHash().substring(0, 16));
    Files.createDirectories(dir.resolve("function"));
    Files.writeString(dir.resolve("function/function.py"), "half written");
    Files.writeString(dir.resolve("debris.txt"), "from a crashed build");

    BuiltPackage built = builder.build("sebs-fn", pkg, Language.PYTHON, "");

    assertThat(built.reused()).isFalse();
    assertThat(dir.resolve("debris.txt")).doesNotExist();
    assertThat(dir.resolve("function/function.py")).content().startsWith("def handler");
  }

  @Test
  void aPythonPackageWithoutRealRequirementsGetsNoVirtualEnvironment() throws IOException {
    Files.writeString(code.resolve("requirements.txt"), "# nothing needed\n\n");

    BuiltPackage built = builder.build("sebs-fn", pythonPackage(), Language.PYTHON, "");

    assertThat(built.directory().resolve(".venv")).doesNotExist();
    assertThat(built.command()).containsExactly(LocalPackageBuilder.pythonExecutable("python3"), "handler.py");
  }

  @Test
  void aPythonPackageWithRequirementsGetsAVirtualEnvironmentAndRunsInIt() throws Exception {
    Files.writeString(code.resolve("requirements.txt"), "# templating helper\nmarkupsafe\n");

    BuiltPackage built = builder.build("sebs-venv", pythonPackage(), Language.PYTHON, "");

    Path venvPython = built.directory().resolve(".venv/bin/python");
    assertThat(venvPython).exists();
    assertThat(built.command()).containsExactly(venvPython.toString(), "handler.py");
    Command.Result imported = Command.of(venvPython.toString(), "-c", "import markupsafe; print('ok')")
        .timeout(Duration.ofMinutes(1)).run().orThrow("importing markupsafe");
    assertThat(imported.stdout().strip()).isEqualTo("ok");

    BuiltPackage again = builder.build("sebs-venv", pythonPackage(), Language.PYTHON, "");
    assertThat(again.reused()).isTrue();
    assertThat(again.command()).isEqualTo(built.command());
  }

  @Test
  void thePinsForThisPythonAreInstalledAsSebsDoesAndThePlainFileIsNot() throws Exception {
    String version = builder.runtimeVersion(Language.PYTHON, "");
    Files.writeString(code.resolve("requirements.txt"), "# nothing for every version, as in SeBS's 502.graph-mst\n");
    Files.writeString(code.resolve("requirements.txt." + version), "markupsafe\n");
    Files.writeString(code.resolve("requirements.txt.arm." + version), "sebs-never-installed-on-x86\n");

    CodePackage pinned = pythonPackage().forRuntime(Language.PYTHON, version, "x86_64");
    BuiltPackage built = builder.build("sebs-pins", pinned, Language.PYTHON, "");

    assertThat(version).matches("3\\.\\d+");
    Command.Result imported = Command.of(built.command().get(0), "-c", "import markupsafe; print('ok')")
        .timeout(Duration.ofMinutes(1)).run().orThrow("importing markupsafe");
    assertThat(imported.stdout().strip()).isEqualTo("ok");
  }

  @Test
  void aPinThePackageIndexCannotSatisfyIsAConfigurationErrorNamingPinAndFile() throws IOException {
    String version = builder.runtimeVersion(Language.PYTHON, "");
    Files.writeString(code.resolve("requirements.txt"), "");
    Files.writeString(code.resolve("requirements.txt." + version), "# pinned for this Python\nmarkupsafe==0.0.1\n");

    CodePackage pinned = pythonPackage().forRuntime(Language.PYTHON, version, "x86_64");

    assertThatThrownBy(() -> builder.build("sebs-bad-pin", pinned, Language.PYTHON, ""))
        .isInstanceOf(BenchmarkConfigurationException.class)
        .hasMessageStartingWith("pip install cannot install markupsafe==0.0.1, pinned as 'markupsafe==0.0.1' in "
            + code.resolve("requirements.txt." + version) + ": ")
        .hasMessageContaining("No matching distribution found for markupsafe==0.0.1")
        .hasMessageEndingWith("Change the pin to a version the package index has (or remove it), then run again.");
  }

  @Test
  void aNodePackageNpmCannotFindIsAConfigurationErrorNamingItsPin() throws IOException {
    Files.writeString(code.resolve("function.js"), "exports.handler = async (e) => e;\n");
    Files.writeString(code.resolve("package.json"),
        "{\"name\": \"fn\", \"dependencies\": {\"mustache\": \"99.0.0\"}}");

    assertThatThrownBy(() -> builder.build("sebs-bad-npm", CodePackage.assemble(NODE_WRAPPER, code),
        Language.NODEJS, ""))
        .isInstanceOf(BenchmarkConfigurationException.class)
        .hasMessageStartingWith("npm install cannot install mustache@99.0.0, pinned as '\"mustache\": \"99.0.0\"' in "
            + code.resolve("package.json") + ": No matching version found for mustache@99.0.0");
  }

  @Test
  void theRuntimeVersionIsWrittenAsSebsWritesIt() {
    assertThat(builder.runtimeVersion(Language.PYTHON, "3.11")).isEqualTo("3.11");
    assertThat(builder.runtimeVersion(Language.NODEJS, "")).matches("\\d+");
    assertThat(builder.runtimeVersion(Language.NODEJS, "20.1")).isEqualTo("20");
  }

  @Test
  void aMissingPythonInterpreterSaysHowToInstallIt() {
    assertThatThrownBy(() -> builder.build("sebs-fn", pythonPackage(), Language.PYTHON, "9.99"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("python9.99 is not on PATH, so python 9.99 functions cannot run locally.")
        .hasMessageContaining("apt-get install python3");
    assertThat(cache.resolve("local/packages")).as("nothing is built").doesNotExist();
  }

  @Test
  void aNodePackageRunsTheHandlerWithNode() throws IOException {
    Files.writeString(code.resolve("function.js"), "exports.handler = async (e) => e;\n");
    Files.writeString(code.resolve("package.json"), "{\"name\": \"fn\", \"dependencies\": {}}");

    BuiltPackage built = builder.build("sebs-node", CodePackage.assemble(NODE_WRAPPER, code), Language.NODEJS, "");

    assertThat(built.command()).containsExactly("node", "handler.js");
    assertThat(built.directory().resolve("function/node_modules")).doesNotExist();
  }

  @Test
  void aNodeVersionOtherThanTheOneOnPathIsRefusedNamingBoth() {
    assertThatThrownBy(() -> builder.build("sebs-node", CodePackage.assemble(NODE_WRAPPER, code), Language.NODEJS,
        "3"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Node.js 3 was requested but node on PATH is v")
        .hasMessageEndingWith(": remove languageVersion or put node 3 first on PATH");
  }

  @Test
  void deleteTreeRemovesATreeAndIgnoresAMissingOne() throws IOException {
    Path tree = tmp.resolve("tree");
    Files.createDirectories(tree.resolve("a/b"));
    Files.writeString(tree.resolve("a/b/f.txt"), "x");

    io.sebs.junit.process.Command.deleteTree(tree);
    io.sebs.junit.process.Command.deleteTree(tree);

    assertThat(tree).doesNotExist();
    assertThat(code).as("a sibling is untouched").isDirectory();
  }
}
