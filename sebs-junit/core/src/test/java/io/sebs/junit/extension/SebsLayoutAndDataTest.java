package io.sebs.junit.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.ServerlessBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;

/**
 * A benchmark written for SeBS (its input.py signature, its storage module, its event layout) runs
 * unchanged; {@code sebs.data.dir} switches input generation to a SeBS benchmarks-data folder; a
 * benchmark that needs a missing program says how to install it.
 */
class SebsLayoutAndDataTest {

  @TempDir
  Path results;

  static final Map<String, Invocation> SEEN = new ConcurrentHashMap<>();

  @ServerlessBenchmark("904.sebs-layout")
  static class SebsStyle {
    @Test
    void invoke(FunctionInvoker invoker) {
      SEEN.put("invocation", invoker.invoke());
    }
  }

  @ServerlessBenchmark("905.needs-tool")
  static class NeedsTool {
    @Test
    void invoke(FunctionInvoker invoker) {}
  }

  @Test
  void aSebsStyleBenchmarkRunsUnchangedWithGeneratedInput() {
    ExtensionTestKit.run(SebsStyle.class, results).assertStatistics(s -> s.failed(0));

    Invocation invocation = SEEN.get("invocation");
    assertThat(invocation.failed()).as("%s", invocation).isFalse();
    assertThat(invocation.output().path("text").asText()).isEqualTo("generated input");
    assertThat(invocation.output().path("key").asText()).startsWith("904.sebs-layout-0-output/generated.");
  }

  @Test
  void theDataDirectorySwitchesToRealDataSetsAndKeepsThem(@TempDir Path data) throws Exception {
    Path dir = Files.createDirectories(data.resolve("900.fixtures/904.sebs-layout"));
    Files.writeString(dir.resolve("real.txt"), "a real data set");

    ExtensionTestKit.run(SebsStyle.class, results, "sebs.data.dir", data.toString())
        .assertStatistics(s -> s.failed(0));

    assertThat(SEEN.get("invocation").output().path("text").asText()).isEqualTo("a real data set");
    assertThat(dir.resolve("real.txt")).as("data files are uploaded, never deleted").exists();
  }

  @Test
  void aMissingProgramIsNamedWithHowToInstallIt() {
    ExtensionTestKit.run(NeedsTool.class, results).assertThatEvents().haveAtLeastOne(finishedWithFailure(
        instanceOf(ExtensionConfigurationException.class),
        message(m -> m.contains("905.needs-tool needs sebs-no-such-tool, which is not on PATH")
            && m.contains("installed"))));
  }
}
