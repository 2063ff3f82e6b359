package io.sebs.junit.perf;

import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Cold and warm calls of the fixture 901.echo in Node.js on the local platform (a new node wrapper process)
 * and on cloudflare-local (a new workerd process, so a new isolate), interleaved per repetition: the median
 * client time of cold and warm calls and the median instance start-up time of each platform. A figure
 * printer, not a test: start-up times depend on the machine.
 *
 * <p>Run from the repository (the test classpath of the core and this module, built in place):
 * <pre>
 * mvn -B -q -o test-compile dependency:build-classpath -pl sebs-junit/core,sebs-junit/cloudflare -am \
 *   -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Dsebs.cache.dir=$PWD/.sebs-cache -cp "sebs-junit/cloudflare/target/test-classes:sebs-junit/cloudflare/target/classes:\
 * sebs-junit/core/target/test-classes:sebs-junit/core/target/classes:$(cat sebs-junit/core/target/cp.txt)" \
 *   io.sebs.junit.perf.WorkerdColdStartComparison 30
 * </pre>
 */
public final class WorkerdColdStartComparison {

  private static final String[] PLATFORMS = {"local", "cloudflare-local"};

  public static void main(String[] args) throws Exception {
    int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Path results = Files.createTempDirectory("sebs-workerd-coldstart-");
    String cache = System.getProperty("sebs.cache.dir", Fixtures.cacheDir().toString());
    BenchmarkRun[] runs = new BenchmarkRun[PLATFORMS.length];
    try {
      FunctionInvoker[] fns = new FunctionInvoker[PLATFORMS.length];
      double[][][] samples = new double[PLATFORMS.length][3][repetitions];
      for (int p = 0; p < PLATFORMS.length; p++) {
        runs[p] = new BenchmarkRun(Fixtures.config(results, "sebs.platform", PLATFORMS[p], "sebs.cache.dir", cache));
        fns[p] = runs[p].prepare(runs[p].spec("901.echo", "nodejs", "", "test", 0, 0)).invoker();
        fns[p].invoke(); // packages built, caches warm
      }
      for (int i = 0; i < repetitions; i++) {
        for (int p = 0; p < PLATFORMS.length; p++) {
          record(fns[p], samples[p], i);
        }
      }
      for (int p = 0; p < PLATFORMS.length; p++) {
        print(PLATFORMS[p], samples[p]);
      }
    } finally {
      for (BenchmarkRun run : runs) {
        if (run != null) {
          run.close();
        }
      }
    }
  }

  /** One enforced cold call, then one warm call on the instance it started. */
  private static void record(FunctionInvoker fn, double[][] into, int i) {
    fn.enforceColdStart();
    Invocation cold = fn.invoke();
    Invocation warm = fn.invoke();
    if (cold.failed() || !cold.isCold() || warm.failed() || warm.isCold()) {
      throw new IllegalStateException("not a cold then a warm call: " + cold + ", " + warm);
    }
    into[0][i] = cold.clientTime().toNanos() / 1e6;
    into[1][i] = cold.initTime().orElseThrow().toNanos() / 1e6;
    into[2][i] = warm.clientTime().toNanos() / 1e6;
  }

  private static void print(String platform, double[][] samples) {
    System.out.printf("%-16s 901.echo nodejs, n=%d: cold client median %.1f ms (min %.1f, max %.1f), instance"
            + " start median %.1f ms, warm client median %.2f ms (min %.2f, max %.2f)%n", platform,
        samples[0].length, median(samples[0]), min(samples[0]), max(samples[0]), median(samples[1]),
        median(samples[2]), min(samples[2]), max(samples[2]));
  }

  private static double median(double[] values) {
    return new org.apache.commons.math3.stat.descriptive.rank.Median().evaluate(values);
  }

  private static double min(double[] values) {
    return Arrays.stream(values).min().orElse(0);
  }

  private static double max(double[] values) {
    return Arrays.stream(values).max().orElse(0);
  }
}
