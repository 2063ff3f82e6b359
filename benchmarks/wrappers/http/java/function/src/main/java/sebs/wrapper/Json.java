package sebs.wrapper;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP wrapper's JSON: reads the event, writes the answer. Small on purpose: a JVM's first request paid some
 * 30-60 ms for building a Jackson mapper (hundreds of classes, annotation introspection, method handles); this class
 * loads in a few milliseconds. It reads and writes what Jackson's untyped mapping did, so a function sees no
 * difference:
 *
 * <ul>
 *   <li>read (UTF-8, RFC 8259 strictly: no comments, NaN, single quotes, leading zeros or trailing content): objects
 *       as {@link LinkedHashMap} (a repeated key keeps its last value), arrays as {@link ArrayList}, strings, {@link
 *       Boolean}, null, integers as {@link Integer}, {@link Long} or {@link BigInteger} (the smallest that holds
 *       them), other numbers as {@link Double};</li>
 *   <li>write (compact, UTF-8, only {@code "}, {@code \}, control characters and unpaired surrogates escaped):
 *       maps (keys as strings: enums by name, others by {@code String.valueOf}), iterables, arrays ({@code byte[]}
 *       as base64, {@code char[]} as a string), strings, characters, booleans, null, finite numbers of the JDK's
 *       types, records (as objects of their components) and enums (their name). Anything else (an arbitrary object,
 *       NaN, an infinity, a null map key, a cycle) fails with {@link JsonWriteException} naming it.</li>
 * </ul>
 *
 * Both sides reject nesting deeper than {@value #MAX_DEPTH} levels, as Jackson's default constraints do. The code on
 * the request path uses no lambdas and no string concatenation with {@code +}: compiled for Java 9+, each such
 * concatenation links through invokedynamic and spins method-handle classes on first use (a millisecond or more
 * each in a young JVM).
 */
final class Json {

  /** The deepest nesting read or written, as Jackson's default stream constraints allow. */
  static final int MAX_DEPTH = 1000;

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private Json() {}

  /** The body is not JSON; the message says where and why. */
  static final class JsonReadException extends Exception {
    JsonReadException(String message) {
      super(message);
    }
  }

  /** A value JSON cannot carry; the message names it. */
  static final class JsonWriteException extends Exception {
    JsonWriteException(String message) {
      super(message);
    }

    JsonWriteException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  // -------------------------------------------------------------------------------- reading

  /** The JSON value in {@code utf8} (one value, whitespace around it allowed, a UTF-8 byte order mark skipped). */
  static Object read(byte[] utf8) throws JsonReadException {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(utf8)).toString();
    } catch (CharacterCodingException e) {
      throw new JsonReadException("not UTF-8 (" + e + ")");
    }
    return read(text);
  }

  /** The JSON value in {@code text}. */
  static Object read(String text) throws JsonReadException {
    Reader reader = new Reader(text);
    if (reader.pos < text.length() && text.charAt(reader.pos) == '\uFEFF') {
      reader.pos++;
    }
    reader.skipWhitespace();
    if (reader.pos >= text.length()) {
      throw new JsonReadException("no content (an empty body)");
    }
    Object value = reader.value(0);
    reader.skipWhitespace();
    if (reader.pos < text.length()) {
      throw reader.error("trailing content after the JSON value");
    }
    return value;
  }

  private static final class Reader {
    private final String text;
    private int pos;

    Reader(String text) {
      this.text = text;
    }

    void skipWhitespace() {
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
          return;
        }
        pos++;
      }
    }

    Object value(int depth) throws JsonReadException {
      if (pos >= text.length()) {
        throw error("unexpected end of input");
      }
      char c = text.charAt(pos);
      switch (c) {
        case '{':
          return object(depth + 1);
        case '[':
          return array(depth + 1);
        case '"':
          pos++;
          return string();
        case 't':
          literal("true");
          return Boolean.TRUE;
        case 'f':
          literal("false");
          return Boolean.FALSE;
        case 'n':
          literal("null");
          return null;
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw error("unexpected character " + describe(c) + " where a value starts");
      }
    }

    private Map<String, Object> object(int depth) throws JsonReadException {
      nesting(depth);
      pos++; // {
      Map<String, Object> map = new LinkedHashMap<>();
      skipWhitespace();
      if (pos < text.length() && text.charAt(pos) == '}') {
        pos++;
        return map;
      }
      while (true) {
        skipWhitespace();
        if (pos >= text.length() || text.charAt(pos) != '"') {
          throw error("expected a double-quoted member name");
        }
        pos++;
        String key = string();
        skipWhitespace();
        expect(':');
        skipWhitespace();
        map.put(key, value(depth));
        skipWhitespace();
        if (pos < text.length() && text.charAt(pos) == ',') {
          pos++;
          continue;
        }
        expect('}');
        return map;
      }
    }

    private List<Object> array(int depth) throws JsonReadException {
      nesting(depth);
      pos++; // [
      List<Object> list = new ArrayList<>();
      skipWhitespace();
      if (pos < text.length() && text.charAt(pos) == ']') {
        pos++;
        return list;
      }
      while (true) {
        skipWhitespace();
        list.add(value(depth));
        skipWhitespace();
        if (pos < text.length() && text.charAt(pos) == ',') {
          pos++;
          continue;
        }
        expect(']');
        return list;
      }
    }

    private void nesting(int depth) throws JsonReadException {
      if (depth > MAX_DEPTH) {
        throw error("nested deeper than " + MAX_DEPTH + " levels");
      }
    }

    /** The string whose opening quote was just read. */
    private String string() throws JsonReadException {
      int start = pos;
      while (pos < text.length()) { // the common case: no escapes
        char c = text.charAt(pos);
        if (c == '"') {
          pos++;
          return text.substring(start, pos - 1);
        }
        if (c == '\\' || c < 0x20) {
          break;
        }
        pos++;
      }
      StringBuilder out = new StringBuilder(pos - start + 16).append(text, start, pos);
      while (pos < text.length()) {
        char c = text.charAt(pos++);
        if (c == '"') {
          return out.toString();
        }
        if (c < 0x20) {
          pos--;
          throw error("unescaped control character " + describe(c) + " in a string");
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        if (pos >= text.length()) {
          break;
        }
        char e = text.charAt(pos++);
        switch (e) {
          case '"':
          case '\\':
          case '/':
            out.append(e);
            break;
          case 'b':
            out.append('\b');
            break;
          case 'f':
            out.append('\f');
            break;
          case 'n':
            out.append('\n');
            break;
          case 'r':
            out.append('\r');
            break;
          case 't':
            out.append('\t');
            break;
          case 'u':
            out.append(hex4());
            break;
          default:
            pos--;
            throw error("invalid escape \\" + e + " in a string");
        }
      }
      throw error("unterminated string");
    }

    private char hex4() throws JsonReadException {
      if (pos + 4 > text.length()) {
        throw error("incomplete \\u escape");
      }
      int value = 0;
      for (int i = 0; i < 4; i++) {
        int digit = Character.digit(text.charAt(pos + i), 16);
        if (digit < 0) {
          throw error("invalid \\u escape (four hexadecimal digits expected)");
        }
        value = value * 16 + digit;
      }
      pos += 4;
      return (char) value;
    }

    private Number number() throws JsonReadException {
      int start = pos;
      if (text.charAt(pos) == '-') {
        pos++;
      }
      if (pos >= text.length() || !isDigit(text.charAt(pos))) {
        throw error("a minus sign without digits");
      }
      if (text.charAt(pos) == '0' && pos + 1 < text.length() && isDigit(text.charAt(pos + 1))) {
        throw error("a number with a leading zero");
      }
      digits();
      boolean integer = true;
      if (pos < text.length() && text.charAt(pos) == '.') {
        integer = false;
        pos++;
        if (pos >= text.length() || !isDigit(text.charAt(pos))) {
          throw error("a decimal point without digits after it");
        }
        digits();
      }
      if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
        integer = false;
        pos++;
        if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
          pos++;
        }
        if (pos >= text.length() || !isDigit(text.charAt(pos))) {
          throw error("an exponent without digits");
        }
        digits();
      }
      String literal = text.substring(start, pos);
      if (!integer) {
        return Double.valueOf(literal);
      }
      int length = literal.length() - (literal.charAt(0) == '-' ? 1 : 0);
      if (length <= 18) {
        long value = Long.parseLong(literal);
        return value == (int) value ? (Number) Integer.valueOf((int) value) : (Number) Long.valueOf(value);
      }
      BigInteger big = new BigInteger(literal);
      return big.bitLength() < 64 ? (Number) Long.valueOf(big.longValue()) : (Number) big;
    }

    private void digits() {
      while (pos < text.length() && isDigit(text.charAt(pos))) {
        pos++;
      }
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }

    private void literal(String word) throws JsonReadException {
      if (!text.startsWith(word, pos)) {
        throw error("unexpected character " + describe(text.charAt(pos)) + " where a value starts");
      }
      pos += word.length();
    }

    private void expect(char c) throws JsonReadException {
      if (pos >= text.length()) {
        throw error("unexpected end of input (expected '" + c + "')");
      }
      if (text.charAt(pos) != c) {
        throw error("unexpected character " + describe(text.charAt(pos)) + " (expected '" + c + "')");
      }
      pos++;
    }

    JsonReadException error(String what) {
      return new JsonReadException(what + " at character " + pos);
    }

    private static String describe(char c) {
      return c >= 0x20 && c < 0x7F ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
  }

  // -------------------------------------------------------------------------------- writing

  /** {@code value} as compact JSON in UTF-8. */
  static byte[] write(Object value) throws JsonWriteException {
    StringBuilder out = new StringBuilder(256);
    value(out, value, 0);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void value(StringBuilder out, Object value, int depth) throws JsonWriteException {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String) {
      string(out, (String) value);
    } else if (value instanceof Boolean) {
      out.append(((Boolean) value).booleanValue() ? "true" : "false");
    } else if (value instanceof Number) {
      number(out, (Number) value);
    } else if (value instanceof Map) {
      nesting(depth + 1);
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        string(out, key(entry.getKey()));
        out.append(':');
        value(out, entry.getValue(), depth + 1);
      }
      out.append('}');
    } else if (value instanceof Iterable) {
      nesting(depth + 1);
      out.append('[');
      boolean first = true;
      for (Object item : (Iterable<?>) value) {
        if (!first) {
          out.append(',');
        }
        first = false;
        value(out, item, depth + 1);
      }
      out.append(']');
    } else if (value instanceof Character) {
      string(out, value.toString());
    } else if (value instanceof Enum) {
      string(out, ((Enum<?>) value).name());
    } else if (value.getClass().isArray()) {
      array(out, value, depth + 1);
    } else if (value.getClass().isRecord()) {
      record(out, value, depth + 1);
    } else {
      throw new JsonWriteException(new StringBuilder("an object of class ").append(value.getClass().getName())
          .append(" is not a JSON value (maps, lists, arrays, strings, numbers, booleans, null, records and enums"
              + " are)").toString());
    }
  }

  private static String key(Object key) throws JsonWriteException {
    if (key instanceof String) {
      return (String) key;
    }
    if (key == null) {
      throw new JsonWriteException("a map has a null key (JSON object keys are strings)");
    }
    return key instanceof Enum ? ((Enum<?>) key).name() : String.valueOf(key);
  }

  private static void number(StringBuilder out, Number n) throws JsonWriteException {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
      out.append(n.longValue());
    } else if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new JsonWriteException(new StringBuilder().append(n).append(" is not a JSON number").toString());
      }
      out.append(n instanceof Float ? Float.toString(n.floatValue()) : Double.toString(d));
    } else if (n instanceof BigInteger || n instanceof BigDecimal || n instanceof AtomicInteger
        || n instanceof AtomicLong) {
      out.append(n.toString());
    } else {
      throw new JsonWriteException("a number of class " + n.getClass().getName() + " is not a JSON value (the JDK's"
          + " Integer, Long, Short, Byte, Double, Float, BigInteger, BigDecimal, AtomicInteger and AtomicLong are)");
    }
  }

  private static void array(StringBuilder out, Object array, int depth) throws JsonWriteException {
    if (array instanceof byte[]) {
      string(out, Base64.getEncoder().encodeToString((byte[]) array)); // as Jackson writes binary
      return;
    }
    if (array instanceof char[]) {
      string(out, new String((char[]) array)); // as Jackson writes char[]
      return;
    }
    nesting(depth);
    out.append('[');
    int length = java.lang.reflect.Array.getLength(array);
    for (int i = 0; i < length; i++) {
      if (i > 0) {
        out.append(',');
      }
      value(out, java.lang.reflect.Array.get(array, i), depth);
    }
    out.append(']');
  }

  private static void record(StringBuilder out, Object record, int depth) throws JsonWriteException {
    nesting(depth);
    out.append('{');
    RecordComponent[] components = record.getClass().getRecordComponents();
    for (int i = 0; i < components.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      string(out, components[i].getName());
      out.append(':');
      Object component;
      try {
        java.lang.reflect.Method accessor = components[i].getAccessor();
        accessor.setAccessible(true);
        component = accessor.invoke(record);
      } catch (ReflectiveOperationException | RuntimeException e) {
        Throwable cause = e instanceof java.lang.reflect.InvocationTargetException && e.getCause() != null
            ? e.getCause() : e;
        throw new JsonWriteException("cannot read component " + components[i].getName() + " of the record "
            + record.getClass().getName() + ": " + cause, cause);
      }
      value(out, component, depth);
    }
    out.append('}');
  }

  private static void nesting(int depth) throws JsonWriteException {
    if (depth > MAX_DEPTH) {
      throw new JsonWriteException("nested deeper than " + MAX_DEPTH + " levels (does the value contain itself?)");
    }
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    int length = s.length();
    int plain = 0; // start of the characters not yet copied
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++; // a pair: written as is, in UTF-8
        continue;
      }
      out.append(s, plain, i);
      plain = i + 1;
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\b':
          out.append("\\b");
          break;
        case '\f':
          out.append("\\f");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default: // other control characters, unpaired surrogates (UTF-8 has no encoding for them)
          out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF])
              .append(HEX[c & 0xF]);
      }
    }
    out.append(s, plain, length).append('"');
  }
}
