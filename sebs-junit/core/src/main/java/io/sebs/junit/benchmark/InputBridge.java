package io.sebs.junit.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.process.Command;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a benchmark's SeBS {@code input.py} unchanged, through a small python3 bridge: {@code
 * generate_input} for a size, and {@code validate_output} over the outputs a test collected. The bridge
 * records the uploads and NoSQL rows input.py asks for, so the framework performs them with its own
 * storage clients.
 */
public final class InputBridge {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESOURCE = "/io/sebs/junit/benchmark/input_bridge.py";
  /** The bridge's exit code when input.py does not follow SeBS's interface. */
  private static final int CONFIGURATION_ERROR = 3;

  private final Path script;
  private final String python;

  /** @param workDir where the bridge script is unpacked */
  public InputBridge(Path workDir, String python) {
    this.python = python;
    try (InputStream in = InputBridge.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("Missing resource " + RESOURCE + " in the sebs-junit jar");
      }
      Files.createDirectories(workDir);
      Path tmp = Files.createTempFile(workDir, "input_bridge", ".py");
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      this.script = workDir.resolve("input_bridge.py");
      Files.move(tmp, script, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot unpack the input bridge into " + workDir, e);
    }
  }

  /** Calls {@code generate_input} of the benchmark for a size, with SeBS's default bucket name. */
  public GeneratedInput generate(Benchmark benchmark, String size, Optional<Path> dataDir) {
    return generate(benchmark, size, dataDir, "sebs-benchmarks");
  }

  /**
   * Calls {@code generate_input} of the benchmark for a size; input and output prefixes in the bucket are
   * named after the benchmark ({@code <id>-<i>-input}).
   */
  public GeneratedInput generate(Benchmark benchmark, String size, Optional<Path> dataDir, String bucket) {
    if (!Files.isRegularFile(benchmark.inputScript())) {
      throw new IllegalArgumentException("Benchmark " + benchmark.id() + " has no input.py in "
          + benchmark.directory() + ": add one with generate_input(...) as in SeBS");
    }
    Command.Result result = Command.of(python, script.toString(), "generate",
            benchmark.directory().toString(), size, dataDir.map(Path::toString).orElse(""),
            "--bucket", bucket, "--prefix-base", benchmark.id())
        .timeout(Duration.ofMinutes(5))
        .run()
        .orThrow("Input generation for " + benchmark.id() + " (size " + size + ")");
    JsonNode json = parseLastLine(result.stdout(), "generate");
    List<Upload> uploads = new ArrayList<>();
    for (JsonNode u : json.path("uploads")) {
      uploads.add(new Upload(u.path("prefix_index").asInt(), u.path("object_key").asText(),
          Path.of(u.path("file").asText())));
    }
    Map<String, NoSqlTable> tables = new LinkedHashMap<>();
    json.path("nosql_tables").fields().forEachRemaining(e -> tables.put(e.getKey(), new NoSqlTable(e.getKey(),
        e.getValue().path("primary_key").asText(), e.getValue().path("secondary_key").asText(null))));
    List<NoSqlRow> rows = new ArrayList<>();
    for (JsonNode r : json.path("nosql")) {
      rows.add(new NoSqlRow(r.path(1).asText(), r.path(2), r.path(3), r.path(4)));
    }
    JsonNode input = json.path("input");
    if (!input.isObject()) {
      throw new IllegalStateException("generate_input of " + benchmark.id() + " returned " + input
          + " instead of a dict");
    }
    return new GeneratedInput((ObjectNode) input, bucket, uploads, tables, rows,
        json.path("buckets").path(0).asInt(0), json.path("buckets").path(1).asInt(0), dataDir);
  }

  /**
   * Calls {@code validate_output} on each output as SeBS does: {@code validate_output(data_dir, input_config,
   * output, language, storage)} with {@code output} the function's whole return value (the dict with
   * {@code result}, see {@link #sebsOutput}) and no storage client; empty when the benchmark's input.py
   * defines none.
   *
   * @param dataDir the data directory {@code generate_input} was given (SeBS's benchmarks-data folder of the
   *     benchmark), if any
   * @throws BenchmarkConfigurationException when validate_output cannot take SeBS's five arguments
   */
  public Optional<List<Validation>> validate(Benchmark benchmark, Language language, Optional<Path> dataDir,
      JsonNode input, List<JsonNode> outputs) {
    if (!Files.isRegularFile(benchmark.inputScript())) {
      return Optional.empty();
    }
    ObjectNode request = JSON.createObjectNode();
    request.set("input", input);
    request.put("data_dir", dataDir.map(Path::toString).orElse(null));
    ArrayNode array = request.putArray("outputs");
    outputs.forEach(array::add);
    Command.Result result = Command.of(python, script.toString(), "validate",
            benchmark.directory().toString(), language.id())
        .stdin(request.toString())
        .timeout(Duration.ofMinutes(5))
        .run();
    if (result.exitCode() == CONFIGURATION_ERROR) {
      throw new BenchmarkConfigurationException("Benchmark " + benchmark.id() + ": "
          + result.stderr().strip().replaceFirst("^input_bridge: ", ""));
    }
    result.orThrow("Output validation for " + benchmark.id());
    JsonNode json = parseLastLine(result.stdout(), "validate");
    if (!json.path("supported").asBoolean(false)) {
      return Optional.empty();
    }
    List<Validation> validations = new ArrayList<>();
    json.path("results").forEach(r -> validations.add(new Validation(
        r.path("valid").asBoolean(false),
        r.path("reason").isTextual() ? r.path("reason").asText() : null)));
    return Optional.of(validations);
  }

  /**
   * What SeBS hands {@code validate_output} as {@code output}: the function's return value, {@code
   * {"result": ..., "measurement": ...}} (SeBS's wrappers put it under the answer's {@code result}, and SeBS
   * passes that on). The wrappers here unwrap it into {@code output} and {@code measurement}, so it is put
   * back together; other keys a handler returned are not carried by the function contract.
   */
  public static ObjectNode sebsOutput(JsonNode output, JsonNode measurement) {
    ObjectNode returned = JSON.createObjectNode();
    returned.set("result", output == null || output.isMissingNode() ? JSON.nullNode() : output);
    if (measurement != null && !measurement.isMissingNode() && !measurement.isNull()) {
      returned.set("measurement", measurement);
    }
    return returned;
  }

  private static JsonNode parseLastLine(String stdout, String what) {
    String[] lines = stdout.strip().split("\n");
    try {
      return JSON.readTree(lines[lines.length - 1]);
    } catch (IOException e) {
      throw new IllegalStateException("The input bridge (" + what + ") printed no JSON: " + stdout, e);
    }
  }

  /**
   * What {@code generate_input} returned and asked for; {@code dataDir} is the data directory it was given,
   * which {@code validate_output} gets too.
   */
  public record GeneratedInput(ObjectNode input, String bucket, List<Upload> uploads, Map<String, NoSqlTable> tables,
      List<NoSqlRow> rows, int inputBuckets, int outputBuckets, Optional<Path> dataDir) {

    /** Whether the benchmark needs storage (uploads or NoSQL rows) that must be set up before invoking. */
    public boolean needsStorage() {
      return !uploads.isEmpty() || !tables.isEmpty() || !rows.isEmpty() || inputBuckets + outputBuckets > 0;
    }
  }

  /** One file input.py asked to upload: the object key includes its input prefix. */
  public record Upload(int prefixIndex, String key, Path file) {}

  /** A table input.py's {@code allocate_nosql} asks for; {@code sortKey} may be null. */
  public record NoSqlTable(String name, String partitionKey, String sortKey) {}

  /** A row input.py asked to insert: key parts as {@code [name, value]} pairs (sort key may be missing). */
  public record NoSqlRow(String table, JsonNode item, JsonNode primaryKey, JsonNode secondaryKey) {}

  /** The verdict of {@code validate_output} on one output. */
  public record Validation(boolean valid, String reason) {}
}
