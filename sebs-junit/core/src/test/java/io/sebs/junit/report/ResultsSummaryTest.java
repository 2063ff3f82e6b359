package io.sebs.junit.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The summary table turns a run's result files into one Markdown row per measured test, in ms. */
class ResultsSummaryTest {

  @Test
  void oneRowPerResultFileFromTheNewestRun(@TempDir Path results) throws Exception {
    Path older = Files.createDirectories(results.resolve("20260101-000000-aaaaaa"));
    Path newer = Files.createDirectories(results.resolve("20260102-000000-bbbbbb"));
    Files.writeString(older.resolve("Old.test.json"), "{\"benchmark\": \"old\"}");
    Files.writeString(newer.resolve("SleepPythonTest.warm.json"), """
        {"name": "SleepPythonTest.warm", "_invocations": {}, "benchmark": "010.sleep", "language": "python", "experiment": "warm",
         "platform": "local", "statistics": {"invocations": 6, "successful": 5,
         "client_time": {"median": 1003456.0, "p95": 1010000.0, "median_ci": [1001000.0, 1005000.0]},
         "benchmark_time": {"median": 1000100.0}}}""");
    Files.writeString(newer.resolve("SleepPythonTest.cold.json"), """
        {"name": "SleepPythonTest.cold", "_invocations": {}, "benchmark": "010.sleep", "language": "python", "experiment": "cold",
         "platform": "local", "statistics": {"invocations": 3, "successful": 3,
         "client_time": {"median": 1250000.0, "p95": 1300000.0, "median_ci": null}}}""");

    String table = ResultsSummary.markdown(ResultsSummary.runDirectory(results));

    assertThat(table).startsWith("Results of 20260102-000000-bbbbbb (times in ms)");
    assertThat(table).contains(
        "| 010.sleep | python | cold | local | 3/3 | 1250.0 | n too small | 1300.0 | - | SleepPythonTest.cold |",
        "| 010.sleep | python | warm | local | 5/6 | 1003.5 | [1001.0, 1005.0] | 1010.0 | 1000.1 | SleepPythonTest.warm |");
    assertThat(table).doesNotContain("| old |");
  }

  @Test
  void aRunOfSeveralPlatformsHasARowPerTestAndPlatform(@TempDir Path results) throws Exception {
    Path run = results.resolve("20260103-000000-cccccc");
    for (String platform : new String[] {"local", "docker"}) {
      Files.createDirectories(run.resolve(platform));
      Files.writeString(run.resolve(platform).resolve("SleepPythonTest.warm.json"), """
          {"name": "SleepPythonTest.warm", "benchmark": "010.sleep", "language": "python", "experiment": "warm",
           "platform": "%s", "_invocations": {}, "statistics": {"invocations": 5, "successful": 5,
           "client_time": {"median": 1003456.0, "p95": 1010000.0, "median_ci": null}}}""".formatted(platform));
    }

    String table = ResultsSummary.markdown(ResultsSummary.runDirectory(results));

    assertThat(table).startsWith("Results of 20260103-000000-cccccc").contains("| warm | local | 5/5 |", "| warm | docker | 5/5 |");
  }
}
