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
 */
public record BenchmarkConfig(int timeout, int memory, List<String> languages, List<String> modules,
    List<String> tools) {

  public static BenchmarkConfig read(Path file) {
    try {
      JsonNode json = new ObjectMapper().readTree(file.toFile());
      List<String> languages = new ArrayList<>();
      json.path("languages").forEach(l -> languages.add(l.asText()));
      List<String> modules = new ArrayList<>();
      json.path("modules").forEach(m -> modules.add(m.asText()));
      List<String> tools = new ArrayList<>();
      json.path("tools").forEach(t -> tools.add(t.asText()));
      int timeout = json.path("timeout").asInt(60);
      int memory = json.path("memory").asInt(128);
      if (languages.isEmpty()) {
        throw new IllegalArgumentException(file + " lists no languages: add \"languages\": [\"python\"]");
      }
      return new BenchmarkConfig(timeout, memory, List.copyOf(languages), List.copyOf(modules), List.copyOf(tools));
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read benchmark configuration " + file + ": " + e.getMessage(), e);
    }
  }
}
