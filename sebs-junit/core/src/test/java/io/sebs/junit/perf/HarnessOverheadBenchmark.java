package io.sebs.junit.perf;

import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.config.SebsConfig;
import io.sebs.junit.platform.DeployedFunction;
import io.sebs.junit.platform.local.LocalPlatform;
import io.sebs.junit.platform.local.PeakResidentSet;
import io.sebs.junit.run.BenchmarkRun;
import io.sebs.junit.run.PreparedFunction;
import io.sebs.junit.stats.SampleStatistics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Measures what the harness itself costs, against baselines taken in the same run:
 *
 * <ul>
 *   <li>The wire, in a fresh JVM: invocations of one warm instance of 010.sleep (sleep 0) through (a)
 *       {@link FunctionInvoker} (the pool's {@code InstanceConnection}), (b) a bare blocking socket writing
 *       the same HTTP/1.1 request by hand ({@link BlockingSocketClient}, the physical limit) and (c) the JDK
 *       HttpClient, interleaved in triples: medians of the first 300 triples ({@code first300_*}, target
 *       (a)/(b) &lt;= 1.2) and of {@code pairs} triples after {@code warmup} more; {@code
 *       harness_overhead_ratio} is (a)/(b) there (target &lt;= 1.05), {@code harness_http_client_ratio}
 *       (a)/(c).
 *   <li>{@code local_cold_start_ms}: median client time of cold invocations (a new wrapper process each),
 *       next to {@code bare_interpreter_start_ms}, the median time to run {@code python3 -c pass} with the
 *       interpreter python3 resolves to (as the local platform starts it, not through a version manager's shim).
 *   <li>{@code journal_append_us}: what writing one invocation to the series journal costs (JSON and one
 *       append to the file), the median of 2000 appends of a real warm invocation, and its share of the
 *       median warm invocation measured above. Like the memory read, it happens after the answer.
 *   <li>{@code memory_read_us}: what reading the instance's peak memory ({@code VmHWM} from /proc) costs
 *       per invocation, the median of 2000 reads of the warm instance. It happens after the answer arrived,
 *       so it is outside the client time, but it delays the next invocation of a sequential series.
 *   <li>{@code burst100_warm_send_spread_ms} (target &lt;= 10): 100 invocations of 010.sleep sleeping 50 ms,
 *       released together as {@code @Burst} releases them, on 100 warm instances: max - min of their client
 *       send instants (taken before the pool picks an instance), the median over 10 bursts, with the p50/p90
 *       of the sends' offsets from the first ({@link BurstAndHeapFigures}).
 *   <li>{@code burst100_warm_function_begin_spread_ms}: the same bursts' spread of the instances' own begin
 *       instants, what the functions saw of the release.
 *   <li>{@code burst100_warm_sleep0_send_spread_ms}: as the first, the function sleeping 0 ms, so the first
 *       instances answer while the last invocations are being released.
 *   <li>{@code burst100_release_only_send_spread_ms}: as the first against an invoker that only takes the
 *       send instant (no instance, no wire): the release alone.
 *   <li>{@code burst100_cold_send_spread_ms}: the first burst, which starts the 100 instances (the send
 *       instant precedes the start, so this is the release among starting processes).
 *   <li>{@code heap_after_1k_mb}: the heap in use after a full GC, during a warm series of a no-op
 *       (010.sleep, sleep 0) measured through {@code MeasureStep} as a {@code @Warm} test is (journal,
 *       results files, charts), after 1k measured invocations.
 *   <li>{@code heap_after_100k_mb}: the same after {@code sebs.perf.heapInvocations} (default 100,000).
 *   <li>{@code heap_100k_over_1k}: their ratio.
 * </ul>
 *
 * <p>Then {@link WrapperOverheadFigures} (the Python and Node.js wrappers against a bare server of their runtime),
 * {@link BurstAndHeapFigures}, and {@link ColdStartByLanguageBenchmark}'s figures: cold starts of 010 and 110 in Java (from the package's
 * class-data-sharing archive and as a plain JVM), Python and Node.js, interleaved, {@code coldRepetitions} rounds,
 * and {@link MemoryRecommendationFigures} (a perf-cost memory sweep and what the recommendation picks).
 *
 * <p>Run: {@code mvn -B -q -pl sebs-junit test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.sebs.junit.perf.HarnessOverheadBenchmark} (see README.md). Arguments:
 * {@code [pairs] [coldRepetitions] [warmup]}, default 500, 20 and 3000. Run it in a JVM of its own: the
 * first 300 round trips are only meaningful before anything else has warmed the wire. For the bursts it
 * sets {@code sebs.local.maxInstances} to 100 unless given.
 */
public final class HarnessOverheadBenchmark {

  public static void main(String[] args) throws Exception {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int colds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 3000;
    BurstAndHeapFigures.allowInstances(100);
    SebsConfig config = SebsConfig.fromSystemProperties();
    try (BenchmarkRun run = new BenchmarkRun(config)) {
      PreparedFunction prepared = run.prepare(run.spec("010.sleep", "python", "", "test", 0, 0));
      FunctionInvoker invoker = prepared.invoker();
      LocalPlatform platform = (LocalPlatform) run.platform();
      double warmMedianUs = warmOverhead(invoker, platform, prepared.deployed(), pairs, warmup);
      journalAppend(invoker, warmMedianUs);
      memoryRead(platform);
      coldStart(invoker, colds);
      WrapperOverheadFigures.print(run, pairs, warmup);
      BurstAndHeapFigures.print(run, prepared);
      SebsConfig plain = new SebsConfig(key -> key.equals(SebsConfig.LOCAL_JAVA_CDS) ? java.util.Optional.of("false")
          : config.get(key));
      try (BenchmarkRun plainRun = new BenchmarkRun(plain)) {
        ColdStartByLanguageBenchmark.print(run, plainRun, colds);
      }
      MemoryRecommendationFigures.print(run);
    }
  }

  /**
   * The three clients against one warm instance, interleaved in triples (the order rotates so none always
   * follows another): the first 300 triples of the JVM, then {@code warmup} more, then {@code pairs}
   * measured. Returns the harness's warm median in microseconds.
   */
  private static double warmOverhead(FunctionInvoker invoker, LocalPlatform platform, DeployedFunction fn, int pairs,
      int warmup) throws Exception {
    Map<String, Object> payload = Map.of("sleep", 0);
    byte[] body = "{\"sleep\":0}".getBytes(StandardCharsets.UTF_8);
    requireOk(invoker.invoke(payload)); // starts the instance: the cold start is not part of this
    URI endpoint = platform.idleEndpoints(fn).get(0);
    HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    int first = 300;
    double[][] firstTimes = new double[3][first];
    double[][] warmTimes = new double[3][pairs];
    try (BlockingSocketClient socket = new BlockingSocketClient(endpoint)) {
      for (int i = 0; i < first + warmup + pairs; i++) {
        double[] triple = new double[3];
        for (int k = 0; k < 3; k++) {
          int which = (i + k) % 3;
          triple[which] = switch (which) {
            case 0 -> requireOk(invoker.invoke(payload)).clientTime().toNanos() / 1000.0;
            case 1 -> socket.call(body);
            default -> httpClientCall(jdk, endpoint, body);
          };
        }
        for (int which = 0; which < 3; which++) {
          if (i < first) {
            firstTimes[which][i] = triple[which];
          } else if (i >= first + warmup) {
            warmTimes[which][i - first - warmup] = triple[which];
          }
        }
      }
    }
    if (!platform.idleEndpoints(fn).equals(java.util.List.of(endpoint))) {
      throw new IllegalStateException("the harness used another instance than the baselines: "
          + platform.idleEndpoints(fn));
    }
    System.out.printf("# first %d warm round trips of this JVM (median us): harness (a), bare blocking socket (b), "
        + "JDK HttpClient (c)%n", first);
    printTriple("first300", firstTimes);
    System.out.printf("first300_harness_socket_ratio=%.3f (target <= 1.2)%n",
        median(firstTimes[0]) / median(firstTimes[1]));
    System.out.printf("first300_harness_http_client_ratio=%.3f%n", median(firstTimes[0]) / median(firstTimes[2]));
    System.out.printf("# after %d more round trips each, %d interleaved triples (median us)%n", warmup, pairs);
    printTriple("warm", warmTimes);
    SampleStatistics h = SampleStatistics.of(warmTimes[0]);
    System.out.printf("harness_median_us=%.1f (p90 %.1f, median 95%% CI %s)%n", h.median(), h.percentile(90),
        h.medianInterval(0.95).map(Object::toString).orElse("n/a"));
    System.out.printf("harness_overhead_ratio=%.3f (harness over the bare blocking socket; target <= 1.05)%n",
        h.median() / median(warmTimes[1]));
    System.out.printf("harness_http_client_ratio=%.3f (harness over the JDK HttpClient)%n",
        h.median() / median(warmTimes[2]));
    return h.median();
  }

  private static void printTriple(String label, double[][] times) {
    String[] names = {"harness", "socket", "http_client"};
    for (int which = 0; which < 3; which++) {
      SampleStatistics s = SampleStatistics.of(times[which]);
      System.out.printf("%s_%s_median_us=%.1f (p90 %.1f, median 95%% CI %s)%n", label, names[which], s.median(),
          s.percentile(90), s.medianInterval(0.95).map(Object::toString).orElse("n/a"));
    }
  }

  private static double median(double[] values) {
    return SampleStatistics.of(values).median();
  }

  private static void journalAppend(FunctionInvoker invoker, double warmMedianUs) throws Exception {
    Invocation sample = requireOk(invoker.invoke(Map.of("sleep", 0)));
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("sebs-journal-bench");
    int appends = 2000;
    double[] micros = new double[appends];
    try (var journal = io.sebs.junit.report.InvocationJournal.create(dir.resolve("bench.jsonl"),
        new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("name", "bench"))) {
      for (int i = 0; i < appends; i++) {
        long t0 = System.nanoTime();
        journal.append("measured", sample);
        micros[i] = (System.nanoTime() - t0) / 1000.0;
      }
    }
    SampleStatistics s = SampleStatistics.of(java.util.Arrays.copyOfRange(micros, appends / 10, appends));
    System.out.printf("journal_append_us=%.1f (p90 %.1f; %.2f%% of the median warm invocation; median of %d after "
        + "%d warm-up)%n", s.median(), s.percentile(90), 100 * s.median() / warmMedianUs, s.count(), appends / 10);
  }

  private static void memoryRead(LocalPlatform platform) {
    long pid = platform.instancePids().get(0);
    int reads = 2000;
    double[] micros = new double[reads];
    double mb = 0;
    for (int i = 0; i < reads; i++) {
      long t0 = System.nanoTime();
      mb = PeakResidentSet.megabytes(pid);
      micros[i] = (System.nanoTime() - t0) / 1000.0;
    }
    SampleStatistics s = SampleStatistics.of(java.util.Arrays.copyOfRange(micros, reads / 10, reads));
    System.out.printf("memory_read_us=%.1f (p90 %.1f; VmHWM of pid %d = %.1f MB; median of %d after %d warm-up)%n",
        s.median(), s.percentile(90), pid, mb, s.count(), reads / 10);
  }

  private static void coldStart(FunctionInvoker invoker, int repetitions) throws Exception {
    Map<String, Object> payload = Map.of("sleep", 0);
    double[] cold = new double[repetitions];
    double[] init = new double[repetitions];
    double[] interpreter = new double[repetitions];
    // the interpreter python3 on PATH runs, as the local platform starts it (not a version manager's shim)
    Process ask = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
    String python = new String(ask.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
    ask.waitFor();
    for (int i = 0; i < repetitions; i++) {
      long t0 = System.nanoTime();
      Process p = new ProcessBuilder(python, "-c", "pass").start();
      p.waitFor();
      interpreter[i] = (System.nanoTime() - t0) / 1e6;
      invoker.enforceColdStart();
      Invocation c = requireOk(invoker.invoke(payload));
      if (!c.isCold()) {
        throw new IllegalStateException("expected a cold start: " + c);
      }
      cold[i] = c.clientTime().toNanos() / 1e6;
      init[i] = c.initTime().orElse(Duration.ZERO).toNanos() / 1e6;
    }
    System.out.printf("local_cold_start_ms=%.1f (median of %d; of which wrapper start until listening %.1f ms)%n",
        SampleStatistics.of(cold).median(), repetitions, SampleStatistics.of(init).median());
    System.out.printf("bare_interpreter_start_ms=%.1f (%s -c pass, median of %d)%n",
        SampleStatistics.of(interpreter).median(), python, repetitions);
  }

  private static double httpClientCall(HttpClient client, URI endpoint, byte[] body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(endpoint)
        .header("Content-Type", "application/json")
        .header("X-Request-Id", UUID.randomUUID().toString())
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    long t0 = System.nanoTime();
    HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    long micros = (System.nanoTime() - t0) / 1000;
    if (response.statusCode() != 200) {
      throw new IllegalStateException("bare call failed: HTTP " + response.statusCode());
    }
    return micros;
  }

  private static Invocation requireOk(Invocation invocation) {
    if (invocation.failed()) {
      throw new IllegalStateException("invocation failed: " + invocation);
    }
    return invocation;
  }
}
