package sebs.wrapper;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
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
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * sebs-junit AWS Lambda wrapper for a Java benchmark function (handler:
 * {@code sebs.wrapper.LambdaHandler::handleRequest}).
 *
 * <p>The deployment zip holds the classes of this wrapper and of the benchmark's
 * {@code function.Function} (with {@code public static Object handler(Map<String, Object> event)}) at its
 * root and the runtime dependencies under {@code lib/}, the layout Lambda's Java runtime loads. The
 * Lambda library (aws-lambda-java-core) is {@code provided}: the runtime has it.
 *
 * <p>Every answer follows the function contract of the other sebs-junit wrappers: begin/end/
 * income_timestamp (epoch seconds, six fractional digits), is_cold, container_id, request_id (Lambda's
 * request id), result{output[, measurement]}. An exception of the function, or a result JSON cannot carry,
 * becomes error/traceback in a normal answer, so the client records a failed invocation with its reason
 * rather than an opaque Unhandled error. A returned map with a "result" key gives output = its "result"
 * and measurement = its "measurement" (when not null), as in SeBS.
 *
 * <p>Cold detection: a marker file in SEBS_TMP (default /tmp), which lives exactly as long as the
 * execution environment; it is checked before the id is created, so the first request of an environment
 * is the cold one. Events from a Function URL or API Gateway (a "body" with "requestContext") are
 * unwrapped. function.Function is loaded on the first request, so that request pays for its class
 * loading and static initialisation, as the first import does in the Python wrapper.
 */
public final class LambdaHandler implements RequestStreamHandler {

  static final String FUNCTION_CLASS = "function.Function";
  static final String COLD_MARKER_NAME = ".sebs-cold-marker";

  /** Plain JSON only: no bean introspection, no NaN or infinities (as the local Java wrapper). */
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .addModule(new SimpleModule("sebs-plain-json")
          .setSerializerModifier(new NoBeans())
          .addSerializer(Double.class, new FiniteNumber<>())
          .addSerializer(double.class, new FiniteNumber<>())
          .addSerializer(Float.class, new FiniteNumber<>())
          .addSerializer(float.class, new FiniteNumber<>()))
      .build();

  private static Method function;
  private static Object functionTarget;

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    long income = nowNanos();
    byte[] raw = input.readAllBytes();
    String[] cold = coldStart();
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("begin", null);
    answer.put("end", null);
    answer.put("income_timestamp", format(income));
    answer.put("is_cold", Boolean.parseBoolean(cold[0]));
    answer.put("container_id", cold[1]);
    answer.put("request_id", context == null ? "" : context.getAwsRequestId());
    long begin = nowNanos();
    Object ret;
    try {
      Method handler = load();
      ret = handler.invoke(functionTarget, unwrap(JSON.readValue(raw, Object.class)));
    } catch (Throwable t) {
      Throwable cause = t instanceof InvocationTargetException && t.getCause() != null ? t.getCause() : t;
      answer.put("begin", format(begin));
      answer.put("end", format(nowNanos()));
      answer.put("error", describe(cause));
      answer.put("traceback", stackTrace(cause));
      output.write(JSON.writeValueAsBytes(answer));
      return;
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
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(answer);
    } catch (JsonProcessingException | StackOverflowError e) {
      String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      answer.remove("result");
      answer.put("error", e.getClass().getSimpleName() + ": function result is not JSON-serializable: " + message);
      answer.put("traceback", stackTrace(e));
      body = JSON.writeValueAsBytes(answer);
    }
    output.write(body);
  }

  /** A Function URL or API Gateway event carries the benchmark's event as its (maybe base64) body. */
  @SuppressWarnings("unchecked")
  static Object unwrap(Object event) throws IOException {
    if (event instanceof Map<?, ?> map && map.containsKey("requestContext") && map.containsKey("body")) {
      Object body = map.get("body");
      String text = body == null ? "{}" : body.toString();
      if (Boolean.TRUE.equals(map.get("isBase64Encoded"))) {
        text = new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
      }
      return JSON.readValue(text.isEmpty() ? "{}" : text, Object.class);
    }
    return event;
  }

  private static synchronized Method load() throws ReflectiveOperationException {
    if (function == null) {
      Class<?> type = Class.forName(FUNCTION_CLASS, true, LambdaHandler.class.getClassLoader());
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

  /** {"true"|"false", container id} from the environment's cold marker, creating it on first use. */
  private static String[] coldStart() throws IOException {
    String tmp = System.getenv("SEBS_TMP");
    Path marker = Path.of(tmp == null || tmp.isBlank() ? "/tmp" : tmp.strip()).resolve(COLD_MARKER_NAME);
    if (Files.exists(marker)) {
      return new String[] {"false", Files.readString(marker, StandardCharsets.UTF_8).strip()};
    }
    String id = UUID.randomUUID().toString().replace("-", "");
    Files.writeString(marker, id, StandardCharsets.UTF_8);
    return new String[] {"true", id};
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
      java.security.CodeSource source = Class.forName(name, false, LambdaHandler.class.getClassLoader())
          .getProtectionDomain().getCodeSource();
      java.security.CodeSource own = LambdaHandler.class.getProtectionDomain().getCodeSource();
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
