package io.sebs.junit.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sebs.junit.TimeMetric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A baseline is a results folder of an earlier run: its records are found by test name and platform, their
 * samples are the successful invocations' times, and a wrong folder is an error that says what to set.
 */
class BaselineResultsTest {

  @TempDir
  Path folder;

  /** A results JSON in ResultsWriter's layout, with the given (client, benchmark, failed) invocations. */
  static String results(String name, String platform, int memory, long[][] invocations) {
    StringBuilder byId = new StringBuilder();
    for (int i = 0; i < invocations.length; i++) {
      long[] inv = invocations[i];
      byId.append(i == 0 ? "" : ",").append("\"req-").append(i).append("\": {\"request_id\": \"req-").append(i)
          .append("\", \"times\": {\"client\": ").append(inv[0]).append(", \"benchmark\": ").append(inv[1])
          .append(", \"client_begin\": 1, \"begin\": 2, \"end\": 3}, \"provider_times\": {}, \"stats\": ")
          .append("{\"cold_start\": false, \"failure\": ").append(inv[2] == 1).append("}}");
    }
    return "{\"name\": \"" + name + "\", \"test_id\": \"[engine:junit-jupiter]/[class:x." + name + "]\", "
        + "\"experiment\": \"warm\", \"platform\": \"" + platform + "\", \"benchmark\": \"901.echo\", "
        + "\"language\": \"python\", \"size\": \"test\", \"memory\": " + memory + ", "
        + "\"_invocations\": {\"sebs-901-echo-python-" + memory + "\": {" + byId + "}}, \"_misclassified\": {}, "
        + "\"statistics\": {}}";
  }

  private void write(String file, String text) throws IOException {
    Files.writeString(folder.resolve(file), text);
  }

  @Test
  void findsTheTestsRecordWithTheSuccessfulInvocationsSamples() throws IOException {
    write("EchoTest.warm.json", results("EchoTest.warm", "local", 128,
        new long[][] {{1200, 800, 0}, {1300, 900, 0}, {30_000_000, 0, 1}, {1100, 700, 0}}));
    write("EchoTest.warm.csv", "request_id,...\n");
    write("EchoTest.warm.baseline.json", "{\"name\": \"EchoTest.warm\", \"comparisons\": []}");

    BaselineResults baseline = BaselineResults.load(folder, "sebs.baseline");
    BaselineResults.Match match = baseline.find("EchoTest.warm", "any", "local");

    assertThat(baseline.records()).hasSize(1);
    BaselineRecord record = match.record().orElseThrow();
    assertThat(record.samples(TimeMetric.CLIENT_TIME)).containsExactly(1200, 1300, 1100);
    assertThat(record.samples(TimeMetric.BENCHMARK_TIME)).containsExactly(800, 900, 700);
    assertThat(record.samples(TimeMetric.INIT_TIME)).isEmpty();
    assertThat(record.memoryMb()).isEqualTo(128);
    assertThat(record.source()).isEqualTo(folder.resolve("EchoTest.warm.json"));
    assertThat(record.differencesFrom("901.echo", "python", "test", 256)).containsExactly("memory 128 MB (now 256 MB)");
  }

  @Test
  void aSingleResultsFileIsABaselineToo() throws IOException {
    write("EchoTest.warm.json", results("EchoTest.warm", "local", 128, new long[][] {{1200, 800, 0}}));

    BaselineResults baseline = BaselineResults.load(folder.resolve("EchoTest.warm.json"), "sebs.baseline");

    assertThat(baseline.find("EchoTest.warm", "", "local").record()).isPresent();
  }

  @Test
  void aTestMissingFromTheBaselineIsAnOutcomeWithAReasonNotAnError() throws IOException {
    write("EchoTest.warm.json", results("EchoTest.warm", "local", 128, new long[][] {{1200, 800, 0}}));
    BaselineResults baseline = BaselineResults.load(folder, "sebs.baseline");

    BaselineResults.Match otherTest = baseline.find("EchoTest.cold", "", "local");
    BaselineResults.Match otherPlatform = baseline.find("EchoTest.warm", "", "aws");

    assertThat(otherTest.record()).isEmpty();
    assertThat(otherTest.reason()).startsWith("no baseline for EchoTest.cold on local in " + folder)
        .contains("it holds 1 result(s): EchoTest.warm")
        .endsWith("to create one, run this test and point sebs.baseline at that run's results folder");
    assertThat(otherPlatform.reason()).contains("has EchoTest.warm only on platform(s) [local], not on aws");
  }

  @Test
  void repeatedNamesAreToldApartByTheJUnitId() throws IOException {
    write("P.t.json", results("P.t", "local", 128, new long[][] {{1000, 1, 0}})
        .replace("[class:x.P.t]", "[class:x.P.t]/[invocation:#1]"));
    write("P.t-2.json", results("P.t", "local", 128, new long[][] {{2000, 1, 0}})
        .replace("[class:x.P.t]", "[class:x.P.t]/[invocation:#2]"));
    BaselineResults baseline = BaselineResults.load(folder, "sebs.baseline");

    BaselineRecord second = baseline.find("P.t", "[engine:junit-jupiter]/[class:x.P.t]/[invocation:#2]", "local")
        .record().orElseThrow();

    assertThat(second.samples(TimeMetric.CLIENT_TIME)).containsExactly(2000);
    assertThat(baseline.find("P.t", "unknown", "local").reason()).contains("2 results of P.t on local");
  }

  @Test
  void aFolderThatDoesNotExistIsAnErrorSayingWhatToSet() {
    assertThatThrownBy(() -> BaselineResults.load(folder.resolve("nope"), "sebs.baseline"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("sebs.baseline is " + folder.resolve("nope") + ", which does not exist: set "
            + "sebs.baseline to the results folder of an earlier run (<results dir>/<run id>");
  }

  @Test
  void aFolderWithoutResultsIsAnError() throws IOException {
    write("notes.txt", "nothing");
    write("other.json", "{\"not\": \"results\"}");

    assertThatThrownBy(() -> BaselineResults.load(folder, "sebs.baseline"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("sebs.baseline is " + folder + ", which holds no results JSON (no file with _invocations)");
  }

  @Test
  void aRunOfSeveralPlatformsIsReadFromItsPlatformFolders() throws IOException {
    Files.createDirectories(folder.resolve("local"));
    Files.createDirectories(folder.resolve("docker"));
    Files.writeString(folder.resolve("local/T.m.json"), results("T.m", "local", 128, new long[][] {{1000, 1, 0}}));
    Files.writeString(folder.resolve("docker/T.m.json"), results("T.m", "docker", 128, new long[][] {{3000, 1, 0}}));
    Files.writeString(folder.resolve("comparison.md"), "# Platforms side by side");

    BaselineResults baseline = BaselineResults.load(folder, "sebs.baseline");

    assertThat(baseline.find("T.m", "", "docker").record().orElseThrow().samples(TimeMetric.CLIENT_TIME))
        .containsExactly(3000);
    assertThat(baseline.find("T.m", "", "local").record().orElseThrow().samples(TimeMetric.CLIENT_TIME))
        .containsExactly(1000);
  }

  @Test
  void aRepeatedTestIsFoundWhereverItsPlatformStoodInTheList() throws IOException {
    String id = "[engine:junit-jupiter]/[class-template:x.P]/[class-template-invocation:#2]/[method:t()]";
    write("P.t.json", results("P.t", "docker", 128, new long[][] {{1000, 1, 0}})
        .replace("[engine:junit-jupiter]/[class:x.P.t]", id + "/[test-template-invocation:#1]"));
    write("P.t-2.json", results("P.t", "docker", 128, new long[][] {{2000, 1, 0}})
        .replace("[engine:junit-jupiter]/[class:x.P.t]", id + "/[test-template-invocation:#2]"));
    BaselineResults baseline = BaselineResults.load(folder, "sebs.baseline");

    String alone = id.replace("#2", "#1") + "/[test-template-invocation:#2]"; // a later run of docker alone
    assertThat(baseline.find("P.t", alone, "docker").record().orElseThrow().samples(TimeMetric.CLIENT_TIME))
        .containsExactly(2000);
  }

  @Test
  void theResultsRootInsteadOfARunFolderNamesTheRuns() throws IOException {
    Files.createDirectories(folder.resolve("20260101-100000-aaaaaa"));
    Files.createDirectories(folder.resolve("20260102-100000-bbbbbb"));
    Files.writeString(folder.resolve("20260101-100000-aaaaaa/T.m.json"), results("T.m", "local", 128, new long[0][]));
    Files.writeString(folder.resolve("20260102-100000-bbbbbb/T.m.json"), results("T.m", "local", 128, new long[0][]));

    assertThatThrownBy(() -> BaselineResults.load(folder, "sebs.baseline"))
        .hasMessageContaining("it holds run folders [20260101-100000-aaaaaa, 20260102-100000-bbbbbb]: point "
            + "sebs.baseline at one of them, e.g. " + folder.resolve("20260102-100000-bbbbbb"));
  }

  @Test
  void anUnreadableResultsFileNamesTheFile() throws IOException {
    write("Broken.json", "{\"name\": ");

    assertThatThrownBy(() -> BaselineResults.load(folder, "sebs.baseline"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot read results file " + folder.resolve("Broken.json"));
  }

  @Test
  void severalRunsNewestFirstArePooledPerTestWhenTheirConfigurationMatches() throws IOException {
    Path newest = Files.createDirectories(folder.resolve("run-3"));
    Path older = Files.createDirectories(folder.resolve("run-2"));
    Path otherMemory = Files.createDirectories(folder.resolve("run-1"));
    Files.writeString(newest.resolve("T.m.json"), results("T.m", "local", 128, new long[][] {{1000, 1, 0}}));
    Files.writeString(older.resolve("T.m.json"), results("T.m", "local", 128, new long[][] {{2000, 1, 0}, {2100, 1, 0}}));
    Files.writeString(otherMemory.resolve("T.m.json"), results("T.m", "local", 256, new long[][] {{9000, 1, 0}}));
    Files.writeString(older.resolve("Only.old.json"), results("Only.old", "local", 128, new long[][] {{5, 1, 0}}));

    BaselineResults baseline = BaselineResults.load(List.of(newest, older, otherMemory), "sebs.baseline");
    BaselineRecord pooled = baseline.find("T.m", "", "local").record().orElseThrow();

    assertThat(baseline.locations()).containsExactly(newest, older, otherMemory);
    assertThat(pooled.samples(TimeMetric.CLIENT_TIME)).containsExactly(1000, 2000, 2100); // not the 256 MB run's
    assertThat(pooled.runs()).isEqualTo(2);
    assertThat(pooled.source()).isEqualTo(newest.resolve("T.m.json"));
    assertThat(pooled.describeSource()).isEqualTo(newest.resolve("T.m.json") + " pooled with 1 earlier run(s)");
    assertThat(baseline.find("Only.old", "", "local").record().orElseThrow().runs()).isEqualTo(1);
    assertThat(baseline.find("Missing.m", "", "local").reason()).startsWith("no baseline for Missing.m on local in "
        + newest).endsWith("(nor in the 2 earlier baseline folder(s))");
  }
}
