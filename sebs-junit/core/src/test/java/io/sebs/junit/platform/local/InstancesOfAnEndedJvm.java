package io.sebs.junit.platform.local;

import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A child JVM for {@link NoInstanceOutlivesTheJvmTest}: starts Python and Node.js instances, prints their
 * pids, then ends without closing the run, by {@code System.exit} (shutdown hooks run) or
 * {@code Runtime.halt} (nothing runs: the instances must notice their stdin closing).
 */
public final class InstancesOfAnEndedJvm {

  public static void main(String[] args) throws Exception {
    BenchmarkRun run = new BenchmarkRun(Fixtures.config(Files.createTempDirectory("sebs-orphans")));
    for (String language : new String[] {"python", "nodejs"}) {
      FunctionInvoker fn = run.prepare(run.spec("901.echo", language, "", "test", 0, 0)).invoker();
      Thread other = new Thread(() -> fn.invoke(Map.of("sleep", 0.3)));
      other.start();
      fn.invoke(Map.of("sleep", 0.3));
      other.join();
    }
    System.out.println("PIDS " + ((LocalPlatform) run.platform()).instancePids().toString()
        .replaceAll("[\\[\\],]", ""));
    System.out.flush();
    if (args.length > 0 && args[0].equals("halt")) {
      Runtime.getRuntime().halt(0);
    }
    System.exit(0);
  }

  private InstancesOfAnEndedJvm() {}

  static Path javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }
}
