package io.sebs.junit.platform.cloudflare;

import io.sebs.junit.platform.pool.FunctionInstance;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The sebs-nosql Worker run locally: one workerd process serving {@value #MODULE}, NoSQL tables as Durable
 * Objects (one per table: strongly consistent, transactional storage whose keys list by prefix, which gives query
 * by partition key; Workers KV is eventually consistent and D1 would need the items emulated over SQL). On
 * Cloudflare it is one Worker deployed per run that every function Worker reaches through a service binding
 * named {@value #BINDING}, and all Workers share one Durable Object per table; locally every function instance's
 * workerd binds {@value #BINDING} to this process's loopback address ({@link #binding()}), so the function-side
 * code is the same. The test side uses the same HTTP API ({@link CloudflareNoSqlStorage}). Storage is in memory:
 * each process starts with no tables.
 */
public final class NoSqlWorker implements AutoCloseable {

  /** The function Worker's service binding to this Worker, which function/nosql.js fetches through. */
  public static final String BINDING = "SEBS_NOSQL";
  /** The text binding holding the bearer token the Worker requires, when it has one. */
  public static final String TOKEN_BINDING = "SEBS_NOSQL_TOKEN";
  static final String MODULE = "sebs_nosql.js";
  /** The Worker's Durable Object namespace bindings: the tables and their catalog, classes it exports. */
  static final java.util.List<WorkerdConfig.DurableObjectBinding> DURABLE_OBJECTS = java.util.List.of(
      new WorkerdConfig.DurableObjectBinding("SEBS_NOSQL_TABLE", "SebsNoSqlTable"),
      new WorkerdConfig.DurableObjectBinding("SEBS_NOSQL_CATALOG", "SebsNoSqlCatalog"));
  private static final String RESOURCE = "/io/sebs/junit/platform/cloudflare/nosql/" + MODULE;

  private final FunctionInstance process;

  private NoSqlWorker(FunctionInstance process) {
    this.process = process;
  }

  /**
   * Starts the Worker on a free loopback port and waits until it listens.
   *
   * @param workerd the workerd binary ({@link WorkersTools#workerd()})
   * @param cacheDir where the Worker's module and configuration are written (under {@code cloudflare-nosql/})
   * @param token the bearer token requests must carry, or empty for none
   */
  public static NoSqlWorker start(Path workerd, Path cacheDir, LocalDate compatibilityDate, Optional<String> token,
      Duration startTimeout) {
    byte[] module = module();
    Path dir = cacheDir.resolve("cloudflare-nosql").resolve(sha256(module).substring(0, 16));
    writeOnce(dir.resolve(MODULE), module);
    Path config = WorkerBundle.writeConfig(dir, WorkerdConfig.renderNoSql(MODULE, compatibilityDate, token));
    try {
      return new NoSqlWorker(WorkerdInstance.start(workerd, config, startTimeout, 0));
    } catch (FunctionInstance.StartException e) {
      throw new IllegalStateException("cannot start the sebs-nosql Worker: " + e.getMessage(), e);
    }
  }

  /** Where the admin API and the functions' binding reach the Worker, {@code http://127.0.0.1:<port>/}. */
  public URI endpoint() {
    return process.endpoint();
  }

  /** The function Worker's service binding to this Worker, for {@code WorkerdConfig.render(..., services)}. */
  WorkerdConfig.ExternalService binding() {
    return WorkerdConfig.ExternalService.at(BINDING, endpoint());
  }

  /** Whether the workerd process still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** How the process ended (or that it runs), with its last output lines. */
  public String describe() {
    return process.describeDeath();
  }

  /** Kills the process; the tables are gone with it. Idempotent. */
  @Override
  public void close() {
    process.kill();
  }

  /** The Worker's one module, {@value #MODULE}. */
  static byte[] module() {
    try (InputStream in = NoSqlWorker.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + RESOURCE, e);
    }
  }

  /** Writes the file unless it exists (its folder is named by its content), atomically for other JVMs. */
  private static void writeOnce(Path file, byte[] content) {
    try {
      if (Files.exists(file)) {
        return;
      }
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), MODULE, ".tmp");
      Files.write(tmp, content);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
