package io.sebs.junit.platform.docker;

import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.stats.SampleStatistics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the class-data-sharing archive does to a Java container's cold start on the docker platform: 010.sleep (sleep
 * 0, its 128 MB, so a quarter CPU) in Java from the archive ({@code java_cds}, the default), Java as a plain JVM
 * ({@code java_plain}, a second run with {@value DockerSettings#JAVA_CDS}=false, the same package and image) and
 * Python, one cold call of each per round in a rotating order, so load on this shared machine hits them alike. Prints
 * the median client time and container start (until the wrapper listens) of each, the median of the per-round ratios
 * {@code java_cds_over_java_plain} and {@code java_cds_over_python}. A figure printer, not a test.
 *
 * <p>Run from the repository with an engine up (core from this checkout, not from the local Maven repository):
 * {@code mvn -B -q -o test-compile dependency:build-classpath -pl sebs-junit/docker -am
 * -Dmdep.outputFile=target/cp.txt && java -Dsebs.benchmarks.dir=$PWD/benchmarks -cp
 * sebs-junit/docker/target/test-classes:sebs-junit/docker/target/classes:$(cat sebs-junit/docker/target/cp.txt)
 * io.sebs.junit.platform.docker.DockerJavaColdStartComparison 10}; argument {@code [rounds]}, default 10.
 */
public final class DockerJavaColdStartComparison {

  private static final List<String> KINDS = List.of("java_cds", "java_plain", "python");

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    SebsConfig base = SebsConfig.fromSystemProperties();
    SebsConfig docker = new SebsConfig(key -> key.equals(SebsConfig.PLATFORM)
        ? Optional.of(DockerPlatform.NAME) : base.get(key));
    SebsConfig plain = new SebsConfig(key -> key.equals(DockerSettings.JAVA_CDS) ? Optional.of("false")
        : docker.get(key));
    try (BenchmarkRun run = new BenchmarkRun(docker); BenchmarkRun plainRun = new BenchmarkRun(plain)) {
      Map<String, FunctionInvoker> invokers = new LinkedHashMap<>();
      invokers.put("java_cds", run.prepare(run.spec("010.sleep", "java", "", "test", 0, 0)).invoker());
      invokers.put("java_plain", plainRun.prepare(plainRun.spec("010.sleep", "java", "", "test", 0, 0)).invoker());
      invokers.put("python", run.prepare(run.spec("010.sleep", "python", "", "test", 0, 0)).invoker());
      Map<String, double[]> client = new LinkedHashMap<>();
      Map<String, double[]> start = new LinkedHashMap<>();
      KINDS.forEach(k -> {
        client.put(k, new double[rounds]);
        start.put(k, new double[rounds]);
      });
      for (int r = 0; r < rounds; r++) {
        List<String> order = new ArrayList<>(KINDS);
        java.util.Collections.rotate(order, r);
        for (String kind : order) {
          FunctionInvoker fn = invokers.get(kind);
          fn.enforceColdStart();
          Invocation cold = fn.invoke(Map.of("sleep", 0));
          if (cold.failed() || !cold.isCold()) {
            throw new IllegalStateException(kind + ": expected a successful cold start: " + cold);
          }
          client.get(kind)[r] = cold.clientTime().toNanos() / 1e6;
          start.get(kind)[r] = cold.initTime().orElse(Duration.ZERO).toNanos() / 1e6;
        }
        System.out.printf("round %d: java_cds %.0f ms, java_plain %.0f ms, python %.0f ms%n", r + 1,
            client.get("java_cds")[r], client.get("java_plain")[r], client.get("python")[r]);
      }
      for (String kind : KINDS) {
        SampleStatistics s = SampleStatistics.of(client.get(kind));
        System.out.printf("docker_cold_010_%s_ms=%.1f (median of %d, min %.1f, max %.1f; container start until "
                + "listening %.1f ms)%n", kind, s.median(), rounds, s.min(), s.max(),
            SampleStatistics.of(start.get(kind)).median());
      }
      System.out.printf("java_cds_over_java_plain=%.2f (median of per-round ratios)%n",
          medianRatio(client.get("java_cds"), client.get("java_plain")));
      System.out.printf("java_cds_over_python=%.2f, java_plain_over_python=%.2f (median of per-round ratios)%n",
          medianRatio(client.get("java_cds"), client.get("python")),
          medianRatio(client.get("java_plain"), client.get("python")));
    }
  }

  private static double medianRatio(double[] a, double[] b) {
    double[] ratios = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      ratios[i] = a[i] / b[i];
    }
    return SampleStatistics.of(ratios).median();
  }
}
