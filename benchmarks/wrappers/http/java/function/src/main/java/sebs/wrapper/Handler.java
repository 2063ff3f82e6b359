package sebs.wrapper;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * sebs-junit local platform: HTTP wrapper around a Java benchmark function.
 *
 * <p>One wrapper process = one function instance. The package directory (the working directory) holds
 * the function's Maven project in {@code function/}: this wrapper's sources are compiled with the
 * benchmark's {@code function/src/main/java/function/Function.java}, which defines
 * {@code public static Object handler(Map<String, Object> event)}, or, as SeBS's Java benchmarks do, the
 * same method on an instance made once per instance with the public no-argument constructor (it may declare
 * {@code throws Exception}); the platform adds jackson-databind to the function's pom.xml (for the function's use:
 * this wrapper has JSON of its own, {@link Json}) and starts
 * {@code java -cp function/target/classes:function/target/dependency/* sebs.wrapper.Handler}.
 *
 * <p>Protocol (kept identical to wrappers/http/python/handler.py and nodejs/handler.js):
 * <ul>
 *   <li>environment: SEBS_INSTANCE_DIR (scratch + cold marker), SEBS_FUNCTION_NAME (informational),
 *       SEBS_MEMORY_MB (applied by the platform as the JVM's -Xmx), SEBS_ENFORCE_MEMORY (ignored: the heap
 *       is always capped), SEBS_CLOCK_OFFSET_MS (added to every timestamp this wrapper reports).
 *       SEBS_TMP and the system property java.io.tmpdir are the instance directory.</li>
 *   <li>listens on 127.0.0.1:&lt;ephemeral&gt;, prints exactly "SEBS_LISTENING &lt;port&gt;" on stdout.</li>
 *   <li>exits as soon as stdin reaches EOF (the parent keeps it open and never writes to it).</li>
 *   <li>SEBS_CDS_TRAINING=1: a class-data-sharing training run; loads what a cold start loads without running the
 *       function, then exits.</li>
 *   <li>POST &lt;any path&gt; with a JSON event: 200 with begin/end/income_timestamp/is_cold/container_id/
 *       request_id/result{output[, measurement]}; 500 with error/traceback when the function throws
 *       (or returns something JSON cannot carry); 400 when the body is not JSON.
 *       GET /health: 200 {"status": "ok"}.</li>
 * </ul>
 *
 * <p>A returned map with a "result" key gives output = its "result" and measurement = its
 * "measurement" (when not null), as in SeBS; any other return value is the output itself.
 *
 * <p>HTTP: {@link Http11Server} (as the Python wrapper, this wrapper speaks HTTP itself), a thread per connection,
 * every request answered on one single-thread executor, so the function runs one invocation at a time, always on
 * the same thread, and an idle pooled connection never blocks a request arriving on another one; TCP_NODELAY, idle
 * keep-alive connections are never closed by the server. function.Function is loaded on the first request, so that
 * request pays for class loading and static initialisation, as the first import does in Python.
 *
 * <p>JSON: {@link Json}, read and written as Jackson's untyped mapping did. Events are read as maps
 * (LinkedHashMap), lists, String, Boolean, null, Integer/Long/BigInteger and Double. Results may hold those,
 * arrays, records (as objects) and enums (their name); other objects (no bean introspection), NaN and
 * infinities are "not JSON-serializable".
 *
 * <p>The first request of a young JVM pays for every class and call site it links first, so the request path
 * (from the exchange to the answer's bytes) uses no lambdas or method references and no string concatenation
 * with {@code +} (each links through invokedynamic and spins method-handle classes, a millisecond or more each):
 * StringBuilder and named classes instead. Error paths may use either.
 *
 * <p>Timestamps are epoch seconds as strings with exactly six fractional digits, from
 * {@link Instant#now()} (microsecond resolution or better on Linux since JDK 15), truncated to
 * microseconds with integer arithmetic.
 */
public final class Handler {

  static final String FUNCTION_CLASS = "function.Function";
  static final String COLD_MARKER_NAME = ".sebs-cold-marker";

  private static final byte[] HEALTH = "{\"status\": \"ok\"}".getBytes(StandardCharsets.UTF_8);

  private static long clockOffsetNanos;
  private static Path coldMarker;
  private static Method handler;
  private static Object handlerTarget;

  private Handler() {}

  /** What to answer. */
  record Response(int status, byte[] body) {}

  public static void main(String[] args) throws Exception {
    clockOffsetNanos = clockOffsetNanos();
    Path instanceDir = instanceDir();
    coldMarker = instanceDir.resolve(COLD_MARKER_NAME);
    System.setProperty("java.io.tmpdir", instanceDir.toString());

    // one request at a time, always on this one thread: the function's thread
    Http11Server server = new Http11Server(64, new Routes(), Executors.newSingleThreadExecutor(new FunctionThread()));
    server.start();
    System.out.println(new StringBuilder("SEBS_LISTENING ").append(server.port()).toString());
    System.out.flush();

    if ("1".equals(env("SEBS_CDS_TRAINING"))) {
      train(server.port());
      System.exit(0); // not halt: the class-data-sharing archive is written as the JVM exits
    }
    exitOnStdinEof();
  }

  /** The HTTP server's route: every request goes to {@link #answer}. A class, not a method reference. */
  private static final class Routes implements Http11Server.Route {
    @Override
    public Response answer(Http11Server.Request request) {
      return Handler.answer(request);
    }
  }

  /** The function's one thread. A class, not a lambda. */
  private static final class FunctionThread implements ThreadFactory {
    @Override
    public Thread newThread(Runnable task) {
      return new Thread(task, "sebs-function");
    }
  }

  /**
   * The class-data-sharing training run the local platform makes once per package (SEBS_CDS_TRAINING=1, with
   * -XX:ArchiveClassesAtExit): loads what a cold start loads before the handler runs, the JSON code, the cold
   * marker's and the timestamps' code (in the training run's own instance folder), the HTTP server's request path
   * (on one kept-alive connection, GET /health and a POST whose body is not JSON, answered 400 without calling the
   * function), the function's class with its static initialization and its instance (as the
   * first invocation makes them); the handler itself is never called. A function whose set-up fails here (no
   * storage endpoint in the training run) is archived as far as it got.
   */
  private static void train(int port) throws Exception {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("income_timestamp", formatTimestamp(nowNanos()));
    answer.put("is_cold", coldStart()[0]);
    answer.put("result", Json.read("{\"a\": [1, 2.5, \"x\\n\", true, null, {}]}".getBytes(StandardCharsets.UTF_8)));
    Json.write(answer);
    try {
      loadFunction();
    } catch (Throwable t) {
      System.err.println("sebs wrapper: training stopped at the function's set-up: " + t);
    }
    try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setTcpNoDelay(true);
      socket.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n"
          + "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nX-Request-Id: training\r\n"
          + "Content-Length: 1\r\n\r\n{"
          + "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      socket.getInputStream().readAllBytes();
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

  /** Blocks the main thread until stdin reaches EOF, then ends the process. */
  private static void exitOnStdinEof() {
    byte[] buffer = new byte[256];
    try {
      while (System.in.read(buffer) >= 0) {
        // the parent never writes; anything it does write is ignored
      }
    } catch (IOException e) {
      System.err.println("sebs wrapper: cannot watch stdin (" + e + "), parent death goes unnoticed");
      return; // the server's non-daemon threads keep the process alive
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
    return new StringBuilder(24).append(seconds).append('.').append("000000", 0, 6 - digits.length()).append(digits)
        .toString();
  }

  /** (is_cold, container_id) from the instance's cold marker, creating it on first use. */
  private static Object[] coldStart() throws IOException {
    if (Files.exists(coldMarker)) {
      return new Object[] {false, Files.readString(coldMarker, StandardCharsets.UTF_8).strip()};
    }
    String containerId = randomHex();
    Files.writeString(coldMarker, containerId, StandardCharsets.UTF_8);
    return new Object[] {true, containerId};
  }

  /**
   * 32 random hexadecimal digits (128 bits, as a UUID's without its dashes) from /dev/urandom: UUID.randomUUID
   * would first set up SecureRandom and its providers, some 20-30 ms of a cold start.
   */
  private static String randomHex() {
    byte[] bytes;
    try (FileInputStream random = new FileInputStream("/dev/urandom")) {
      bytes = random.readNBytes(16);
    } catch (IOException e) {
      bytes = new byte[0];
    }
    if (bytes.length < 16) { // no /dev/urandom
      return UUID.randomUUID().toString().replace("-", "");
    }
    StringBuilder hex = new StringBuilder(32);
    for (byte b : bytes) {
      hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return hex.toString();
  }

  // -------------------------------------------------------------------------------- the function

  private static Method loadFunction() throws ReflectiveOperationException {
    if (handler == null) {
      Class<?> type = Class.forName(FUNCTION_CLASS, true, Handler.class.getClassLoader());
      Method found = null;
      for (Method m : type.getMethods()) {
        if (m.getName().equals("handler") && m.getParameterCount() == 1
            && m.getParameterTypes()[0].isAssignableFrom(LinkedHashMap.class)) {
          found = m;
          break;
        }
      }
      if (found == null) {
        throw new NoSuchMethodException(FUNCTION_CLASS + " has no public handler(Map<String, Object> event), "
            + "static or (as in SeBS's Java benchmarks) on an instance made with a public no-argument constructor");
      }
      // SeBS's Java functions are instances (one per execution environment); static handlers need none.
      handlerTarget = Modifier.isStatic(found.getModifiers()) ? null : type.getConstructor().newInstance();
      handler = found;
    }
    return handler;
  }

  /** One invocation, from the raw request body to (HTTP status, response body). */
  static Response invoke(byte[] rawBody, String requestId, long incomeNanos) throws IOException {
    Object event;
    try {
      event = Json.read(rawBody);
    } catch (Json.JsonReadException e) {
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
      ret = loadFunction().invoke(handlerTarget, event);
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
      return new Response(200, Json.write(answer));
    } catch (Json.JsonWriteException | StackOverflowError e) {
      // The function returned something JSON cannot carry (an arbitrary object, NaN, a cycle, ...).
      String message = e.getMessage();
      answer.remove("result");
      answer.put("error", e.getClass().getSimpleName() + ": function result is not JSON-serializable: " + message);
      answer.put("traceback", stackTrace(e));
      return json(500, answer);
    }
  }

  private static String describe(Throwable t) {
    String line = t.getMessage() == null ? t.getClass().getName() : t.getClass().getName() + ": " + t.getMessage();
    String where = userFrame(t);
    return where == null ? line : line + " (at " + where + ")";
  }

  /**
   * Where the benchmark's own code failed: the innermost frame of a class of its own (compiled from
   * function/, so loaded from where this wrapper was, which is compiled with it: a classes folder or the jar made of
   * it; not the wrappers' {@code sebs.*}, the JDK's or a dependency's),
   * searched from the root cause outwards, as "Function.java:12 in function.Function.handler"; null when
   * the failure never passed through it. Kept identical in the http and aws wrappers.
   */
  static String userFrame(Throwable t) {
    java.util.List<Throwable> chain = new java.util.ArrayList<>();
    for (Throwable c = t; c != null && !chain.contains(c); c = c.getCause()) {
      chain.add(0, c);
    }
    for (Throwable c : chain) {
      for (StackTraceElement frame : c.getStackTrace()) {
        if (isFunctionClass(frame.getClassName())) {
          return (frame.getFileName() == null ? frame.getClassName() : frame.getFileName()) + ":"
              + frame.getLineNumber() + " in " + frame.getClassName() + "." + frame.getMethodName();
        }
      }
    }
    return null;
  }

  private static boolean isFunctionClass(String name) {
    if (name.startsWith("sebs.") || name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
        || name.startsWith("sun.") || name.startsWith("com.sun.")) {
      return false;
    }
    try {
      java.security.CodeSource source = Class.forName(name, false, Handler.class.getClassLoader())
          .getProtectionDomain().getCodeSource();
      java.security.CodeSource own = Handler.class.getProtectionDomain().getCodeSource();
      return source != null && source.getLocation() != null && own != null
          && source.getLocation().equals(own.getLocation());
    } catch (ReflectiveOperationException | LinkageError | SecurityException e) {
      return false;
    }
  }

  private static String stackTrace(Throwable t) {
    StringWriter text = new StringWriter();
    t.printStackTrace(new PrintWriter(text));
    return text.toString();
  }

  private static Response json(int status, Object value) {
    try {
      return new Response(status, Json.write(value));
    } catch (Json.JsonWriteException e) { // only plain strings, maps and timestamps get here
      throw new IllegalStateException("cannot write the wrapper's own answer as JSON", e);
    }
  }

  // -------------------------------------------------------------------------------- HTTP (the function's thread)

  /** The answer to one request; never throws. */
  static Response answer(Http11Server.Request request) {
    try {
      return route(request);
    } catch (Throwable t) { // the wrapper itself failed (e.g. the instance directory vanished)
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("income_timestamp", formatTimestamp(request.incomeNanos()));
      body.put("error", "wrapper failure: " + describe(t));
      body.put("traceback", stackTrace(t));
      return json(500, body);
    }
  }

  private static Response route(Http11Server.Request request) {
    String method = request.method();
    if (method.equals("GET")) {
      String path = path(request.target());
      String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
      if ("/health".equals(trimmed)) {
        return new Response(200, HEALTH);
      }
      return json(404, Map.of("error", "not found: GET " + request.target()
          + " (use GET /health or POST an event)"));
    }
    if (!method.equals("POST")) {
      return json(405, Map.of("error", "method " + method + " not supported (use GET /health or POST an event)"));
    }
    String requestId = request.requestId();
    requestId = requestId == null || requestId.isBlank() ? UUID.randomUUID().toString() : requestId.strip();
    try {
      return invoke(request.body(), requestId, request.incomeNanos());
    } catch (Throwable t) { // the wrapper itself failed (e.g. the instance directory vanished)
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("income_timestamp", formatTimestamp(request.incomeNanos()));
      answer.put("request_id", requestId);
      answer.put("error", "wrapper failure: " + describe(t));
      answer.put("traceback", stackTrace(t));
      return json(500, answer);
    }
  }

  /** The path of a request target (origin form "/a?q", or absolute form "http://host/a?q"), without its query. */
  static String path(String target) {
    String path = target;
    int scheme = path.indexOf("://");
    if (scheme > 0 && !path.startsWith("/")) {
      int slash = path.indexOf('/', scheme + 3);
      path = slash < 0 ? "/" : path.substring(slash);
    }
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    int fragment = path.indexOf('#');
    return fragment >= 0 ? path.substring(0, fragment) : path;
  }
}
