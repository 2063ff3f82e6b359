package sebs.wrapper;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.std.BeanSerializerBase;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.security.CodeSource;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * sebs-junit Azure Functions wrapper for a Java benchmark function (function "handler", entry point
 * {@code sebs.wrapper.AzureHandler.run}).
 *
 * <p>The app root holds {@code host.json}, {@code handler/function.json} (an HTTP trigger "req", POST, authLevel
 * function, the HTTP answer as $return, {@code scriptFile ../function.jar}), {@code function.jar} with this class
 * and the benchmark's {@code function.Function} (with {@code public static Object handler(Map<String, Object>
 * event)}, or the same method on an instance made with the public no-argument constructor, as SeBS's Java
 * benchmarks have it), and {@code lib/} with the jars of its runtime dependencies, jackson-databind among them.
 * Azure's Java library (azure-functions-java-library) is provided by the Java worker and not packaged. The
 * annotations below say the same as function.json, for tools that generate it.
 *
 * <p>Every answer follows the function contract of the other sebs-junit wrappers: begin/end/
 * income_timestamp (epoch seconds, six fractional digits), is_cold, container_id, request_id (the Azure
 * invocation id, {@link ExecutionContext#getInvocationId()}), result{output[, measurement]}, and on the cold
 * answer init_begin (the JVM's start, so the platform can report the init time). An exception of the function,
 * or a result JSON cannot carry, becomes error/traceback in a normal 200 answer, so the client records a failed
 * invocation with its reason rather than the host's 500; a body that is not a JSON event gets 400. A returned map
 * with a "result" key gives output = its "result" and measurement = its "measurement" (when not null), as in
 * SeBS.
 *
 * <p>An instance runs one Java worker (one JVM), so the cold answer is the first one it gives and the container
 * id is made once per JVM; the state is static because the worker may make an instance of this class per
 * invocation. function.Function is loaded on the first request, so that request pays for its class loading and
 * static initialisation, as the first import does in the Python wrapper.
 */
public final class AzureHandler {

  static final String FUNCTION_CLASS = "function.Function";

  /** Plain JSON only: no bean introspection, no NaN or infinities (as the other Java wrappers). */
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .addModule(new SimpleModule("sebs-plain-json")
          .setSerializerModifier(new NoBeans())
          .addSerializer(Double.class, new FiniteNumber<>())
          .addSerializer(double.class, new FiniteNumber<>())
          .addSerializer(Float.class, new FiniteNumber<>())
          .addSerializer(float.class, new FiniteNumber<>()))
      .build();

  private static final String CONTAINER_ID = UUID.randomUUID().toString().replace("-", "");
  private static final AtomicBoolean SERVED = new AtomicBoolean();

  private static Method function;
  private static Object functionTarget;

  @FunctionName("handler")
  public HttpResponseMessage run(
      @HttpTrigger(name = "req", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.FUNCTION)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) throws IOException {
    long income = nowNanos();
    String raw = request.getBody() == null ? "" : request.getBody().orElse("");
    Object event;
    try {
      event = raw.isEmpty() ? null : JSON.readValue(raw, Object.class);
    } catch (JsonProcessingException e) {
      event = null;
    }
    if (event == null) {
      return send(request, HttpStatus.BAD_REQUEST,
          JSON.writeValueAsString(Map.of("error", "the request body is not a JSON event")));
    }
    // after an enforced cold start the client names the app setting's new value: an instance started before the
    // change refuses without running the benchmark, so the client can try again until a new instance answers
    String current = System.getenv().getOrDefault("SEBS_COLD_START", "");
    for (Map.Entry<String, String> header : request.getHeaders().entrySet()) {
      if (header.getKey().equalsIgnoreCase("x-sebs-cold-start") && !header.getValue().equals(current)) {
        return send(request, HttpStatus.CONFLICT, JSON.writeValueAsString(Map.of("stale", true, "cold_start", current)));
      }
    }
    boolean cold = SERVED.compareAndSet(false, true);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("begin", null);
    answer.put("end", null);
    answer.put("income_timestamp", format(income));
    answer.put("is_cold", cold);
    answer.put("container_id", CONTAINER_ID);
    String invocationId = context == null ? null : context.getInvocationId();
    answer.put("request_id", invocationId == null || invocationId.isEmpty()
        ? UUID.randomUUID().toString() : invocationId);
    if (cold) {
      answer.put("init_begin", format(ManagementFactory.getRuntimeMXBean().getStartTime() * 1_000_000L));
    }
    long begin = nowNanos();
    Object ret;
    try {
      Method handler = load();
      ret = handler.invoke(functionTarget, event);
    } catch (Throwable t) {
      Throwable cause = t instanceof InvocationTargetException && t.getCause() != null ? t.getCause() : t;
      answer.put("begin", format(begin));
      answer.put("end", format(nowNanos()));
      answer.put("error", describe(cause));
      answer.put("traceback", stackTrace(cause));
      return send(request, HttpStatus.OK, JSON.writeValueAsString(answer));
    }
    long end = nowNanos();
    answer.put("begin", format(begin));
    answer.put("end", format(end));
    Map<String, Object> result = new LinkedHashMap<>();
    if (ret instanceof Map<?, ?> map && map.containsKey("result")) {
      result.put("output", map.get("result"));
      if (map.get("measurement") != null) {
        result.put("measurement", map.get("measurement"));
      }
    } else {
      result.put("output", ret);
    }
    answer.put("result", result);
    String body;
    try {
      body = JSON.writeValueAsString(answer);
    } catch (JsonProcessingException | StackOverflowError e) {
      String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      answer.remove("result");
      answer.put("error", e.getClass().getSimpleName() + ": function result is not JSON-serializable: " + message);
      answer.put("traceback", stackTrace(e));
      body = JSON.writeValueAsString(answer);
    }
    return send(request, HttpStatus.OK, body);
  }

  private static HttpResponseMessage send(HttpRequestMessage<?> request, HttpStatus status, String body) {
    return request.createResponseBuilder(status).header("Content-Type", "application/json").body(body).build();
  }

  private static synchronized Method load() throws ReflectiveOperationException {
    if (function == null) {
      Class<?> type = Class.forName(FUNCTION_CLASS, true, AzureHandler.class.getClassLoader());
      for (Method m : type.getMethods()) {
        if (m.getName().equals("handler") && m.getParameterCount() == 1
            && m.getParameterTypes()[0].isAssignableFrom(LinkedHashMap.class)) {
          // SeBS's Java functions are instances (one per execution environment); static handlers need none.
          functionTarget = Modifier.isStatic(m.getModifiers()) ? null : type.getConstructor().newInstance();
          function = m;
          return m;
        }
      }
      throw new NoSuchMethodException(FUNCTION_CLASS + " has no public handler(Map<String, Object> event), static "
          + "or (as in SeBS's Java benchmarks) on an instance made with a public no-argument constructor");
    }
    return function;
  }

  static long nowNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** Epoch nanoseconds to "seconds.micros" with exactly six digits (truncated to microseconds). */
  static String format(long nanos) {
    long micros = Math.floorDiv(nanos, 1000L);
    String digits = Long.toString(Math.floorMod(micros, 1_000_000L));
    return Math.floorDiv(micros, 1_000_000L) + "." + "000000".substring(digits.length()) + digits;
  }

  private static String describe(Throwable t) {
    String line = t.getMessage() == null ? t.getClass().getName() : t.getClass().getName() + ": " + t.getMessage();
    String where = userFrame(t);
    return where == null ? line : line + " (at " + where + ")";
  }

  /**
   * Where the benchmark's own code failed: the innermost frame of a class of its own, searched from the root
   * cause outwards, as "Function.java:12 in function.Function.handler"; null when the failure never passed
   * through it. As in the http and aws wrappers, except for what "its own" means: here the benchmark's classes
   * share this wrapper's jar (its dependencies come in jars of their own), so a class counts when it was
   * loaded from the same place as this class, or from a classes folder; never the wrappers' {@code sebs.*}
   * nor the JDK's.
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
      CodeSource source = Class.forName(name, false, AzureHandler.class.getClassLoader())
          .getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return false;
      }
      CodeSource own = AzureHandler.class.getProtectionDomain().getCodeSource();
      return (own != null && source.getLocation().equals(own.getLocation()))
          || !source.getLocation().getPath().endsWith(".jar");
    } catch (ReflectiveOperationException | LinkageError | SecurityException e) {
      return false;
    }
  }

  private static String stackTrace(Throwable t) {
    StringWriter text = new StringWriter();
    t.printStackTrace(new PrintWriter(text));
    return text.toString();
  }

  /** Finite doubles and floats as numbers; NaN and infinities fail (JSON has neither). */
  private static final class FiniteNumber<T extends Number> extends JsonSerializer<T> {
    @Override
    public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      double d = value.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        provider.reportMappingProblem("%s is not a JSON number", value);
      }
      if (value instanceof Float) {
        gen.writeNumber(value.floatValue());
      } else {
        gen.writeNumber(d);
      }
    }
  }

  /** Records keep their serializer; any other class that would be written as a bean fails, naming it. */
  private static final class NoBeans extends BeanSerializerModifier {
    @Override
    public JsonSerializer<?> modifySerializer(SerializationConfig config, BeanDescription description,
        JsonSerializer<?> serializer) {
      if (!(serializer instanceof BeanSerializerBase) || description.getBeanClass().isRecord()) {
        return serializer;
      }
      return new JsonSerializer<Object>() {
        @Override
        public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
          provider.reportMappingProblem("an object of class %s is not a JSON value (maps, lists, arrays,"
              + " strings, numbers, booleans, null, records and enums are)", value.getClass().getName());
        }
      };
    }
  }
}
