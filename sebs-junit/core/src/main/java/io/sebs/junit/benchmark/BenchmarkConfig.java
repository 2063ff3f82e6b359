package io.sebs.junit.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A benchmark's config.json, as SeBS defines it: default timeout (s), memory (MB), languages, modules;
 * plus an optional {@code "tools"} list (an sebs-junit addition SeBS ignores): programs that input
 * generation or the function runs, such as {@code ffmpeg}, checked before a run so a missing one is
 * reported with how to install it.
 *
 * <p>A field of the wrong type is an error naming the field, the value and the type expected, never a
 * silent default. Missing fields take {@link #DEFAULT_TIMEOUT_SECONDS}, {@link #DEFAULT_MEMORY_MB} and empty
 * lists; {@code languages} is required.
 */
public record BenchmarkConfig(int timeout, int memory, List<String> languages, List<String> modules,
    List<String> tools) {

  /** The timeout of a config.json without {@code "timeout"}. */
  public static final int DEFAULT_TIMEOUT_SECONDS = 60;
  /** The memory of a config.json without {@code "memory"}. */
  public static final int DEFAULT_MEMORY_MB = 128;

  /**
   * Reads and checks {@code file}.
   *
   * @throws IllegalArgumentException when the file is not JSON, a field has the wrong type or no language
   *     is listed, naming the file, the field and the fix
   */
  public static BenchmarkConfig read(Path file) {
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read benchmark configuration " + file + ": " + e.getMessage(), e);
    }
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException(file + " is not a JSON object: a config.json looks like "
          + "{\"timeout\": 10, \"memory\": 128, \"languages\": [\"python\"], \"modules\": []}");
    }
    List<String> languages = strings(file, json, "languages", "\"languages\": [\"python\", \"nodejs\"]");
    if (languages.isEmpty()) {
      throw new IllegalArgumentException(file + " lists no languages: add \"languages\": [\"python\"]");
    }
    return new BenchmarkConfig(
        positiveInt(file, json, "timeout", DEFAULT_TIMEOUT_SECONDS, "seconds", "\"timeout\": 10"),
        positiveInt(file, json, "memory", DEFAULT_MEMORY_MB, "MB", "\"memory\": 128"),
        languages,
        strings(file, json, "modules", "\"modules\": [\"storage\"]"),
        strings(file, json, "tools", "\"tools\": [\"ffmpeg\"]"));
  }

  private static int positiveInt(Path file, JsonNode json, String field, int fallback, String unit, String example) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.canConvertToExactIntegral() || value.asLong() <= 0 || value.asLong() > Integer.MAX_VALUE) {
      throw wrongType(file, field, value, "a positive whole number of " + unit, example
          + " (or leave \"" + field + "\" out for the default, " + fallback + " " + unit + ")");
    }
    return value.asInt();
  }

  private static List<String> strings(Path file, JsonNode json, String field, String example) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw wrongType(file, field, value, "a list of strings", example);
    }
    List<String> items = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isTextual()) {
        throw wrongType(file, field, value, "a list of strings", example);
      }
      items.add(item.asText());
    }
    return List.copyOf(items);
  }

  private static IllegalArgumentException wrongType(Path file, String field, JsonNode value, String expected,
      String example) {
    return new IllegalArgumentException(file + ": \"" + field + "\" is " + value + " (" + describe(value)
        + ") but must be " + expected + ", e.g. " + example);
  }

  private static String describe(JsonNode value) {
    if (value.isTextual()) {
      return "a string";
    }
    if (value.isNumber()) {
      return value.canConvertToExactIntegral() ? "a whole number" : "a fractional number";
    }
    if (value.isBoolean()) {
      return "a boolean";
    }
    if (value.isArray()) {
      return "a list";
    }
    return value.isObject() ? "an object" : value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
