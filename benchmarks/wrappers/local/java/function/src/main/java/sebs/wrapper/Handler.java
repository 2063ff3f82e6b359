package sebs.wrapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * sebs-junit local platform: HTTP wrapper around a Java benchmark function.
 *
 * <p>One wrapper process = one function instance. The package directory (the working directory) holds
 * the function's Maven project in {@code function/}: this wrapper's sources are compiled with the
 * benchmark's {@code function/src/main/java/function/Function.java}, which defines
 * {@code public static Object handler(Map<String, Object> event)} (it may declare {@code throws
 * Exception}); the platform starts {@code java -cp function/target/classes:function/target/dependency/*
 * sebs.wrapper.Handler}.
 *
 * <p>Protocol (kept identical to wrappers/local/python/handler.py and nodejs/handler.js):
 * <ul>
 *   <li>environment: SEBS_INSTANCE_DIR (scratch + cold marker), SEBS_FUNCTION_NAME (informational),
 *       SEBS_MEMORY_MB (applied by the platform as the JVM's -Xmx), SEBS_ENFORCE_MEMORY (ignored: the heap
 *       is always capped), SEBS_CLOCK_OFFSET_MS (added to every timestamp this wrapper reports).
 *       SEBS_TMP and the system property java.io.tmpdir are the instance directory.</li>
 *   <li>listens on 127.0.0.1:&lt;ephemeral&gt;, prints exactly "SEBS_LISTENING &lt;port&gt;" on stdout.</li>
 *   <li>exits as soon as stdin reaches EOF (the parent keeps it open and never writes to it).</li>
 *   <li>POST &lt;any path&gt; with a JSON event: 200 with begin/end/income_timestamp/is_cold/container_id/
 *       request_id/result{output[, measurement]}; 500 with error/traceback when the function throws
 *       (or returns something JSON cannot carry); 400 when the body is not JSON.
 *       GET /health: 200 {"status": "ok"}.</li>
 * </ul>
 *
 * <p>A returned map with a "result" key gives output = its "result" and measurement = its
 * "measurement" (when not null), as in SeBS; any other return value is the output itself.
 *
 * <p>Threads: the function always runs on the main thread, one invocation at a time (a queue feeds
 * it), and function.Function is loaded on the first request, so that request pays for class loading
 * and static initialisation, as the first import does in Python. HTTP connections are served by their
 * own threads ({@link HttpServer}: keep-alive, idle connections never closed by the server, TCP_NODELAY),
 * so an idle pooled connection never blocks a request arriving on another one.
 *
 * <p>Timestamps are epoch seconds as strings with exactly six fractional digits, from
 * {@link Instant#now()} (microsecond resolution or better on Linux since JDK 15), truncated to
 * microseconds with integer arithmetic.
 *
 * <p>Java 17+, JDK only (java.base).
 */
public final class Handler {

  static final String FUNCTION_CLASS = "function.Function";
  static final String COLD_MARKER_NAME = ".sebs-cold-marker";

  private static long clockOffsetNanos;
  private static Path coldMarker;
  private static Method handler;
  private static final BlockingQueue<Job> JOBS = new LinkedBlockingQueue<>();

  private Handler() {}

  public static void main(String[] args) throws Exception {
    clockOffsetNanos = clockOffsetNanos();
    Path instanceDir = instanceDir();
    coldMarker = instanceDir.resolve(COLD_MARKER_NAME);
    System.setProperty("java.io.tmpdir", instanceDir.toString());

    Thread stdinWatch = new Thread(Handler::exitOnStdinEof, "sebs-stdin-watch");
    stdinWatch.setDaemon(true);
    stdinWatch.start();

    HttpServer server = HttpServer.start(Handler::handle);
    System.out.println("SEBS_LISTENING " + server.port());
    System.out.flush();

    while (true) {
      JOBS.take().run();
    }
  }

  private static void fail(String message) {
    System.err.println("sebs wrapper: " + message);
    System.err.flush();
    System.exit(2);
  }

  private static long clockOffsetNanos() {
    String raw = env("SEBS_CLOCK_OFFSET_MS");
    if (raw.isEmpty()) {
      return 0;
    }
    try {
      return Math.round(Double.parseDouble(raw) * 1_000_000d);
    } catch (NumberFormatException e) {
      fail("SEBS_CLOCK_OFFSET_MS is not a number: '" + raw + "'");
      return 0;
    }
  }

  private static Path instanceDir() throws IOException {
    String raw = env("SEBS_INSTANCE_DIR");
    Path dir;
    if (raw.isEmpty()) {
      dir = Files.createTempDirectory("sebs-instance-");
      System.err.println("sebs wrapper: SEBS_INSTANCE_DIR not set, using " + dir);
    } else {
      dir = Path.of(raw).toAbsolutePath();
    }
    Files.createDirectories(dir);
    return dir;
  }

  private static String env(String name) {
    String value = System.getenv(name);
    return value == null ? "" : value.strip();
  }

  private static void exitOnStdinEof() {
    byte[] buffer = new byte[256];
    try {
      while (System.in.read(buffer) >= 0) {
        // the parent never writes; anything it does write is ignored
      }
    } catch (IOException e) {
      System.err.println("sebs wrapper: cannot watch stdin (" + e + "), parent death goes unnoticed");
      return;
    }
    Runtime.getRuntime().halt(0);
  }

  // -------------------------------------------------------------------------------- time and cold start

  static long nowNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano() + clockOffsetNanos;
  }

  /** Epoch nanoseconds to "seconds.micros" with exactly six digits (truncated to microseconds). */
  static String formatTimestamp(long nanos) {
    long micros = Math.floorDiv(nanos, 1000L);
    long seconds = Math.floorDiv(micros, 1_000_000L);
    long fraction = Math.floorMod(micros, 1_000_000L);
    String digits = Long.toString(fraction);
    return seconds + "." + "000000".substring(digits.length()) + digits;
  }

  /** (is_cold, container_id) from the instance's cold marker, creating it on first use. */
  private static Object[] coldStart() throws IOException {
    if (Files.exists(coldMarker)) {
      return new Object[] {false, Files.readString(coldMarker, StandardCharsets.UTF_8).strip()};
    }
    String containerId = UUID.randomUUID().toString().replace("-", "");
    Files.writeString(coldMarker, containerId, StandardCharsets.UTF_8);
    return new Object[] {true, containerId};
  }

  // -------------------------------------------------------------------------------- the function (main thread)

  private static Method loadFunction() throws ReflectiveOperationException {
    if (handler == null) {
      Class<?> type = Class.forName(FUNCTION_CLASS, true, Handler.class.getClassLoader());
      Method found = null;
      for (Method m : type.getMethods()) {
        if (m.getName().equals("handler") && Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 1
            && m.getParameterTypes()[0].isAssignableFrom(LinkedHashMap.class)) {
          found = m;
          break;
        }
      }
      if (found == null) {
        throw new NoSuchMethodException(FUNCTION_CLASS + " has no public static handler(Map<String, Object> event)");
      }
      handler = found;
    }
    return handler;
  }

  /** One invocation, from the raw request body to (HTTP status, response body). */
  static HttpServer.Response invoke(byte[] rawBody, String requestId, long incomeNanos) throws IOException {
    Object event;
    try {
      event = Json.parse(rawBody);
    } catch (IllegalArgumentException e) {
      return json(400, Map.of("error", "the request body is not valid JSON: " + e.getMessage()));
    }
    Object[] cold = coldStart();
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("begin", null);
    answer.put("end", null);
    answer.put("income_timestamp", formatTimestamp(incomeNanos));
    answer.put("is_cold", cold[0]);
    answer.put("container_id", cold[1]);
    answer.put("request_id", requestId);
    long begin = nowNanos();
    Object ret;
    try {
      ret = loadFunction().invoke(null, event);
    } catch (Throwable t) {
      long end = nowNanos();
      Throwable cause = t instanceof InvocationTargetException && t.getCause() != null ? t.getCause() : t;
      answer.put("begin", formatTimestamp(begin));
      answer.put("end", formatTimestamp(end));
      answer.put("error", describe(cause));
      answer.put("traceback", stackTrace(cause));
      return json(500, answer);
    }
    long end = nowNanos();
    answer.put("begin", formatTimestamp(begin));
    answer.put("end", formatTimestamp(end));
    Map<String, Object> result = new LinkedHashMap<>();
    if (ret instanceof Map && ((Map<?, ?>) ret).containsKey("result")) {
      Map<?, ?> map = (Map<?, ?>) ret;
      result.put("output", map.get("result"));
      if (map.get("measurement") != null) {
        result.put("measurement", map.get("measurement"));
      }
    } else {
      result.put("output", ret);
    }
    answer.put("result", result);
    try {
      return new HttpServer.Response(200, Json.write(answer));
    } catch (IllegalArgumentException | StackOverflowError e) {
      // The function returned something JSON cannot carry (an arbitrary object, NaN, a cycle, ...).
      answer.remove("result");
      answer.put("error", e.getClass().getSimpleName() + ": function result is not JSON-serializable: "
          + e.getMessage());
      answer.put("traceback", stackTrace(e));
      return json(500, answer);
    }
  }

  private static String describe(Throwable t) {
    return t.getMessage() == null ? t.getClass().getName() : t.getClass().getName() + ": " + t.getMessage();
  }

  private static String stackTrace(Throwable t) {
    StringWriter text = new StringWriter();
    t.printStackTrace(new PrintWriter(text));
    return text.toString();
  }

  private static HttpServer.Response json(int status, Object value) {
    return new HttpServer.Response(status, Json.write(value));
  }

  private static final class Job {
    final byte[] rawBody;
    final String requestId;
    final long incomeNanos;
    final CountDownLatch done = new CountDownLatch(1);
    volatile HttpServer.Response response;

    Job(byte[] rawBody, String requestId, long incomeNanos) {
      this.rawBody = rawBody;
      this.requestId = requestId;
      this.incomeNanos = incomeNanos;
    }

    void run() {
      try {
        response = invoke(rawBody, requestId, incomeNanos);
      } catch (Throwable t) { // the wrapper itself failed (e.g. the instance directory vanished)
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("income_timestamp", formatTimestamp(incomeNanos));
        body.put("request_id", requestId);
        body.put("error", "wrapper failure: " + describe(t));
        body.put("traceback", stackTrace(t));
        response = json(500, body);
      } finally {
        done.countDown();
      }
    }
  }

  // -------------------------------------------------------------------------------- HTTP (connection threads)

  private static HttpServer.Response handle(HttpServer.Request request) {
    String method = request.method();
    String path = request.path();
    if (method.equals("GET")) {
      String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
      if (trimmed.equals("/health")) {
        return new HttpServer.Response(200, "{\"status\": \"ok\"}".getBytes(StandardCharsets.UTF_8));
      }
      return json(404, Map.of("error", "not found: GET " + request.target() + " (use GET /health or POST an event)"));
    }
    if (!method.equals("POST")) {
      return json(405, Map.of("error", "method " + method + " not supported (use GET /health or POST an event)"));
    }
    String requestId = request.header("X-Request-Id");
    requestId = requestId == null || requestId.isBlank() ? UUID.randomUUID().toString() : requestId.strip();
    Job job = new Job(request.body(), requestId, request.incomeNanos());
    JOBS.add(job);
    try {
      job.done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return json(500, Map.of("error", "wrapper failure: interrupted while waiting for the function"));
    }
    return job.response;
  }
}
