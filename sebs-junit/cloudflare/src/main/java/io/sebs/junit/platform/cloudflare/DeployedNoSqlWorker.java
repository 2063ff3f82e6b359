package io.sebs.junit.platform.cloudflare;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The sebs-nosql Worker ({@code nosql/sebs_nosql.js}, the one cloudflare-local runs as {@link NoSqlWorker})
 * deployed to the account for one run of the cloudflare platform: uploaded once through the Workers Scripts API
 * with its two Durable Object classes (durable_object_namespace bindings and a migration creating them as
 * SQLite-backed classes), enabled on workers.dev, and deleted with its objects when the run closes ({@code
 * DELETE ?force=true}).
 *
 * <p>It holds the run's tables, so it must not be an open database on the internet: it gets a random per-run
 * secret as the secret_text binding {@value NoSqlWorker#TOKEN_BINDING} and answers only requests carrying it as a
 * bearer token. The test side ({@link #storage()}) reaches it on its workers.dev URL with that token; function
 * Workers reach it through their service binding {@value NoSqlWorker#BINDING}, and get the same secret as a
 * secret_text binding, which {@code function/nosql.js} sends.
 */
final class DeployedNoSqlWorker {

  /** The migration tag of the upload that creates the Durable Object classes. */
  static final String MIGRATION_TAG = "sebs-nosql-v1";
  private static final Logger LOG = Logger.getLogger(DeployedNoSqlWorker.class.getName());

  private final String script;
  private final URI url;
  private final String token;

  private DeployedNoSqlWorker(String script, URI url, String token) {
    this.script = script;
    this.url = url;
    this.token = token;
  }

  /** The script name of a run's sebs-nosql Worker: {@code sebs-nosql-<hash of the run id>}. */
  static String scriptName(String runId) {
    return "sebs-nosql-" + WorkerUpload.sha256("nosql/" + runId).substring(0, 12);
  }

  /**
   * Uploads the Worker as {@code script} with a new secret, enables it on workers.dev and waits (bounded by
   * {@code wait}) until workers.dev routes to it and it accepts the secret. {@code uploaded} is called with the
   * script's name before the upload, so that a later failure still deletes it.
   */
  static DeployedNoSqlWorker deploy(CloudflareApi api, HttpClient http, String script, URI url,
      LocalDate compatibilityDate, Duration wait, java.util.function.Consumer<String> uploaded) {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String token = HexFormat.of().formatHex(random);
    ObjectNode metadata = WorkerUpload.metadataWithDurableObjects(NoSqlWorker.MODULE, compatibilityDate,
        NoSqlWorker.DURABLE_OBJECTS, MIGRATION_TAG, Map.of(NoSqlWorker.TOKEN_BINDING, token));
    Map<WorkerdConfig.Module, byte[]> modules = new LinkedHashMap<>();
    modules.put(new WorkerdConfig.Module(NoSqlWorker.MODULE, WorkerdConfig.Kind.ES_MODULE, NoSqlWorker.MODULE),
        NoSqlWorker.module());
    uploaded.accept(script);
    LOG.info(() -> "Uploading the sebs-nosql Worker " + script + " (Durable Objects) to Cloudflare");
    api.upload(script, WorkerUpload.of(modules, metadata));
    api.enableOnWorkersDev(script);
    DeployedNoSqlWorker worker = new DeployedNoSqlWorker(script, url, token);
    worker.awaitServed(http, wait);
    return worker;
  }

  /**
   * Lists the tables until the Worker answers 200: workers.dev may answer 404 for a while after a new script is
   * enabled. Any other answer (401: the secret not accepted) fails at once.
   */
  private void awaitServed(HttpClient http, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    String last = "no answer";
    while (true) {
      try {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(url.resolve("tables"))
            .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 200) {
          return;
        }
        last = "HTTP " + answer.statusCode() + ": " + io.sebs.junit.platform.FunctionContract.abbreviate(answer.body());
        if (answer.statusCode() != 404) {
          throw new IllegalStateException("The sebs-nosql Worker " + script + " at " + url + " refused the run's"
              + " listing of its tables: " + last);
        }
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for the sebs-nosql Worker " + script, e);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("workers.dev did not route to the sebs-nosql Worker " + script + " at " + url
            + " within " + wait.toSeconds() + " s (-D" + CloudflareSettings.COLD_START_TIMEOUT + "; last: " + last + ")");
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for the sebs-nosql Worker " + script, e);
      }
    }
  }

  String script() {
    return script;
  }

  URI url() {
    return url;
  }

  /** The run's secret, which the Worker requires as a bearer token. */
  String token() {
    return token;
  }

  /** The test side's view of the tables: the Worker's HTTP API on workers.dev, with the secret. */
  CloudflareNoSqlStorage storage() {
    return new CloudflareNoSqlStorage(url, Optional.of(token));
  }
}
