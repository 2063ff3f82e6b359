package sebs.wrapper;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JSON for the wrapper, with the JDK only (as the Python and Node.js wrappers use only their standard
 * libraries): a Java function's pom needs no wrapper-specific dependency, and a cold start pays for the
 * function's own libraries, not for the wrapper's.
 *
 * <p>Parsing gives {@link LinkedHashMap} for objects, {@link ArrayList} for arrays, {@link String},
 * {@link Boolean}, {@code null}, and for numbers {@link Integer}, {@link Long} or {@link BigInteger}
 * (integers, the smallest that holds them) or {@link Double} (anything with a fraction or exponent), as
 * Jackson does by default.
 *
 * <p>Writing takes maps (keys as strings), collections, arrays, optionals, records (as objects of their
 * components), enums (their name), strings and characters, numbers, booleans and {@code null}. Anything
 * else, NaN and infinities included, is rejected with an {@link IllegalArgumentException}, as Python's
 * {@code json.dumps(allow_nan=False)} does.
 */
public final class Json {

  /** Deeper nesting is rejected: a cycle, or input meant to overflow the stack. */
  static final int MAX_DEPTH = 1000;

  private Json() {}

  // ------------------------------------------------------------------------------------------ parsing

  /** Parses one JSON value (RFC 8259) from UTF-8 bytes. */
  public static Object parse(byte[] utf8) {
    return parse(new String(utf8, StandardCharsets.UTF_8));
  }

  /** Parses one JSON value (RFC 8259). */
  public static Object parse(String text) {
    Parser parser = new Parser(text);
    parser.skipWhitespace();
    Object value = parser.value(0);
    parser.skipWhitespace();
    if (parser.pos != text.length()) {
      throw parser.error("unexpected data after the JSON value");
    }
    return value;
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    IllegalArgumentException error(String message) {
      int line = 1;
      int column = 1;
      for (int i = 0; i < Math.min(pos, s.length()); i++) {
        if (s.charAt(i) == '\n') {
          line++;
          column = 1;
        } else {
          column++;
        }
      }
      return new IllegalArgumentException(message + " at line " + line + " column " + column);
    }

    void skipWhitespace() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          pos++;
        } else {
          break;
        }
      }
    }

    Object value(int depth) {
      if (pos >= s.length()) {
        throw error("unexpected end of input");
      }
      char c = s.charAt(pos);
      switch (c) {
        case '{':
          return object(depth + 1);
        case '[':
          return array(depth + 1);
        case '"':
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
          throw error("unexpected character '" + c + "'");
      }
    }

    private void literal(String word) {
      if (!s.startsWith(word, pos)) {
        throw error("invalid literal, expected " + word);
      }
      pos += word.length();
    }

    private void checkDepth(int depth) {
      if (depth > MAX_DEPTH) {
        throw error("nesting deeper than " + MAX_DEPTH + " levels");
      }
    }

    private Map<String, Object> object(int depth) {
      checkDepth(depth);
      pos++; // {
      Map<String, Object> map = new LinkedHashMap<>();
      skipWhitespace();
      if (pos < s.length() && s.charAt(pos) == '}') {
        pos++;
        return map;
      }
      while (true) {
        skipWhitespace();
        if (pos >= s.length() || s.charAt(pos) != '"') {
          throw error("expected a string as object key");
        }
        String key = string();
        skipWhitespace();
        if (pos >= s.length() || s.charAt(pos) != ':') {
          throw error("expected ':' after an object key");
        }
        pos++;
        skipWhitespace();
        map.put(key, value(depth));
        skipWhitespace();
        if (pos >= s.length()) {
          throw error("unterminated object");
        }
        char c = s.charAt(pos++);
        if (c == '}') {
          return map;
        }
        if (c != ',') {
          pos--;
          throw error("expected ',' or '}' in an object");
        }
      }
    }

    private List<Object> array(int depth) {
      checkDepth(depth);
      pos++; // [
      List<Object> list = new ArrayList<>();
      skipWhitespace();
      if (pos < s.length() && s.charAt(pos) == ']') {
        pos++;
        return list;
      }
      while (true) {
        skipWhitespace();
        list.add(value(depth));
        skipWhitespace();
        if (pos >= s.length()) {
          throw error("unterminated array");
        }
        char c = s.charAt(pos++);
        if (c == ']') {
          return list;
        }
        if (c != ',') {
          pos--;
          throw error("expected ',' or ']' in an array");
        }
      }
    }

    private String string() {
      pos++; // opening quote
      StringBuilder out = null;
      int start = pos;
      while (true) {
        if (pos >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(pos);
        if (c == '"') {
          String result = out == null ? s.substring(start, pos) : out.append(s, start, pos).toString();
          pos++;
          return result;
        }
        if (c < 0x20) {
          throw error("control character in a string");
        }
        if (c != '\\') {
          pos++;
          continue;
        }
        if (out == null) {
          out = new StringBuilder();
        }
        out.append(s, start, pos);
        pos++;
        if (pos >= s.length()) {
          throw error("unterminated escape");
        }
        char e = s.charAt(pos++);
        switch (e) {
          case '"': out.append('"'); break;
          case '\\': out.append('\\'); break;
          case '/': out.append('/'); break;
          case 'b': out.append('\b'); break;
          case 'f': out.append('\f'); break;
          case 'n': out.append('\n'); break;
          case 'r': out.append('\r'); break;
          case 't': out.append('\t'); break;
          case 'u':
            if (pos + 4 > s.length()) {
              throw error("truncated \\u escape");
            }
            int code = 0;
            for (int i = 0; i < 4; i++) {
              int digit = Character.digit(s.charAt(pos + i), 16);
              if (digit < 0) {
                throw error("invalid \\u escape");
              }
              code = code * 16 + digit;
            }
            pos += 4;
            out.append((char) code);
            break;
          default:
            pos--;
            throw error("invalid escape '\\" + e + "'");
        }
        start = pos;
      }
    }

    private Object number() {
      int start = pos;
      boolean integral = true;
      if (s.charAt(pos) == '-') {
        pos++;
      }
      if (pos >= s.length()) {
        throw error("truncated number");
      }
      if (s.charAt(pos) == '0') {
        pos++;
      } else if (s.charAt(pos) >= '1' && s.charAt(pos) <= '9') {
        digits();
      } else {
        throw error("invalid number");
      }
      if (pos < s.length() && s.charAt(pos) == '.') {
        integral = false;
        pos++;
        if (digits() == 0) {
          throw error("expected digits after the decimal point");
        }
      }
      if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
        integral = false;
        pos++;
        if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
          pos++;
        }
        if (digits() == 0) {
          throw error("expected digits in the exponent");
        }
      }
      String text = s.substring(start, pos);
      if (!integral) {
        return Double.parseDouble(text);
      }
      if (text.length() <= 18) {
        long value = Long.parseLong(text);
        return value == (int) value ? (Object) (int) value : (Object) value;
      }
      BigInteger big = new BigInteger(text);
      return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }

    private int digits() {
      int start = pos;
      while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
        pos++;
      }
      return pos - start;
    }
  }

  // ------------------------------------------------------------------------------------------ writing

  /** The value as UTF-8 JSON. */
  public static byte[] write(Object value) {
    StringBuilder out = new StringBuilder(256);
    write(out, value, 0);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The value as a JSON string. */
  public static String toJson(Object value) {
    StringBuilder out = new StringBuilder(256);
    write(out, value, 0);
    return out.toString();
  }

  private static void write(StringBuilder out, Object value, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("nesting deeper than " + MAX_DEPTH + " levels (a cycle?)");
    }
    if (value == null) {
      out.append("null");
    } else if (value instanceof CharSequence || value instanceof Character) {
      string(out, value.toString());
    } else if (value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Number) {
      number(out, (Number) value);
    } else if (value instanceof Map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        string(out, String.valueOf(e.getKey()));
        out.append(':');
        write(out, e.getValue(), depth + 1);
      }
      out.append('}');
    } else if (value instanceof Collection) {
      out.append('[');
      boolean first = true;
      for (Object item : (Collection<?>) value) {
        if (!first) {
          out.append(',');
        }
        first = false;
        write(out, item, depth + 1);
      }
      out.append(']');
    } else if (value.getClass().isArray()) {
      out.append('[');
      int length = Array.getLength(value);
      for (int i = 0; i < length; i++) {
        if (i > 0) {
          out.append(',');
        }
        write(out, Array.get(value, i), depth + 1);
      }
      out.append(']');
    } else if (value instanceof Optional) {
      write(out, ((Optional<?>) value).orElse(null), depth + 1);
    } else if (value instanceof Enum) {
      string(out, ((Enum<?>) value).name());
    } else if (value.getClass().isRecord()) {
      out.append('{');
      boolean first = true;
      for (RecordComponent component : value.getClass().getRecordComponents()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        string(out, component.getName());
        out.append(':');
        Object componentValue;
        try {
          var accessor = component.getAccessor();
          accessor.setAccessible(true);
          componentValue = accessor.invoke(value);
        } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
          throw new IllegalArgumentException("cannot read component " + component.getName() + " of "
              + value.getClass().getName() + ": " + e, e);
        }
        write(out, componentValue, depth + 1);
      }
      out.append('}');
    } else {
      throw new IllegalArgumentException("an object of " + value.getClass().getName()
          + " is not JSON-serializable (return maps, lists, arrays, records, strings, numbers, booleans or null)");
    }
  }

  private static void number(StringBuilder out, Number n) {
    if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("out of range float value " + d + " is not JSON compliant");
      }
      out.append(n instanceof Float ? Float.toString(n.floatValue()) : Double.toString(d));
    } else if (n instanceof BigDecimal) {
      out.append(((BigDecimal) n).toString());
    } else {
      String text = n.toString();
      // Integer, Long, BigInteger, atomics, ...: their decimal form; anything else must look like a number
      if (!(n instanceof Integer || n instanceof Long || n instanceof BigInteger || n instanceof Short
          || n instanceof Byte) && !text.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
        throw new IllegalArgumentException("number " + text + " of " + n.getClass().getName()
            + " is not JSON compliant");
      }
      out.append(text);
    }
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        case '\b': out.append("\\b"); break;
        case '\f': out.append("\\f"); break;
        default:
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            unicodeEscape(out, c);
          } else if (Character.isSurrogate(c)) {
            // a well-formed pair stays as is (UTF-8 encodes it); a lone surrogate cannot be UTF-8
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
              out.append(c).append(s.charAt(++i));
            } else {
              unicodeEscape(out, c);
            }
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }

  private static void unicodeEscape(StringBuilder out, char c) {
    out.append("\\u");
    String hex = Integer.toHexString(c);
    for (int pad = hex.length(); pad < 4; pad++) {
      out.append('0');
    }
    out.append(hex);
  }
}
