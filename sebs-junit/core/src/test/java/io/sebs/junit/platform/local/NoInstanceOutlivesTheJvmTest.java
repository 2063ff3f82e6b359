package io.sebs.junit.platform.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whatever way the JVM ends, its function instances end with it: on a normal exit the shutdown hook
 * kills them; on a hard stop (no hooks) each wrapper exits when its stdin closes.
 */
class NoInstanceOutlivesTheJvmTest {

  @ParameterizedTest(name = "JVM ended by {0}")
  @ValueSource(strings = {"exit", "halt"})
  void instancesEndWithTheJvm(String howTheJvmEnds) throws Exception {
    Process child = new ProcessBuilder(InstancesOfAnEndedJvm.javaExecutable().toString(),
        "-cp", System.getProperty("java.class.path"),
        "-Dsebs.cache.dir=" + System.getProperty("sebs.cache.dir", "target/sebs-cache"),
        InstancesOfAnEndedJvm.class.getName(), howTheJvmEnds)
        .redirectErrorStream(true)
        .start();
    List<Long> pids = List.of();
    StringBuilder output = new StringBuilder();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        output.append(line).append('\n');
        if (line.startsWith("PIDS ")) {
          pids = Arrays.stream(line.substring(5).trim().split("\\s+")).map(Long::parseLong).toList();
        }
      }
    }
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(pids).as("instance pids printed by the child JVM; its output:\n%s", output).hasSize(4);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (pids.stream().anyMatch(NoInstanceOutlivesTheJvmTest::alive) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(pids).as("instances still running after the JVM ended by %s", howTheJvmEnds)
        .noneMatch(NoInstanceOutlivesTheJvmTest::alive);
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
