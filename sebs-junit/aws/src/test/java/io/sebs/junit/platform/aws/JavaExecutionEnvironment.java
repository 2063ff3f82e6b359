package io.sebs.junit.platform.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Lambda execution environment for a Java function, as Lambda's managed Java runtime runs it: a JVM
 * of its own running the real runtime interface client (aws-lambda-java-runtime-interface-client, the
 * {@code AWSLambda} main class the java17/java21 runtimes start) in the unzipped package (its working
 * directory is the task root: classes there, jars in {@code lib/}), loading the handler string
 * {@code class::method}. The client fetches invocations from, and posts results to, the Lambda Runtime API
 * (GET /2018-06-01/runtime/invocation/next, POST .../{id}/response or .../{id}/error,
 * POST /2018-06-01/runtime/init/error), which this class serves on loopback. The JVM lives until
 * {@link #close()}, so warm requests reuse its loaded classes and static state as on Lambda.
 */
final class JavaExecutionEnvironment implements AutoCloseable {

  static final String RUNTIME_CLIENT = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
  /** One class from each jar the runtime interface client needs on its (system) classpath. */
  private static final List<String> RUNTIME_CLASSPATH_CLASSES = List.of(RUNTIME_CLIENT,
      "com.amazonaws.services.lambda.runtime.Context",
      "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
      "software.amazon.awssdk.utilslite.SdkInternalThreadLocal",
      "software.amazon.awssdk.annotations.SdkInternalApi");
  private static final String PREFIX = "/2018-06-01/runtime/";

  /** The runtime's answer to one invocation: the response body, or the error body and type. */
  record Outcome(boolean succeeded, String body, String errorType) {}

  private record Pending(String requestId, String event, CompletableFuture<Outcome> outcome) {}

  private final HttpServer runtimeApi;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "lambda-runtime-api");
    t.setDaemon(true);
    return t;
  });
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Map<String, Pending> inFlight = new ConcurrentHashMap<>();
  private final CompletableFuture<String> initError = new CompletableFuture<>();
  private final String functionArn;
  private final int timeoutSeconds;
  private final Path tmp;
  private final Path log;
  private final Process process;
  private volatile boolean closed;

  /**
   * Starts the runtime in {@code taskRoot} with the function's configuration variables and the ones
   * Lambda sets itself.
   */
  JavaExecutionEnvironment(Path taskRoot, Path tmp, String handler, String functionName, int memoryMb,
      int timeoutSeconds, Map<String, String> environment) throws IOException {
    this.functionArn = "arn:aws:lambda:us-east-1:123456789012:function:" + functionName;
    this.timeoutSeconds = timeoutSeconds;
    this.runtimeApi = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    runtimeApi.createContext(PREFIX, this::handle);
    runtimeApi.setExecutor(executor);
    runtimeApi.start();
    this.tmp = tmp;
    this.log = tmp.resolveSibling(tmp.getFileName() + ".log");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // as Lambda's Java runtimes: the heap sized from the memory, C1 only for a quick start
        "-Xmx" + Math.max(64, memoryMb * 85 / 100) + "m", "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC", "-Xshare:auto", "-cp", runtimeClasspath(), RUNTIME_CLIENT, handler));
    ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    builder.environment().put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + runtimeApi.getAddress().getPort());
    builder.environment().put("LAMBDA_TASK_ROOT", taskRoot.toString());
    builder.environment().put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memoryMb));
    builder.environment().put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    builder.environment().put("AWS_EXECUTION_ENV", "AWS_Lambda_java17");
    builder.environment().put("SEBS_TMP", tmp.toString());
    this.process = builder.start();
  }

  private static String runtimeClasspath() {
    List<String> jars = new ArrayList<>();
    for (String name : RUNTIME_CLASSPATH_CLASSES) {
      try {
        Class<?> type = Class.forName(name, false, JavaExecutionEnvironment.class.getClassLoader());
        jars.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
      } catch (ClassNotFoundException | URISyntaxException e) {
        throw new IllegalStateException("The Lambda runtime interface client's classpath lacks " + name
            + " (test dependency com.amazonaws:aws-lambda-java-runtime-interface-client)", e);
      }
    }
    return String.join(java.io.File.pathSeparator, jars);
  }

  /** Hands the event to the runtime and waits for its response, its error, or its death. */
  Outcome invoke(String requestId, String event) {
    Pending pending = new Pending(requestId, event, new CompletableFuture<>());
    inFlight.put(requestId, pending);
    queue.add(pending);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds + 60L);
    try {
      while (true) {
        if (initError.isDone()) {
          return new Outcome(false, initError.getNow(""), "Runtime.InitError");
        }
        try {
          return pending.outcome().get(50, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          if (!process.isAlive()) {
            return new Outcome(false, "{\"errorMessage\":\"the runtime exited with code " + process.exitValue()
                + "\"}", "Runtime.ExitError");
          }
          if (System.nanoTime() > deadline) {
            return new Outcome(false, "{\"errorMessage\":\"Task timed out\"}", "Sandbox.Timedout");
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      inFlight.remove(requestId);
    }
  }

  /** What the runtime and the function wrote to stdout and stderr so far. */
  String log() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The environment's /tmp (SEBS_TMP), which holds the wrapper's cold marker. */
  Path tmp() {
    return tmp;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  // ------------------------------------------------------------------------------- the Runtime API

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
      byte[] body = exchange.getRequestBody().readAllBytes();
      String method = exchange.getRequestMethod();
      if (method.equals("GET") && path.equals("invocation/next")) {
        next(exchange);
      } else if (method.equals("POST") && path.equals("init/error")) {
        initError.complete(new String(body, StandardCharsets.UTF_8));
        send(exchange, 202, "{\"status\":\"OK\"}");
      } else if (method.equals("POST") && path.startsWith("invocation/")) {
        String[] parts = path.split("/");
        Pending pending = parts.length == 3 ? inFlight.get(parts[1]) : null;
        if (pending == null) {
          send(exchange, 400, "{\"errorMessage\":\"unknown request id\",\"errorType\":\"InvalidRequestID\"}");
          return;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        switch (parts[2]) {
          case "response" -> pending.outcome().complete(new Outcome(true, text, null));
          case "error" -> pending.outcome().complete(new Outcome(false, text,
              String.valueOf(exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"))));
          default -> {
            send(exchange, 404, "{\"errorMessage\":\"not found\"}");
            return;
          }
        }
        send(exchange, 202, "{\"status\":\"OK\"}");
      } else {
        send(exchange, 404, "{\"errorMessage\":\"not part of the stub's Runtime API: " + method + " " + path + "\"}");
      }
    }
  }

  /** Long poll: blocks until an invocation is queued (or the environment closes, ending the runtime). */
  private void next(HttpExchange exchange) throws IOException {
    Pending pending = null;
    try {
      while (pending == null && !closed) {
        pending = queue.poll(200, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (pending == null) {
      send(exchange, 500, "{\"errorMessage\":\"environment shut down\"}");
      return;
    }
    long deadline = System.currentTimeMillis() + timeoutSeconds * 1000L;
    exchange.getResponseHeaders().set("Lambda-Runtime-Aws-Request-Id", pending.requestId());
    exchange.getResponseHeaders().set("Lambda-Runtime-Deadline-Ms", Long.toString(deadline));
    exchange.getResponseHeaders().set("Lambda-Runtime-Invoked-Function-Arn", functionArn);
    exchange.getResponseHeaders().set("Lambda-Runtime-Trace-Id",
        "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
            + UUID.randomUUID().toString().replace("-", "").substring(0, 24) + ";Sampled=0");
    send(exchange, 200, pending.event());
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }

  /** Ends the runtime's JVM and the Runtime API, as Lambda retires an environment. */
  @Override
  public void close() {
    closed = true;
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    runtimeApi.stop(0);
    executor.shutdownNow();
  }
}
