package io.sebs.junit.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.NoSqlStorage;
import io.sebs.junit.ObjectStorage;
import io.sebs.junit.benchmark.Benchmark;
import io.sebs.junit.benchmark.InputBridge;
import io.sebs.junit.storage.PlatformStorage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Does what a benchmark's input.py asked for on the platform's storage: uploads its files into the
 * run's bucket, creates its NoSQL tables (named per run and benchmark) and inserts its rows. Returns the
 * logical-to-physical table names the function gets in {@code SEBS_NOSQL_TABLES}.
 */
final class InputStaging {

  private static final Logger LOG = Logger.getLogger(InputStaging.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private InputStaging() {}

  /** @param dataDir the run's data directory, whose files are never deleted */
  static Map<String, String> stage(Benchmark benchmark, InputBridge.GeneratedInput input, PlatformStorage storage,
      String runId, java.util.Optional<java.nio.file.Path> dataDir) {
    if (!input.uploads().isEmpty() || input.inputBuckets() + input.outputBuckets() > 0) {
      ObjectStorage objects = storage.objectStorage();
      objects.createBucket(input.bucket());
      long bytes = 0;
      for (InputBridge.Upload upload : input.uploads()) {
        objects.upload(input.bucket(), upload.key(), upload.file());
        bytes += upload.file().toFile().length();
      }
      long total = bytes;
      removeGeneratedFiles(input, dataDir);
      LOG.info(() -> "Uploaded " + input.uploads().size() + " input files (" + total + " bytes) of "
          + benchmark.id() + " to bucket " + input.bucket());
    }
    Map<String, String> tables = new LinkedHashMap<>();
    if (input.tables().isEmpty() && input.rows().isEmpty()) {
      return tables;
    }
    NoSqlStorage nosql = storage.noSqlStorage();
    for (InputBridge.NoSqlTable table : input.tables().values()) {
      String physical = tableName(runId, benchmark, table.name());
      nosql.createTable(physical, table.partitionKey(), table.sortKey());
      tables.put(table.name(), physical);
    }
    for (InputBridge.NoSqlRow row : input.rows()) {
      String physical = tables.get(row.table());
      if (physical == null) {
        throw new IllegalArgumentException("input.py of " + benchmark.id() + " inserts into table '" + row.table()
            + "', which allocate_nosql() does not declare (it declares " + tables.keySet() + ")");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> item = new LinkedHashMap<>(JSON.convertValue(row.item(), Map.class));
      putKey(item, row.primaryKey());
      putKey(item, row.secondaryKey());
      nosql.insert(physical, item);
    }
    return tables;
  }

  /**
   * Deletes the files input.py generated in the temporary directory once they are uploaded (files from a
   * data directory are never touched).
   */
  private static void removeGeneratedFiles(InputBridge.GeneratedInput input,
      java.util.Optional<java.nio.file.Path> dataDir) {
    java.util.Optional<java.nio.file.Path> data = dataDir.map(d -> d.toAbsolutePath().normalize());
    java.nio.file.Path tmp = java.nio.file.Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
    java.util.Set<java.nio.file.Path> folders = new java.util.HashSet<>();
    for (InputBridge.Upload upload : input.uploads()) {
      java.nio.file.Path file = upload.file().toAbsolutePath().normalize();
      boolean fromData = data.isPresent() && file.startsWith(data.get());
      if (!fromData && file.startsWith(tmp) && !file.getParent().equals(tmp)) {
        try {
          java.nio.file.Files.deleteIfExists(file);
          folders.add(tmp.resolve(tmp.relativize(file).getName(0)));
        } catch (java.io.IOException e) {
          LOG.fine(() -> "Cannot delete generated input " + file + ": " + e.getMessage());
        }
      }
    }
    for (java.nio.file.Path folder : folders) {
      try (var walk = java.nio.file.Files.walk(folder)) {
        if (walk.allMatch(java.nio.file.Files::isDirectory)) { // only empty folders left
          io.sebs.junit.process.Command.deleteTree(folder);
        }
      } catch (java.io.IOException | java.io.UncheckedIOException e) {
        LOG.fine(() -> "Cannot delete generated input folder " + folder + ": " + e.getMessage());
      }
    }
  }

  private static void putKey(Map<String, Object> item, JsonNode pair) {
    if (pair.isArray() && pair.size() == 2) {
      item.put(pair.get(0).asText(), pair.get(1).asText());
    }
  }

  /** {@code sebs-<run>-<benchmark>-<table>}, within DynamoDB's 255 characters. */
  static String tableName(String runId, Benchmark benchmark, String table) {
    String name = "sebs-" + runId + "-" + benchmark.slug() + "-" + table.replaceAll("[^A-Za-z0-9_.-]", "_");
    return name.length() <= 255 ? name : name.substring(0, 255);
  }
}
