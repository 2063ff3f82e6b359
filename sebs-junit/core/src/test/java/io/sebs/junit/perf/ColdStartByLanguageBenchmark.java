package io.sebs.junit.perf;

import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.stats.SampleStatistics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cold starts of the same benchmarks in Java, Python and Node.js on the platform of the run (local by default),
 * interleaved (one cold call of each language per round, so load on this shared machine hits them alike): prints the
 * median client time and wrapper start (until listening) per benchmark and language, and {@code
 * java_over_python_cold_<benchmark>=...}, the figure the Java target is stated in (issue 16: Java &lt;= 2x Python).
 * Java runs twice: from its class-data-sharing archive (the default) and as a plain JVM ({@code java_plain}, a
 * second run with {@code sebs.local.javaCds=false}), so before and after are measured side by side.
 * Payloads: 010.sleep with sleep 0, 110.dynamic-html with its test input.
 *
 * <p>Run: see README ("Harness overhead"); arguments {@code [rounds]}, default 15.
 */
public final class ColdStartByLanguageBenchmark {

  private static final List<String> BENCHMARKS = List.of("010.sleep", "110.dynamic-html");
  /** Java from its class-data-sharing archive, Java as a plain JVM (the same package), Python, Node.js. */
  private static final List<String> LANGUAGES = List.of("java", "java_plain", "python", "nodejs");

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    SebsConfig config = SebsConfig.fromSystemProperties();
    SebsConfig plain = new SebsConfig(key -> key.equals(SebsConfig.LOCAL_JAVA_CDS) ? Optional.of("false")
        : config.get(key));
    try (BenchmarkRun run = new BenchmarkRun(config); BenchmarkRun plainRun = new BenchmarkRun(plain)) {
      print(run, plainRun, rounds);
    }
  }

  /** Measures and prints; {@code plainRun} runs Java without the archive ({@code sebs.local.javaCds=false}). */
  static void print(BenchmarkRun run, BenchmarkRun plainRun, int rounds) {
    for (String benchmark : BENCHMARKS) {
      Map<String, FunctionInvoker> invokers = new LinkedHashMap<>();
      for (String language : LANGUAGES) {
        BenchmarkRun r = language.equals("java_plain") ? plainRun : run;
        String id = language.equals("java_plain") ? "java" : language;
        invokers.put(language, r.prepare(r.spec(benchmark, id, "", "test", 0, 0)).invoker());
      }
      Map<String, double[]> client = new LinkedHashMap<>();
      Map<String, double[]> start = new LinkedHashMap<>();
      invokers.keySet().forEach(l -> {
        client.put(l, new double[rounds]);
        start.put(l, new double[rounds]);
      });
      for (int r = 0; r < rounds; r++) {
        for (Map.Entry<String, FunctionInvoker> e : invokers.entrySet()) {
          FunctionInvoker fn = e.getValue();
          fn.enforceColdStart();
          Invocation cold = benchmark.equals("010.sleep") ? fn.invoke(Map.of("sleep", 0)) : fn.invoke();
          if (cold.failed() || !cold.isCold()) {
            throw new IllegalStateException(benchmark + " " + e.getKey() + ": expected a successful cold start: " + cold);
          }
          client.get(e.getKey())[r] = cold.clientTime().toNanos() / 1e6;
          start.get(e.getKey())[r] = cold.initTime().orElse(Duration.ZERO).toNanos() / 1e6;
        }
      }
      String slug = benchmark.substring(0, benchmark.indexOf('.'));
      for (String language : LANGUAGES) {
        System.out.printf("cold_%s_%s_ms=%.1f (median of %d; wrapper start until listening %.1f ms)%n", slug, language,
            SampleStatistics.of(client.get(language)).median(), rounds, SampleStatistics.of(start.get(language)).median());
      }
      double python = SampleStatistics.of(client.get("python")).median();
      System.out.printf("java_over_python_cold_%s=%.2f (target <= 2; a plain JVM: %.2f)%n", slug,
          SampleStatistics.of(client.get("java")).median() / python,
          SampleStatistics.of(client.get("java_plain")).median() / python);
    }
  }
}
