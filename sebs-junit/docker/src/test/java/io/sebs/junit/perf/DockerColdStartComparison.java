package io.sebs.junit.perf;

import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Cold starts of the fixture 901.echo (python) on the local platform (a new wrapper process) and on the
 * docker platform (a new container), interleaved per repetition, with the median client time and the
 * median instance start-up time of each. Needs a Docker engine and the base images (.ci/docker-setup).
 *
 * <p>Run: {@code mvn -B -q -pl sebs-junit test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.sebs.junit.perf.DockerColdStartComparison -Dexec.args=10} (from sebs-junit's
 * folder the fixture catalogue resolves).
 */
public final class DockerColdStartComparison {

  public static void main(String[] args) throws Exception {
    int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    Path results = Files.createTempDirectory("sebs-coldstart-");
    try (BenchmarkRun local = new BenchmarkRun(Fixtures.config(results, "sebs.platform", "local"));
        BenchmarkRun docker = new BenchmarkRun(Fixtures.config(results, "sebs.platform", "docker"))) {
      FunctionInvoker onLocal = local.prepare(local.spec("901.echo", "python", "", "test", 0, 0)).invoker();
      FunctionInvoker onDocker = docker.prepare(docker.spec("901.echo", "python", "", "test", 0, 0)).invoker();
      onLocal.invoke();
      onDocker.invoke();
      double[][] local1 = new double[2][repetitions];
      double[][] docker1 = new double[2][repetitions];
      for (int i = 0; i < repetitions; i++) {
        record(onLocal, local1, i);
        record(onDocker, docker1, i);
      }
      print("local ", local1);
      print("docker", docker1);
    }
  }

  private static void record(FunctionInvoker fn, double[][] into, int i) {
    fn.enforceColdStart();
    Invocation cold = fn.invoke();
    if (cold.failed() || !cold.isCold()) {
      throw new IllegalStateException("not a successful cold start: " + cold);
    }
    into[0][i] = cold.clientTime().toNanos() / 1e6;
    into[1][i] = cold.initTime().orElseThrow().toNanos() / 1e6;
  }

  private static void print(String platform, double[][] samples) {
    System.out.printf("%s cold start, 901.echo python, n=%d: median client %.0f ms, median instance start %.0f ms"
        + " (client min %.0f, max %.0f)%n", platform, samples[0].length, median(samples[0]), median(samples[1]),
        Arrays.stream(samples[0]).min().orElse(0), Arrays.stream(samples[0]).max().orElse(0));
  }

  private static double median(double[] values) {
    return new org.apache.commons.math3.stat.descriptive.rank.Median().evaluate(values);
  }
}
