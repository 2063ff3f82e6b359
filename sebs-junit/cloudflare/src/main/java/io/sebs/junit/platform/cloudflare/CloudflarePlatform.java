package io.sebs.junit.platform.cloudflare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.benchmark.FunctionSpec;
import io.sebs.junit.platform.ClientClock;
import io.sebs.junit.platform.DeployedFunction;
import io.sebs.junit.platform.FunctionContract;
import io.sebs.junit.platform.InvocationResult;
import io.sebs.junit.platform.Platform;
import io.sebs.junit.platform.PlatformContext;
import io.sebs.junit.storage.StorageModules;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Cloudflare Workers deployed through Cloudflare's API ({@code -Dsebs.platform=cloudflare}): the Worker
 * cloudflare-local runs ({@link WorkerBundle}: the wrapper and a Node.js benchmark bundled by esbuild, its source
 * map, its data files) is uploaded with the Workers Scripts API ({@link WorkerUpload}, {@link CloudflareApi}) as
 * a script named per run, enabled on the account's workers.dev subdomain and invoked there over HTTPS with the
 * wrapper's protocol. Scripts are the run's own: {@link #close()} deletes every one it uploaded.
 *
 * <p>A cold start is enforced by uploading the script again with a new {@value #COLD_START_BINDING} binding: a
 * new version, which Cloudflare serves from new isolates. Isolates of the old version may answer while the new one
 * propagates, so the next request names the new value ({@value #COLD_START_HEADER}), older isolates refuse it
 * unrun (409) and it is sent again, bounded by {@code sebs.cloudflare.coldStartTimeout}; the wrapper's
 * {@code is_cold} then shows the cold start. The init time of a cold answer is the version's {@code
 * startup_time_ms} as Cloudflare measured it at upload (parsing and running the global scope): Cloudflare reports
 * no per-isolate start. Workers have no wall-clock limit, so the benchmark's timeout is the client's: past it the
 * client stops waiting (Cloudflare then cancels the request) and the invocation fails.
 *
 * <p>Object storage is R2 ({@link CloudflareR2Storage}): the run's bucket is created through the API, a function
 * using the module storage gets an r2_bucket binding to it (and {@code SEBS_R2_BUCKETS}, as on cloudflare-local),
 * the test side uses R2's S3 API. NoSQL is the sebs-nosql Worker's Durable Objects ({@link DeployedNoSqlWorker}),
 * deployed once per run on first use: a function using the module nosql gets a service binding
 * {@value NoSqlWorker#BINDING} to it (and its secret, {@value NoSqlWorker#TOKEN_BINDING}), as on cloudflare-local,
 * and the test side reaches it on workers.dev with the run's secret. {@link #close()} deletes it with its objects
 * after the function scripts.
 */
public final class CloudflarePlatform implements Platform {

  public static final String NAME = "cloudflare";
  /** The text binding that makes each enforced cold start a new version (and that the wrapper compares). */
  static final String COLD_START_BINDING = "SEBS_COLD_START";
  static final String COLD_START_HEADER = "x-sebs-cold-start";
  static final String STALE = "stale isolate: it runs the version before the enforced cold start";
  /** The start of the failure reason of a 404 that is not the wrapper's (it answers every POST). */
  static final String NOT_ROUTED = "HTTP 404: no Worker at the URL";
  private static final Logger LOG = Logger.getLogger(CloudflarePlatform.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PlatformContext context;
  private final CloudflareSettings settings;
  private final CloudflareSettings.Api account;
  private final CloudflareApi api;
  private final WorkersTools tools;
  private final HttpClient http;
  private final io.sebs.junit.platform.OncePerKey<DeployedFunction> deployments = new io.sebs.junit.platform.OncePerKey<>();
  private final Map<String, Script> scripts = new ConcurrentHashMap<>();
  private final AtomicLong versions = new AtomicLong();
  private volatile String subdomain;
  private CloudflareR2Storage storage;
  /** The run's sebs-nosql Worker once deployed; its script name as soon as it is uploaded (for clean-up). */
  private DeployedNoSqlWorker noSqlWorker;
  private volatile String noSqlScript;
  private RuntimeException noSqlFailure;

  /** An uploaded script: where it answers, how to upload it again, and an enforced cold start not yet seen. */
  static final class Script {
    final String name;
    final URI url;
    final WorkerBundle.Prepared bundle;
    final Map<String, String> environment;
    /** R2 bindings: binding name to bucket. */
    final Map<String, String> r2;
    /** secret_text bindings: name to value. */
    final Map<String, String> secrets;
    /** Service bindings: binding name to script. */
    final Map<String, String> services;
    final FunctionSpec spec;
    /** Cloudflare's startup_time_ms of the current version, in microseconds; -1 when not reported. */
    volatile long startupMicros = -1;
    volatile String coldStartPending;
    /** Whether the script has answered once (until then a 404 means workers.dev does not route to it yet). */
    volatile boolean answered;

    Script(String name, URI url, WorkerBundle.Prepared bundle, Map<String, String> environment,
        Map<String, String> r2, Map<String, String> secrets, Map<String, String> services, FunctionSpec spec) {
      this.name = name;
      this.url = url;
      this.bundle = bundle;
      this.environment = environment;
      this.r2 = r2;
      this.secrets = secrets;
      this.services = services;
      this.spec = spec;
    }
  }

  CloudflarePlatform(PlatformContext context, CloudflareSettings settings, CloudflareSettings.Api account) {
    this.context = context;
    this.settings = settings;
    this.account = account;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).version(HttpClient.Version.HTTP_1_1)
        .build();
    this.api = new CloudflareApi(account, http);
    this.tools = WorkersTools.install(context.cacheDir(), settings.workerd());
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Cloudflare Workflows are not driven here, so sebs-junit's engine orchestrates SeBS-Flow workflows from the test
   * JVM, each function a Worker of its own invoked over HTTPS, as on cloudflare-local: the figures include one
   * internet round trip per function call, which an orchestrator running on Cloudflare would not pay.
   */
  @Override
  public boolean orchestratesWorkflowsInTheClient() {
    return true;
  }

  /** Deploys once per deployment key; concurrent callers of the same key wait for that upload. */
  @Override
  public DeployedFunction deploy(FunctionSpec spec, Map<String, String> environment) {
    return deployments.get(spec.deploymentKey(), () -> create(spec, environment));
  }


  /** What the REST path cannot deploy fails before anything is uploaded. */
  static void checkSupported(FunctionSpec spec) {
    CloudflareLocalPlatform.checkSupported(spec, NAME);
  }

  private DeployedFunction create(FunctionSpec spec, Map<String, String> extraEnvironment) {
    checkSupported(spec);
    WorkerBundle.Prepared bundle = WorkerBundle.prepare(context, tools.esbuild(), spec);
    String name = scriptName(spec, context.runId());
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SEBS_FUNCTION_NAME", name);
    env.put("SEBS_MEMORY_MB", Integer.toString(spec.memoryMb()));
    env.putAll(extraEnvironment);
    env.keySet().removeAll(CloudflareLocalPlatform.ENDPOINT_VARIABLES);
    URI url = workersUrl(name);
    Map<String, String> secrets = new LinkedHashMap<>();
    Map<String, String> services = new LinkedHashMap<>();
    if (StorageModules.usesNoSql(spec)) {
      DeployedNoSqlWorker nosql = noSqlWorker();
      services.put(NoSqlWorker.BINDING, nosql.script());
      secrets.put(NoSqlWorker.TOKEN_BINDING, nosql.token());
    }
    Map<String, String> r2 = StorageModules.usesObjectStorage(spec) ? storage().r2Bindings() : Map.of();
    if (!r2.isEmpty()) {
      ObjectNode buckets = JSON.createObjectNode();
      r2.forEach((binding, bucket) -> buckets.put(bucket, binding));
      env.put(CloudflareLocalPlatform.R2_BUCKETS_BINDING, buckets.toString());
    }
    Script script = new Script(name, url, bundle, env, r2, secrets, services, spec);
    scripts.put(name, script); // deleted on close from here on, even when a later step fails
    LOG.info(() -> "Uploading Worker " + name + " to Cloudflare account " + account.accountId());
    upload(script, version(0));
    api.enableOnWorkersDev(name);
    return new DeployedFunction(name, spec, bundle.code().codeHash());
  }

  private URI workersUrl(String script) {
    return URI.create(account.workersUrl().replace("{script}", script).replace("{subdomain}", subdomain()));
  }

  /**
   * The run's sebs-nosql Worker, deployed on first use (by a function using nosql or the test side's tables). A
   * failed deployment is not tried again: the script may exist with its migration applied.
   */
  synchronized DeployedNoSqlWorker noSqlWorker() {
    if (noSqlFailure != null) {
      throw new IllegalStateException("The run's sebs-nosql Worker could not be deployed: "
          + noSqlFailure.getMessage(), noSqlFailure);
    }
    if (noSqlWorker == null) {
      String name = DeployedNoSqlWorker.scriptName(context.runId());
      try {
        noSqlWorker = DeployedNoSqlWorker.deploy(api, http, name, workersUrl(name), settings.compatibilityDate(),
            account.coldStartTimeout(), uploaded -> noSqlScript = uploaded);
      } catch (RuntimeException e) {
        noSqlFailure = e;
        throw e;
      }
    }
    return noSqlWorker;
  }

  private String version(long n) {
    return context.runId() + "-" + n;
  }

  /** Uploads the script's bundle with its environment and the cold-start binding: a new version. */
  private void upload(Script script, String coldStartValue) {
    Map<String, String> text = new LinkedHashMap<>(script.environment);
    text.put(COLD_START_BINDING, coldStartValue);
    List<WorkerdConfig.Module> modules = WorkerBundle.modules(script.bundle.directory());
    ObjectNode metadata = WorkerUpload.metadata(modules, settings.compatibilityDate(), text, script.r2,
        script.secrets, script.services);
    JsonNode result = api.upload(script.name, WorkerUpload.of(script.bundle.directory(), modules, metadata));
    script.startupMicros = result.has("startup_time_ms") ? result.get("startup_time_ms").asLong() * 1000 : -1;
  }

  /** The account's workers.dev subdomain, read once (only when the Workers URL names it). */
  private String subdomain() {
    if (!account.workersUrl().contains("{subdomain}")) {
      return "";
    }
    String s = subdomain;
    if (s == null) {
      synchronized (this) {
        if (subdomain == null) {
          subdomain = api.subdomain();
        }
        s = subdomain;
      }
    }
    return s;
  }

  /**
   * A script name Cloudflare accepts (at most 63 of [a-z0-9-]) and no other run uses: {@code sebs-<benchmark>-
   * <language>-<hash>} with a hash of the run id and the deployment.
   */
  static String scriptName(FunctionSpec spec, String runId) {
    String hash = WorkerUpload.sha256(runId + "/" + spec.deploymentKey()).substring(0, 8);
    String suffix = "-" + spec.language().id() + "-" + hash;
    String benchmark = spec.benchmark().id().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
        .replaceAll("^-|-$", "");
    int room = 63 - "sebs-".length() - suffix.length();
    if (benchmark.length() > room) {
      benchmark = benchmark.substring(0, room).replaceAll("-$", "");
    }
    return "sebs-" + benchmark + suffix;
  }

  /**
   * Invokes once; sent again (bounded by {@code sebs.cloudflare.coldStartTimeout}) while the request cannot have run
   * the function: before the script's first answer, workers.dev may not route to a new script yet (a 404 page, never
   * the wrapper's answer to a POST), and after an enforced cold start isolates of the old version refuse it.
   */
  @Override
  public InvocationResult invoke(DeployedFunction function, JsonNode payload) {
    Script script = script(function);
    String expected = script.coldStartPending;
    long deadline = System.nanoTime() + account.coldStartTimeout().toNanos();
    int stale = 0;
    int unrouted = 0;
    while (true) {
      InvocationResult result = invokeOnce(script, payload, expected);
      String reason = result.failureReason().orElse("");
      boolean notRouted = !script.answered && reason.startsWith(NOT_ROUTED);
      if (!STALE.equals(reason) && !notRouted) {
        script.answered = true;
        script.coldStartPending = null;
        if (stale + unrouted > 0) {
          int s = stale;
          int u = unrouted;
          LOG.info(() -> script.name + ": sent again after " + u + " answer(s) of workers.dev before it routed to the"
              + " script and " + s + " refusal(s) by isolates of the version before an enforced cold start");
        }
        return result;
      }
      if (notRouted) {
        unrouted++;
      } else {
        stale++;
      }
      if (System.nanoTime() > deadline) {
        script.coldStartPending = null;
        return result.withFailure(notRouted
            ? "workers.dev did not route to the new script " + script.name + " within "
                + account.coldStartTimeout().toSeconds() + " s (-D" + CloudflareSettings.COLD_START_TIMEOUT + "; "
                + unrouted + " answers: " + reason + ")"
            : "enforced cold start not observed: for " + account.coldStartTimeout().toSeconds() + " s (-D"
                + CloudflareSettings.COLD_START_TIMEOUT + ") only isolates of the previous version answered (" + stale
                + " refused requests)");
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return result.withFailure("interrupted while waiting for the script to be served");
      }
    }
  }

  private InvocationResult invokeOnce(Script script, JsonNode payload, String expectedVersion) {
    String requestId = UUID.randomUUID().toString();
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(payload);
    } catch (IOException e) {
      throw new IllegalArgumentException("The payload cannot be written as JSON", e);
    }
    int timeout = script.spec.timeoutSeconds();
    HttpRequest.Builder request = HttpRequest.newBuilder(script.url)
        .timeout(Duration.ofSeconds(timeout))
        .header("Content-Type", "application/json")
        .header("X-Request-Id", requestId)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (expectedVersion != null) {
      request.header(COLD_START_HEADER, expectedVersion);
    }
    HttpRequest built = request.build();
    ClientClock.Stopwatch clock = ClientClock.start();
    long clientBegin = clock.beginEpochMicros();
    HttpResponse<String> response;
    try {
      response = http.send(built, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      return InvocationResult.failedBeforeAnswer(requestId, clientBegin, clock.elapsedMicros(),
          "timeout: no answer within the function's timeout of " + timeout + " s (Workers have no wall-clock limit:"
              + " the client stopped waiting)");
    } catch (IOException e) {
      return InvocationResult.failedBeforeAnswer(requestId, clientBegin, clock.elapsedMicros(),
          "the request to " + script.url + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return InvocationResult.failedBeforeAnswer(requestId, clientBegin, clock.elapsedMicros(), "interrupted");
    }
    long clientMicros = clock.elapsedMicros();
    InvocationResult result = answer(response.statusCode(), response.body(), requestId, clientBegin, clientMicros);
    long startup = script.startupMicros;
    return result.isCold() && !result.failed() && startup >= 0 ? result.withInitMicros(startup) : result;
  }

  /** The function contract's answer, or a failure saying what came instead (a stale isolate, Cloudflare's errors). */
  static InvocationResult answer(int status, String body, String requestId, long clientBegin, long clientMicros) {
    return FunctionContract.readHttp(status, body, requestId, clientBegin, clientMicros, (code, page) ->
        FunctionContract.isStaleRefusal(code, page) ? STALE
            : page.contains("1102") && code >= 500
                ? "the Worker exceeded its CPU time or memory limit (Cloudflare error 1102, HTTP " + code + ")"
            : page.contains("1101") && code >= 500
                ? "the Worker threw an uncaught exception outside the wrapper (Cloudflare error 1101, HTTP " + code + ")"
            : code == 404 ? NOT_ROUTED + " (is it enabled on workers.dev, or is -D"
                + CloudflareSettings.WORKERS_URL + " right?): " + abbreviate(page)
            : "HTTP " + code + ": " + abbreviate(page));
  }

  private static String abbreviate(String text) {
    return FunctionContract.abbreviate(text);
  }

  /** Uploads the script again with a new cold-start value: a new version, served by new isolates. */
  @Override
  public void enforceColdStart(DeployedFunction function) {
    Script script = script(function);
    String value = version(versions.incrementAndGet());
    upload(script, value);
    script.coldStartPending = value;
  }

  private Script script(DeployedFunction function) {
    Script script = scripts.get(function.name());
    if (script == null) {
      throw new IllegalArgumentException("Worker " + function.name() + " is not deployed by this cloudflare platform");
    }
    return script;
  }

  /**
   * R2 ({@link CloudflareR2Storage}), connected on first use; NoSQL through the run's sebs-nosql Worker, deployed on
   * first use of the tables.
   */
  @Override
  public synchronized CloudflareR2Storage storage() {
    if (storage == null) {
      storage = new CloudflareR2Storage(context.runId(), api, account.r2(), () -> noSqlWorker().storage());
    }
    return storage;
  }

  /** The scripts this run uploaded and has not deleted, the sebs-nosql Worker last (for tests and clean-up). */
  public List<String> scripts() {
    List<String> names = new ArrayList<>(scripts.keySet());
    String nosql = noSqlScript;
    if (nosql != null) {
      names.add(nosql);
    }
    return List.copyOf(names);
  }

  /**
   * Deletes every script the run uploaded, then the sebs-nosql Worker with its Durable Objects (the function
   * scripts bound to it first); those Cloudflare would not delete are named in the exception (and the log), for
   * deletion by hand (dashboard, or {@code wrangler delete --name <script>}).
   */
  @Override
  public void close() {
    List<String> failed = new ArrayList<>();
    for (String name : new ArrayList<>(scripts.keySet())) {
      try {
        api.delete(name);
        scripts.remove(name);
      } catch (CloudflareApiException e) {
        if (e.status() == 404) {
          scripts.remove(name); // never created (its upload failed) or already gone
        } else {
          failed.add(name + " (" + e.getMessage() + ")");
        }
      } catch (RuntimeException e) {
        failed.add(name + " (" + e.getMessage() + ")");
      }
    }
    deployments.clear();
    String nosql = noSqlScript;
    if (nosql != null) {
      try {
        api.delete(nosql); // ?force=true: its Durable Objects go with it
        noSqlScript = null;
      } catch (CloudflareApiException e) {
        if (e.status() == 404) {
          noSqlScript = null;
        } else {
          failed.add(nosql + " (the sebs-nosql Worker with the run's tables; " + e.getMessage() + ")");
        }
      } catch (RuntimeException e) {
        failed.add(nosql + " (the sebs-nosql Worker with the run's tables; " + e.getMessage() + ")");
      }
      synchronized (this) {
        noSqlWorker = null;
        noSqlFailure = null;
      }
    }
    CloudflareR2Storage r2;
    synchronized (this) {
      r2 = storage;
      storage = null;
    }
    if (r2 != null) {
      try {
        r2.close(); // after the scripts bound to its buckets
      } catch (RuntimeException e) {
        failed.add(e.getMessage());
      }
    }
    if (!failed.isEmpty()) {
      String message = "Cloudflare Workers left in account " + account.accountId() + ", delete them by hand"
          + " (dashboard > Workers & Pages, or wrangler delete --name <script>): " + String.join(", ", failed);
      LOG.severe(message);
      throw new IllegalStateException(message);
    }
  }
}
