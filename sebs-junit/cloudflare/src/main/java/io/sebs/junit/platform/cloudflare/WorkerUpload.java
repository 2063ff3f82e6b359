package io.sebs.junit.platform.cloudflare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The body of a Workers Scripts API upload ({@code PUT /accounts/{id}/workers/scripts/{name}}): multipart/form-data
 * with a {@value #METADATA} part (JSON: main_module, compatibility date and flags, plain_text, secret_text,
 * r2_bucket, service and durable_object_namespace bindings, Durable Object migrations) and one part
 * per module of the bundle, named (and filed) by the module's name, whose content type tells Cloudflare the kind:
 * {@value #ES_MODULE}, {@value #JSON}, {@value #DATA}. The modules are those workerd loads ({@link
 * WorkerBundle#modules}), so the Worker on Cloudflare is the one cloudflare-local runs.
 */
final class WorkerUpload {

  static final String METADATA = "metadata";
  static final String ES_MODULE = "application/javascript+module";
  static final String JSON = "application/json";
  static final String DATA = "application/octet-stream";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String boundary;
  private final byte[] body;
  private final ObjectNode metadata;

  private WorkerUpload(String boundary, byte[] body, ObjectNode metadata) {
    this.boundary = boundary;
    this.body = body;
    this.metadata = metadata;
  }

  /** The content type of a module kind's part. */
  static String contentType(WorkerdConfig.Kind kind) {
    return switch (kind) {
      case ES_MODULE -> ES_MODULE;
      case JSON -> JSON;
      case DATA -> DATA;
    };
  }

  /** The metadata part with plain_text bindings only. */
  static ObjectNode metadata(List<WorkerdConfig.Module> modules, LocalDate compatibilityDate,
      Map<String, String> text) {
    return metadata(modules, compatibilityDate, text, Map.of());
  }

  /**
   * The metadata part: the first module is the main module; {@code text} becomes plain_text bindings, {@code r2}
   * (binding name to bucket) r2_bucket bindings.
   */
  static ObjectNode metadata(List<WorkerdConfig.Module> modules, LocalDate compatibilityDate,
      Map<String, String> text, Map<String, String> r2) {
    return metadata(modules, compatibilityDate, text, r2, Map.of(), Map.of());
  }

  /**
   * The metadata part as above, with {@code secrets} as secret_text bindings (write-only on Cloudflare: the API
   * never shows them again) and {@code services} (binding name to script) as service bindings to other Workers
   * of the account.
   */
  static ObjectNode metadata(List<WorkerdConfig.Module> modules, LocalDate compatibilityDate,
      Map<String, String> text, Map<String, String> r2, Map<String, String> secrets, Map<String, String> services) {
    ObjectNode metadata = MAPPER.createObjectNode();
    metadata.put("main_module", modules.get(0).name());
    metadata.put("compatibility_date", compatibilityDate.toString());
    ArrayNode flags = metadata.putArray("compatibility_flags");
    WorkerdConfig.compatibilityFlags(compatibilityDate).forEach(flags::add);
    ArrayNode bindings = metadata.putArray("bindings");
    text.forEach((name, value) -> bindings.addObject().put("type", "plain_text").put("name", name).put("text", value));
    r2.forEach((name, bucket) -> bindings.addObject().put("type", "r2_bucket").put("name", name)
        .put("bucket_name", bucket));
    secrets.forEach((name, value) -> bindings.addObject().put("type", "secret_text").put("name", name)
        .put("text", value));
    services.forEach((name, script) -> bindings.addObject().put("type", "service").put("name", name)
        .put("service", script));
    return metadata;
  }

  /**
   * The metadata part of a Worker that implements Durable Objects: its bindings to its own classes
   * (durable_object_namespace with class_name) and the migration that creates them as SQLite-backed classes
   * ({@code migrations: {new_tag, new_sqlite_classes}}), besides the secret_text bindings.
   */
  static ObjectNode metadataWithDurableObjects(String mainModule, LocalDate compatibilityDate,
      List<WorkerdConfig.DurableObjectBinding> durableObjects, String migrationTag, Map<String, String> secrets) {
    ObjectNode metadata = MAPPER.createObjectNode();
    metadata.put("main_module", mainModule);
    metadata.put("compatibility_date", compatibilityDate.toString());
    metadata.putArray("compatibility_flags");
    ArrayNode bindings = metadata.putArray("bindings");
    durableObjects.forEach(d -> bindings.addObject().put("type", "durable_object_namespace").put("name", d.binding())
        .put("class_name", d.className()));
    secrets.forEach((name, value) -> bindings.addObject().put("type", "secret_text").put("name", name)
        .put("text", value));
    ObjectNode migrations = metadata.putObject("migrations");
    migrations.put("new_tag", migrationTag);
    ArrayNode classes = migrations.putArray("new_sqlite_classes");
    durableObjects.stream().map(WorkerdConfig.DurableObjectBinding::className).distinct().forEach(classes::add);
    return metadata;
  }

  /** The upload of the bundle in {@code packageDir} with the given metadata. */
  static WorkerUpload of(Path packageDir, List<WorkerdConfig.Module> modules, ObjectNode metadata) {
    Map<WorkerdConfig.Module, byte[]> contents = new java.util.LinkedHashMap<>();
    try {
      for (WorkerdConfig.Module module : modules) {
        contents.put(module, Files.readAllBytes(packageDir.resolve(module.file())));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the Worker's modules in " + packageDir, e);
    }
    return of(contents, metadata);
  }

  /** The upload of these modules (in this order) with the given metadata. */
  static WorkerUpload of(Map<WorkerdConfig.Module, byte[]> modules, ObjectNode metadata) {
    String boundary = "sebs-" + UUID.randomUUID();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      part(out, boundary, METADATA, null, JSON, MAPPER.writeValueAsBytes(metadata));
      for (Map.Entry<WorkerdConfig.Module, byte[]> module : modules.entrySet()) {
        part(out, boundary, module.getKey().name(), module.getKey().name(), contentType(module.getKey().kind()),
            module.getValue());
      }
      out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the upload", e);
    }
    return new WorkerUpload(boundary, out.toByteArray(), metadata);
  }

  private static void part(ByteArrayOutputStream out, String boundary, String name, String filename,
      String contentType, byte[] content) throws IOException {
    StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
        .append("Content-Disposition: form-data; name=\"").append(escape(name)).append('"');
    if (filename != null) {
      head.append("; filename=\"").append(escape(filename)).append('"');
    }
    head.append("\r\nContent-Type: ").append(contentType).append("\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.UTF_8));
    out.write(content);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  /** Quotes and line breaks as browsers encode them in form-data names (RFC 7578, 4.2). */
  private static String escape(String name) {
    return name.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
  }

  String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  byte[] body() {
    return body;
  }

  ObjectNode metadata() {
    return metadata;
  }

  static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
