package io.sebs.junit.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.experiment.Experiment;
import io.sebs.junit.run.ExperimentScope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Experiments are parameters: any {@link Experiment} type with a {@code public static create(ExperimentScope)}
 * is built by the extension for the test's benchmark, with the run and the prepared function in scope.
 */
class ExperimentInjectionTest {

  @TempDir
  Path results;

  static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

  /** A minimal experiment: invokes the function once and writes what it saw as a result file. */
  public static final class OneShot implements Experiment {
    private final ExperimentScope scope;

    private OneShot(ExperimentScope scope) {
      this.scope = scope;
    }

    public static OneShot create(ExperimentScope scope) {
      return new OneShot(scope);
    }

    Path run() {
      var invocation = scope.function().invoker().invoke();
      return scope.writeResult("oneshot.txt", "text/plain", "failed=" + invocation.failed());
    }
  }

  /** Marked as an experiment but without the factory the extension needs. */
  public static final class NoFactory implements Experiment {}

  @ServerlessBenchmark(value = "901.echo", language = "python")
  static class UsesAnExperiment {
    @Test
    void experiment(OneShot experiment) {
      SEEN.put("file", experiment.run());
      SEEN.put("scope", experiment.scope);
    }
  }

  @ServerlessBenchmark(value = "901.echo", language = "python")
  static class UsesAnExperimentWithoutFactory {
    @Test
    void experiment(NoFactory experiment) {}
  }

  @io.sebs.junit.Platform("local")
  static class ExperimentWithoutBenchmark {
    @Test
    void experiment(OneShot experiment) {}
  }

  @Test
  void anExperimentIsBuiltForTheTestsBenchmarkAndWritesIntoTheRunsResults() throws Exception {
    ExtensionTestKit.run(UsesAnExperiment.class, results).assertThatEvents()
        .haveExactly(1, event(test(), finishedSuccessfully()));

    ExperimentScope scope = (ExperimentScope) SEEN.get("scope");
    assertThat(scope.testName()).isEqualTo("UsesAnExperiment.experiment");
    assertThat(scope.function().spec().benchmark().id()).isEqualTo("901.echo");
    Path file = (Path) SEEN.get("file");
    assertThat(file.getFileName().toString()).isEqualTo("UsesAnExperiment.experiment.oneshot.txt");
    assertThat(file).startsWith(results);
    assertThat(Files.readString(file)).isEqualTo("failed=false");
  }

  @Test
  void anExperimentTypeWithoutAFactoryFailsNamingTheMissingMethod() {
    ExtensionTestKit.run(UsesAnExperimentWithoutFactory.class, results).assertThatEvents().haveExactly(1,
        event(test(), finishedWithFailure(message(m -> m.contains("create(ExperimentScope)")))));
  }

  @Test
  void anExperimentWithoutABenchmarkFailsWithTheAnnotationToAdd() {
    ExtensionTestKit.run(ExperimentWithoutBenchmark.class, results).assertThatEvents().haveExactly(1,
        event(test(), finishedWithFailure(message(m -> m.contains("@ServerlessBenchmark")))));
  }
}
