package io.sebs.junit.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmarks written exactly in SeBS master's conventions run unchanged and pass their own validation:
 * {@code validate_output(data_dir, input_config, output, language, storage)} reading {@code
 * output.get('result')} (910 as 110.dynamic-html, 911 as 130.crud-api with allocate_nosql and nosql_func,
 * 912 as 010.sleep in Node.js with SeBS's bare package.json), dependencies only in {@code
 * requirements.txt.<python version>} (913 as 502.graph-mst), and a per-version pin no index satisfies is a
 * configuration error naming the pin and the file (914).
 */
class SebsConventionsTest {

  @TempDir
  Path results;

  static final Map<String, Measurements> SEEN = new ConcurrentHashMap<>();

  @ServerlessBenchmark(value = "910.sebs-html", language = "python")
  static class DynamicHtml {
    @Test
    @Warm(repetitions = 2, warmup = 1)
    void warm(Measurements m) {
      SEEN.put("910.sebs-html", m);
    }
  }

  @ServerlessBenchmark(value = "911.sebs-crud", language = "python")
  static class CrudApi {
    @Test
    @Warm(repetitions = 2, warmup = 1)
    void warm(Measurements m) {
      SEEN.put("911.sebs-crud", m);
    }
  }

  @ServerlessBenchmark(value = "912.sebs-sleep", language = "nodejs")
  static class SleepNodejs {
    @Test
    @Warm(repetitions = 2, warmup = 1)
    void warm(Measurements m) {
      SEEN.put("912.sebs-sleep", m);
    }
  }

  @ServerlessBenchmark(value = "912.sebs-sleep", language = "java")
  static class SleepJava {
    @Test
    @Warm(repetitions = 2, warmup = 1)
    void warm(Measurements m) {
      SEEN.put("912.sebs-sleep/java", m);
    }
  }

  @ServerlessBenchmark(value = "913.sebs-versioned-pins", language = "python")
  static class VersionedPins {
    @Test
    @Warm(repetitions = 2, warmup = 1)
    void warm(Measurements m) {
      SEEN.put("913.sebs-versioned-pins", m);
    }
  }

  @ServerlessBenchmark(value = "914.sebs-unsatisfiable-pin", language = "python")
  static class UnsatisfiablePin {
    @Test
    @Warm(repetitions = 1, warmup = 0)
    void warm(Measurements m) {}
  }

  private void runsAndPassesItsOwnValidation(Class<?> testClass, String benchmark) {
    ExtensionTestKit.run(testClass, results).assertStatistics(s -> s.failed(0));

    Measurements m = SEEN.get(benchmark);
    assertThat(m.invocations()).hasSize(2);
    assertThat(m.invocations()).as("validated by the benchmark's SeBS-style validate_output: %s", m.invocations())
        .noneMatch(Invocation::failed);
  }

  @Test
  void aPythonWebPageBenchmarkInSebsConventionsRunsAndValidates() {
    runsAndPassesItsOwnValidation(DynamicHtml.class, "910.sebs-html");
    assertThat(SEEN.get("910.sebs-html").invocations().get(0).output().asText()).contains("Hello fixture-user!");
  }

  @Test
  void aPythonNoSqlBenchmarkInSebsConventionsRunsAndValidates() {
    runsAndPassesItsOwnValidation(CrudApi.class, "911.sebs-crud");
    assertThat(SEEN.get("911.sebs-crud").invocations().get(0).output().path(1).path("copies").asInt()).isEqualTo(4);
  }

  @Test
  void aNodeSleepBenchmarkInSebsConventionsRunsAndValidates() {
    runsAndPassesItsOwnValidation(SleepNodejs.class, "912.sebs-sleep");
    assertThat(SEEN.get("912.sebs-sleep").invocations().get(0).output().asDouble()).isEqualTo(0.01);
  }

  @Test
  void aJavaSleepBenchmarkWhosePomTakesTheReleaseFromJavaVersionBuildsRunsAndValidates() {
    runsAndPassesItsOwnValidation(SleepJava.class, "912.sebs-sleep/java");
    assertThat(SEEN.get("912.sebs-sleep/java").invocations().get(0).output().asDouble()).isEqualTo(0.01);
  }

  @Test
  void dependenciesListedOnlyForThisPythonVersionAreInstalled() {
    runsAndPassesItsOwnValidation(VersionedPins.class, "913.sebs-versioned-pins");
  }

  @Test
  void aPerVersionPinNoIndexSatisfiesIsAConfigurationErrorNamingPinAndFile() {
    ExtensionTestKit.run(UnsatisfiablePin.class, results).assertThatEvents().haveAtLeastOne(finishedWithFailure(
        instanceOf(ExtensionConfigurationException.class),
        message(m -> m.contains("pip install cannot install markupsafe==0.0.1, pinned as 'markupsafe==0.0.1' in ")
            && m.matches("(?s).*900\\.fixtures/914\\.sebs-unsatisfiable-pin/python/requirements\\.txt\\.3\\.\\d+: .*")
            && m.contains("Change the pin"))));
  }
}
