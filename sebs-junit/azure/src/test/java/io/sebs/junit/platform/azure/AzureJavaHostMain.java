package io.sebs.junit.platform.azure;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The stand-in's Java worker: a JVM of its own that serves one HTTP function of a Java function app as Azure's
 * Java worker runs it (started by {@link AzureFunctionHost}; the Functions host itself cannot be installed here).
 *
 * <p>Usage: {@code java -cp <this class, azure-functions-java-library, its core library> AzureJavaHostMain
 * --app APP_ROOT --port N --function NAME --script JAR --entry CLASS.METHOD --methods POST[,GET]}: the values of
 * the function's function.json (scriptFile resolved against its folder), which the parent reads. Loading as the
 * worker does it: the script jar and every jar of {@code APP_ROOT/lib} in a class loader of their own whose parent
 * holds Azure's library (provided, shared with the function); the entry point is a public method, called on a new
 * instance of its class per invocation unless static, with an {@link HttpRequestMessage} (body as its declared type
 * argument: {@code Optional<String>}, {@code String}, {@code byte[]} or {@code Optional<byte[]>}) and an
 * {@link ExecutionContext} for the parameters of those types.
 *
 * <p>Serving: {@code /api/NAME} with the declared methods (405 otherwise, 404 elsewhere). The header
 * {@value AzureFunctionHost#INVOCATION_HEADER} carries the invocation id (a fresh uuid when absent) that
 * {@link ExecutionContext#getInvocationId()} returns. The returned {@link HttpResponseMessage} is the answer
 * (String bodies as UTF-8, byte[] as is); an exception answers 500 with "Exception: " and its stack trace (also on
 * stderr), and the JVM goes on serving. One invocation at a time. Listens on 127.0.0.1 only.
 */
public final class AzureJavaHostMain {

  private final String functionName;
  private final Method entry;
  private final List<String> methods;
  private final Type bodyType;

  private AzureJavaHostMain(String functionName, Method entry, List<String> methods) {
    this.functionName = functionName;
    this.entry = entry;
    this.methods = methods;
    Type body = String.class;
    for (Type parameter : entry.getGenericParameterTypes()) {
      if (parameter instanceof ParameterizedType p && p.getRawType() == HttpRequestMessage.class) {
        body = p.getActualTypeArguments()[0];
      }
    }
    this.bodyType = body;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    for (String required : List.of("app", "port", "function", "script", "entry")) {
      if (!options.containsKey(required)) {
        System.err.println("usage: AzureJavaHostMain --app DIR --port N --function NAME --script JAR --entry"
            + " CLASS.METHOD [--methods POST,GET] (missing --" + required + ")");
        System.exit(2);
      }
    }
    Path app = Path.of(options.get("app")).toAbsolutePath();
    List<URL> classPath = new ArrayList<>();
    classPath.add(Path.of(options.get("script")).toAbsolutePath().normalize().toUri().toURL());
    Path lib = app.resolve(AzurePackage.LIB);
    if (Files.isDirectory(lib)) {
      try (Stream<Path> jars = Files.list(lib)) {
        for (Path jar : (Iterable<Path>) jars.filter(p -> p.toString().endsWith(".jar")).sorted()::iterator) {
          classPath.add(jar.toUri().toURL());
        }
      }
    }
    ClassLoader loader = new URLClassLoader(classPath.toArray(URL[]::new), AzureJavaHostMain.class.getClassLoader());
    Thread.currentThread().setContextClassLoader(loader);
    String entryPoint = options.get("entry");
    int dot = entryPoint.lastIndexOf('.');
    if (dot < 0) {
      throw new IllegalArgumentException("entryPoint '" + entryPoint + "' is not CLASS.METHOD");
    }
    Class<?> type = Class.forName(entryPoint.substring(0, dot), true, loader);
    Method entry = null;
    for (Method m : type.getMethods()) {
      if (m.getName().equals(entryPoint.substring(dot + 1))) {
        entry = m;
      }
    }
    if (entry == null) {
      throw new NoSuchMethodException("The entryPoint " + entryPoint + " names no public method of " + type);
    }
    List<String> methods = new ArrayList<>();
    for (String m : options.getOrDefault("methods", "GET,POST").split(",")) {
      if (!m.isBlank()) {
        methods.add(m.strip().toUpperCase(Locale.ROOT));
      }
    }
    AzureJavaHostMain host = new AzureJavaHostMain(options.get("function"), entry, methods);
    int port = Integer.parseInt(options.get("port"));
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    server.createContext("/", host::serve);
    server.setExecutor(Executors.newSingleThreadExecutor());
    server.start();
    System.out.println("sebs azure host: serving api/" + host.functionName + " on 127.0.0.1:" + port);
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getPath().replaceAll("^/+|/+$", "");
      if (!path.equalsIgnoreCase("api/" + functionName)) {
        send(exchange, 404, Map.of("Content-Type", "text/plain"), ("no function at /" + path).getBytes(StandardCharsets.UTF_8));
        return;
      }
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      if (!methods.contains(method)) {
        send(exchange, 405, Map.of("Content-Type", "text/plain", "Allow", String.join(", ", methods)),
            (functionName + " does not accept " + method).getBytes(StandardCharsets.UTF_8));
        return;
      }
      String invocationId = Optional.ofNullable(exchange.getRequestHeaders().getFirst(AzureFunctionHost.INVOCATION_HEADER))
          .map(String::strip).filter(s -> !s.isEmpty()).orElseGet(() -> UUID.randomUUID().toString());
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(", ", v)));
      String host = headers.getOrDefault("host", "127.0.0.1");
      Request request = new Request(URI.create("http://" + host + exchange.getRequestURI()), HttpMethod.value(method),
          Collections.unmodifiableMap(headers), query(exchange.getRequestURI().getRawQuery()), body(body));
      Object result;
      try {
        Object target = Modifier.isStatic(entry.getModifiers()) ? null
            : entry.getDeclaringClass().getConstructor().newInstance();
        Object[] arguments = new Object[entry.getParameterCount()];
        Class<?>[] types = entry.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
          if (types[i] == HttpRequestMessage.class) {
            arguments[i] = request;
          } else if (types[i] == ExecutionContext.class) {
            arguments[i] = new Context(invocationId, functionName);
          }
        }
        result = entry.invoke(target, arguments);
      } catch (Throwable t) {
        Throwable cause = t instanceof InvocationTargetException && t.getCause() != null ? t.getCause() : t;
        StringWriter trace = new StringWriter();
        cause.printStackTrace(new PrintWriter(trace));
        System.err.println("Executed 'Functions." + functionName + "' (Failed, Id=" + invocationId + ")\n" + trace);
        send(exchange, 500, Map.of("Content-Type", "text/plain; charset=utf-8"),
            ("Exception: " + trace).getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (result instanceof HttpResponseMessage response) {
        send(exchange, response.getStatusCode(), response instanceof Response r ? r.headers : Map.of(),
            bytes(response.getBody()));
      } else if (result == null) {
        send(exchange, 204, Map.of(), new byte[0]);
      } else {
        send(exchange, 200, Map.of(), bytes(result));
      }
    }
  }

  private Object body(byte[] raw) {
    if (bodyType == byte[].class) {
      return raw;
    }
    if (bodyType instanceof ParameterizedType p && p.getRawType() == Optional.class) {
      if (raw.length == 0) {
        return Optional.empty();
      }
      return Optional.of(p.getActualTypeArguments()[0] == byte[].class ? raw : new String(raw, StandardCharsets.UTF_8));
    }
    return new String(raw, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(Object body) {
    if (body == null) {
      return new byte[0];
    }
    if (body instanceof byte[] b) {
      return b;
    }
    return String.valueOf(body).getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw != null && !raw.isEmpty()) {
      for (String pair : raw.split("&")) {
        String[] kv = pair.split("=", 2);
        query.putIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
            kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
      }
    }
    return Collections.unmodifiableMap(query);
  }

  private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
      throws IOException {
    headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The trigger's request, with a body of the entry point's declared type. */
  private record Request(URI getUri, HttpMethod getHttpMethod, Map<String, String> getHeaders,
      Map<String, String> getQueryParameters, Object getBody) implements HttpRequestMessage<Object> {

    @Override
    public HttpResponseMessage.Builder createResponseBuilder(HttpStatus status) {
      return new Builder().status(status);
    }

    @Override
    public HttpResponseMessage.Builder createResponseBuilder(HttpStatusType status) {
      return new Builder().status(status);
    }
  }

  private static final class Builder implements HttpResponseMessage.Builder {
    private HttpStatusType status = HttpStatus.OK;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Object body;

    @Override
    public HttpResponseMessage.Builder status(HttpStatusType status) {
      this.status = status;
      return this;
    }

    @Override
    public HttpResponseMessage.Builder header(String key, String value) {
      headers.put(key, value);
      return this;
    }

    @Override
    public HttpResponseMessage.Builder body(Object body) {
      this.body = body;
      return this;
    }

    @Override
    public HttpResponseMessage build() {
      return new Response(status, Collections.unmodifiableMap(new LinkedHashMap<>(headers)), body);
    }
  }

  private record Response(HttpStatusType getStatus, Map<String, String> headers, Object getBody)
      implements HttpResponseMessage {
    @Override
    public String getHeader(String key) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(key)).map(Map.Entry::getValue)
          .findFirst().orElse(null);
    }
  }

  private record Context(String getInvocationId, String getFunctionName) implements ExecutionContext {
    @Override
    public Logger getLogger() {
      return Logger.getLogger("Host.Function." + getFunctionName);
    }
  }
}
