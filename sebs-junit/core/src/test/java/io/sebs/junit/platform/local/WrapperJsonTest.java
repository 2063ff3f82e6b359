package io.sebs.junit.platform.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java HTTP wrapper's own JSON ({@code wrappers/http/java/.../sebs/wrapper/Json.java}, compiled here from the
 * copy shipped in the jar): it reads events and writes answers exactly as the Jackson mapping it replaced did
 * (Integer/Long/BigInteger/Double, LinkedHashMap, escapes, UTF-8), and refuses what JSON cannot carry or what is not
 * JSON. The end-to-end behaviour (400, "not JSON-serializable") is {@link JavaFunctionTest}'s.
 */
class WrapperJsonTest {

  private static final String SOURCE = "io/sebs/junit/wrappers/http/java/function/src/main/java/sebs/wrapper/Json.java";
  /** As the wrapper's Jackson mapper read events (FAIL_ON_TRAILING_TOKENS on). */
  private static final ObjectMapper JACKSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  @TempDir
  static Path classes;

  private static Method read;
  private static Method write;

  @BeforeAll
  static void compileTheWrappersJson() throws Exception {
    Path source = classes.resolve("src/sebs/wrapper/Json.java");
    Files.createDirectories(source.getParent());
    try (InputStream in = WrapperJsonTest.class.getClassLoader().getResourceAsStream(SOURCE)) {
      assertThat(in).as("the wrapper's Json.java on the class path at %s", SOURCE).isNotNull();
      Files.copy(in, source);
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int exit = javac.run(null, null, null, "--release", "17", "-d", classes.resolve("out").toString(),
        source.toString());
    assertThat(exit).as("javac exit code").isZero();
    ClassLoader loader = new URLClassLoader(new URL[] {classes.resolve("out").toUri().toURL()}, null);
    Class<?> json = Class.forName("sebs.wrapper.Json", true, loader);
    read = json.getDeclaredMethod("read", byte[].class);
    read.setAccessible(true);
    write = json.getDeclaredMethod("write", Object.class);
    write.setAccessible(true);
  }

  private static Object read(String text) throws Exception {
    return read(text.getBytes(StandardCharsets.UTF_8));
  }

  private static Object read(byte[] bytes) throws Exception {
    try {
      return read.invoke(null, (Object) bytes);
    } catch (InvocationTargetException e) {
      throw (Exception) e.getCause();
    }
  }

  private static String write(Object value) throws Exception {
    try {
      return new String((byte[]) write.invoke(null, value), StandardCharsets.UTF_8);
    } catch (InvocationTargetException e) {
      throw (Exception) e.getCause();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "0", "-0", "7", "-1", "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807",
      "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "123456789012345678",
      "1234567890123456789", "12345678901234567890123", "0.5", "-2.5e-7", "1e300", "1E+2", "1.0", "-0.0", "1e400",
      "4.9e-324", "0.1", "3.141592653589793",
      "\"\"", "\"h\\u00e9llo \\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u2028 \\ud83d\\ude00 \\u0001\"", "\"héllo 😀 中文\"",
      "\"\\ud800 lone\"", "true", "false", "null", "[]", "{}", " \t\r\n [ 1 , \"a\" , { } ] \n",
      "{\"a\": {\"b\": [[], {}, [null, true]]}, \"k\": 1, \"k\": 2, \"z\": \"last\"}",
      "{\"numbers\": [0, -1, 2147483648, 12345678901234567890123, 0.5, -2.5e-7, 1e300]}"})
  void readsWhatJacksonRead(String text) throws Exception {
    Object expected = JACKSON.readValue(text, Object.class);

    Object actual = read(text);

    assertThat(actual).isEqualTo(expected);
    assertThat(types(actual)).isEqualTo(types(expected));
  }

  /** The value with every number, string, map and list replaced by its class's name, so that types are compared. */
  private static Object types(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      out.put("class", value.getClass().getName());
      map.forEach((k, v) -> out.put(k, types(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(List.of(value.getClass().getName()));
      list.forEach(v -> out.add(types(v)));
      return out;
    }
    return value == null ? "null" : value.getClass().getName();
  }

  @Test
  void aByteOrderMarkIsSkippedAsJacksonSkipsIt() throws Exception {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'};

    assertThat(read(bom)).isEqualTo(Map.of());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "{bad", "{\"a\": 1,}", "[1,]", "[1 2]", "{\"a\" 1}", "{a: 1}", "{'a': 1}", "01",
      "-", "1.", ".5", "+1", "1e", "1e+", "NaN", "Infinity", "-Infinity", "tru", "nul", "\"open", "\"bad \\x escape\"",
      "\"\\u12\"", "\"\\u12g4\"", "\"raw\ttab\"", "\"raw\nnewline\"", "{} {}", "[] x", "null null", "// c\n{}",
      "/* c */ {}", "[", "{", "{\"a\":", "[1, [2, [3]]"})
  void rejectsWhatIsNotJsonAsJacksonDid(String text) {
    assertThatThrownBy(() -> JACKSON.readValue(text, Object.class)).as("Jackson on %s", text)
        .isInstanceOf(IOException.class);

    assertThatThrownBy(() -> read(text)).as("the wrapper on %s", text)
        .satisfies(e -> assertThat(e.getClass().getSimpleName()).isEqualTo("JsonReadException"));
  }

  @Test
  void rejectsBytesThatAreNotUtf8() {
    byte[] latin1 = {'"', (byte) 0xE9, '"'};

    assertThatThrownBy(() -> read(latin1)).hasMessageContaining("not UTF-8");
  }

  @Test
  void nestingIsLimitedToAThousandLevelsOnBothSides() throws Exception {
    assertThat(read("[".repeat(1000) + "]".repeat(1000))).isInstanceOf(List.class);
    assertThatThrownBy(() -> read("[".repeat(1001) + "]".repeat(1001))).hasMessageContaining("nested deeper than 1000");

    List<Object> cycle = new ArrayList<>();
    cycle.add(cycle);
    assertThatThrownBy(() -> write(cycle)).hasMessageContaining("nested deeper than 1000");
  }

  record Point(int x, String label, List<Double> weights) {}

  enum Colour { RED, GREEN }

  @Test
  void writesWhatJacksonWrote() throws Exception {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("text", "h\u00e9llo \"q\" \\ / \b\f\n\r\t \u2028 \ud83d\ude00 \u0001 \u001f \u007f 中文");
    value.put("ints", List.of(0, -1, Integer.MAX_VALUE, Long.MIN_VALUE, (short) 7, (byte) -8));
    value.put("big", List.of(new BigInteger("12345678901234567890123"), new BigDecimal("1.50"),
        new BigDecimal("1E+3")));
    value.put("floating", Arrays.asList(0.5, -2.5e-7, 1e300, 1.0, -0.0, 0.1f, 3.4e38f, 100.0, 1e7, 1e-3, 1e-4));
    value.put("flags", Arrays.asList(true, false, null));
    value.put("nested", Map.of("a", Map.of("b", List.of(List.of(), Map.of()))));
    value.put("arrays", List.of(new int[] {1, 2}, new long[] {3L}, new double[] {0.25}, new boolean[] {true},
        new String[] {"s", null}, new Object[] {1, "x"}, new float[] {1.5f}, new short[] {2}));
    value.put("bytes", new byte[] {0, 1, 2, (byte) 0xFF, 'a'});
    value.put("chars", new char[] {'h', 'i'});
    value.put("char", 'c');
    value.put("record", new Point(3, "p", List.of(0.5)));
    value.put("enum", Colour.GREEN);
    value.put("enum keys", new LinkedHashMap<>(Map.of(Colour.RED, 1)));
    value.put("number keys", new LinkedHashMap<>(Map.of(7, "seven")));
    value.put("empty", "");

    assertThat(write(value)).isEqualTo(JACKSON.writeValueAsString(value));
  }

  @Test
  void writesUnpairedSurrogatesEscaped() throws Exception {
    assertThat(write("a\ud800b\udc00")).isEqualTo("\"a\\uD800b\\uDC00\"");
  }

  @Test
  void whatJsonCannotCarryIsRefusedNamingIt() {
    assertThatThrownBy(() -> write(Map.of("thread", Thread.currentThread())))
        .hasMessageContaining("an object of class java.lang.Thread is not a JSON value");
    assertThatThrownBy(() -> write(List.of(Double.NaN))).hasMessage("NaN is not a JSON number");
    assertThatThrownBy(() -> write(List.of(Double.POSITIVE_INFINITY))).hasMessage("Infinity is not a JSON number");
    assertThatThrownBy(() -> write(new float[] {Float.NEGATIVE_INFINITY})).hasMessage("-Infinity is not a JSON number");
    Map<String, Object> nullKey = new LinkedHashMap<>();
    nullKey.put(null, 1);
    assertThatThrownBy(() -> write(Map.of("m", nullKey))).hasMessageContaining("null key");
    assertThatThrownBy(() -> write(new java.util.concurrent.atomic.DoubleAdder()))
        .hasMessageContaining("java.util.concurrent.atomic.DoubleAdder");
    assertThat(Arrays.asList(Thread.currentThread(), Double.NaN)).allSatisfy(v ->
        assertThatThrownBy(() -> write(v)).satisfies(e -> assertThat(e.getClass().getSimpleName())
            .isEqualTo("JsonWriteException")));
  }

  @Test
  void whatItWritesItReadsBack() throws Exception {
    String text = "{\"s\":\"h\\u00e9llo \\\"q\\\" \\\\ \\n\\t \\u2028 \\ud83d\\ude00 \\u0001\",\"n\":[0,-1,2147483648,"
        + "12345678901234567890123,0.5,-2.5E-7,1.0E300],\"f\":[true,false,null],\"o\":{\"a\":{\"b\":[[],{}]}}}";

    Object once = read(text);

    assertThat(read(write(once))).isEqualTo(once);
    assertThat(write(once)).isEqualTo(JACKSON.writeValueAsString(JACKSON.readValue(text, Object.class)));
  }
}
