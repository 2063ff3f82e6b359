package io.sebs.junit.perf;

import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.docker.DockerColdStartComparison;
import io.sebs.junit.platform.docker.DockerEngine;
import io.sebs.junit.platform.docker.DockerJavaColdStartComparison;
import io.sebs.junit.platform.docker.DockerPlatform;
import io.sebs.junit.platform.docker.DockerSettings;
import io.sebs.junit.run.BenchmarkRun;
import java.util.Optional;

/**
 * Every figure of issue 16 from one command (README): {@link HarnessOverheadBenchmark}'s (the wire, the wrappers,
 * bursts, heap, cold starts by language and the memory recommendation, on the local platform, first, so its first
 * round trips are the JVM's first), then, when a Docker engine answers, the docker platform's: its cold start against
 * a bare {@code docker run} ({@link DockerColdStartComparison}), Java's cold start from the class-data-sharing archive
 * against a plain JVM and Python ({@link DockerJavaColdStartComparison}), and the memory recommendation again on
 * docker, where a function's CPU share grows with its memory as on Lambda, so the sweep has a real trade-off. Without
 * an engine the docker figures are skipped with the reason printed. A figure printer, not a test.
 *
 * <p>Arguments: HarnessOverheadBenchmark's {@code [pairs] [coldRepetitions] [warmup]}, then the docker rounds
 * ({@code sebs.perf.dockerRounds}, default 10).
 */
public final class AllHarnessFigures {

  private AllHarnessFigures() {}

  public static void main(String[] args) throws Exception {
    HarnessOverheadBenchmark.main(args);
    String rounds = String.valueOf(Integer.getInteger("sebs.perf.dockerRounds", 10));
    SebsConfig base = SebsConfig.fromSystemProperties();
    SebsConfig docker = new SebsConfig(key -> key.equals(SebsConfig.PLATFORM) ? Optional.of(DockerPlatform.NAME)
        : base.get(key));
    String host = DockerSettings.from(docker).host();
    if (!DockerEngine.available(host)) {
      System.out.println("-- docker figures skipped: no Docker engine answers at " + host + ". "
          + DockerEngine.HOW_TO_GET_ONE);
      return;
    }
    System.out.println("-- docker: the platform's cold start against docker run (010 Python)");
    DockerColdStartComparison.main(new String[] {rounds});
    System.out.println("-- docker: Java cold start from the class-data-sharing archive (010)");
    DockerJavaColdStartComparison.main(new String[] {rounds});
    try (BenchmarkRun run = new BenchmarkRun(docker)) {
      MemoryRecommendationFigures.print(run);
    }
  }
}
