package io.sebs.junit.platform.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;

import io.sebs.junit.platform.cloudflare.WorkersCompatibility.Row;
import io.sebs.junit.platform.cloudflare.WorkersCompatibility.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a failure on Workers becomes a row of the compatibility table: the messages below are the ones workerd, esbuild
 * and the platform give (seen in runs of the suite), and each must land on its reason, not on "fails".
 */
class WorkersCompatibilityTest {

  @Test
  void aNativeAddonIsANativePackageNamedByItsModule() {
    var finding = WorkersCompatibility.classify("function error: Error: Could not load the \"sharp\" module using the"
        + " linuxnull-x64 runtime undefined: No such module \"src/build/Release/sharp-linuxnull-x64.node\"");

    assertThat(finding.verdict()).isEqualTo(Verdict.NATIVE_PACKAGE);
    assertThat(finding.reason()).startsWith("sharp is native code");
  }

  @Test
  void whatTheSharpPolyfillLacksIsANativePackageNamingTheMissingCall() {
    var finding = WorkersCompatibility.classify("function error: Error: sharp: rotate() is not supported by"
        + " sebs-junit's Workers polyfill of sharp (Workers cannot load sharp's native code); it implements ...");

    assertThat(finding.verdict()).isEqualTo(Verdict.NATIVE_PACKAGE);
    assertThat(finding.reason()).isEqualTo("sharp is native code, and its Workers polyfill lacks rotate()");
  }

  @Test
  void aPythonBenchmarkIsALanguageWorkersCannotRunHereWithTheReason() {
    var finding = WorkersCompatibility.classify("010.sleep in python cannot run on cloudflare-local: it runs Node.js"
        + " benchmarks only (language = \"nodejs\"). Python Workers are planned (issue 15): workerd downloads ...");

    assertThat(finding.verdict()).isEqualTo(Verdict.LANGUAGE);
    assertThat(finding.reason()).contains("Pyodide", "not reachable here");
  }

  @Test
  void aSubProcessAndAMissingNodeApiAreToldApart() {
    assertThat(WorkersCompatibility.classify("Error: [unenv] child_process.spawn is not implemented yet!").verdict())
        .isEqualTo(Verdict.SUBPROCESS);
    var dgram = WorkersCompatibility.classify("Error: No such module \"node:dgram\".");
    assertThat(dgram.verdict()).isEqualTo(Verdict.NODE_API);
    assertThat(dgram.reason()).startsWith("node:dgram is not available in Workers (no UDP sockets)");
  }

  @Test
  void aHungRequestIsItsOwnVerdictAndWhatIsNotYetInTheLocalPlatformSaysSo() {
    assertThat(WorkersCompatibility.classify("Uncaught exception: ... The Workers runtime canceled this request because"
        + " it detected that your Worker's code had hung and would never generate a response.").verdict())
        .isEqualTo(Verdict.HANGS);
    assertThat(WorkersCompatibility.classify("CPU-time limits on cloudflare-local are planned (issue 15)").verdict())
        .isEqualTo(Verdict.NOT_YET);
  }

  @Test
  void aMessageNoRuleExplainsStaysUnclassifiedSoTheSuiteFails() {
    var finding = WorkersCompatibility.classify("function error: TypeError: cannot read properties of undefined");

    assertThat(finding.verdict()).isEqualTo(Verdict.FAILS);
    assertThat(finding.reason()).contains("cannot read properties of undefined");
  }

  @Test
  void theTableHasOneLinePerRowWithPipesEscaped() {
    String table = WorkersCompatibility.markdown(List.of(
        new Row("110.dynamic-html", "nodejs", Verdict.RUNS, ""),
        new Row("950.native-fixture", "nodejs", Verdict.NATIVE_PACKAGE, "a | b")));

    assertThat(table.lines()).containsExactly(
        "| Benchmark | Language | On Workers (cloudflare-local) | Why |",
        "|---|---|---|---|",
        "| 110.dynamic-html | nodejs | runs, output validated |  |",
        "| 950.native-fixture | nodejs | native package | a \\| b |");
  }
}
