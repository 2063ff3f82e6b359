package io.sebs.junit.platform.gcp;

import io.sebs.junit.benchmark.Language;
import io.sebs.junit.config.SebsConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The gcp platform's configuration keys, read from the usual chain (system properties,
 * junit-platform.properties). Credentials come from Google's Application Default Credentials (or the key file
 * {@code sebs.gcp.credentials}), never from sebs keys holding secrets.
 *
 * <p>Endpoints: every Google API the platform calls goes to Google unless overridden, so any stand-in can take
 * the calls without code changes. {@code sebs.gcp.endpoint=<base URL>} sends all of them to one base URL
 * (plain {@code http://} allowed); {@code sebs.gcp.endpoint.<service>} wins for one service ({@link
 * #SERVICES}); for storage and datastore, Google's own {@code STORAGE_EMULATOR_HOST} and {@code
 * DATASTORE_EMULATOR_HOST} come between the two.
 *
 * @param project {@code sebs.gcp.project}; empty = the credentials' project ({@code GOOGLE_CLOUD_PROJECT},
 *     the key file's or gcloud's)
 * @param region {@code sebs.gcp.region} (default {@code us-central1})
 * @param credentialsFile {@code sebs.gcp.credentials}: a service-account key or ADC file; empty = ADC
 * @param endpoints the overridden base URLs by service
 * @param allowUnauthenticated {@code sebs.gcp.public}: make deployed functions invocable without an ID token
 *     (default false: every invocation carries one)
 * @param cpu {@code sebs.gcp.cpu}: vCPUs per instance; empty = Google's default for the memory size
 * @param maxInstances {@code sebs.gcp.maxInstances}: the cap on instances per function (default 100)
 * @param logWait {@code sebs.gcp.logWait}: how long {@code fetchMetrics} waits for request logs (default 60 s)
 * @param deployTimeout {@code sebs.gcp.deployTimeout}: how long a create/update operation may take (10 min)
 */
public record GcpSettings(Optional<String> project, String region, Optional<Path> credentialsFile,
    Map<String, URI> endpoints, boolean allowUnauthenticated, Optional<String> cpu, int maxInstances,
    Duration logWait, Duration deployTimeout) {

  public static final String PROJECT = "sebs.gcp.project";
  public static final String REGION = "sebs.gcp.region";
  public static final String CREDENTIALS = "sebs.gcp.credentials";
  public static final String ENDPOINT = "sebs.gcp.endpoint";
  public static final String PUBLIC = "sebs.gcp.public";
  public static final String CPU = "sebs.gcp.cpu";
  public static final String MAX_INSTANCES = "sebs.gcp.maxInstances";
  public static final String LOG_WAIT = "sebs.gcp.logWait";
  public static final String DEPLOY_TIMEOUT = "sebs.gcp.deployTimeout";

  /** The services whose endpoint can be overridden one by one ({@code sebs.gcp.endpoint.<service>}). */
  public static final List<String> SERVICES = List.of("functions", "logging", "storage", "datastore", "workflows",
      "executions", "run");
  static final String STORAGE_EMULATOR_HOST = "STORAGE_EMULATOR_HOST";
  static final String DATASTORE_EMULATOR_HOST = "DATASTORE_EMULATOR_HOST";

  public GcpSettings {
    endpoints = Map.copyOf(endpoints);
    if (maxInstances < 1) {
      throw new IllegalArgumentException(MAX_INSTANCES + " must be at least 1, not " + maxInstances);
    }
  }

  public static GcpSettings from(SebsConfig config) {
    return from(config, System::getenv);
  }

  static GcpSettings from(SebsConfig config, Function<String, String> environment) {
    Optional<URI> all = config.get(ENDPOINT).map(v -> endpoint(ENDPOINT, v));
    Map<String, URI> endpoints = new java.util.LinkedHashMap<>();
    for (String service : SERVICES) {
      Optional<URI> own = config.get(ENDPOINT + "." + service).map(v -> endpoint(ENDPOINT + "." + service, v));
      Optional<URI> emulator = Optional.empty();
      if (service.equals("storage")) {
        emulator = Optional.ofNullable(environment.apply(STORAGE_EMULATOR_HOST)).filter(s -> !s.isBlank())
            .map(v -> endpoint(STORAGE_EMULATOR_HOST, v.contains("://") ? v : "http://" + v));
      } else if (service.equals("datastore")) {
        emulator = Optional.ofNullable(environment.apply(DATASTORE_EMULATOR_HOST)).filter(s -> !s.isBlank())
            .map(v -> endpoint(DATASTORE_EMULATOR_HOST, v.contains("://") ? v : "http://" + v));
      }
      Optional<URI> fromEmulator = emulator;
      own.or(() -> fromEmulator).or(() -> all).ifPresent(uri -> endpoints.put(service, uri));
    }
    int maxInstances;
    try {
      maxInstances = Integer.parseInt(config.get(MAX_INSTANCES).orElse("100"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(MAX_INSTANCES + " must be a whole number, not '"
          + config.get(MAX_INSTANCES).orElse("") + "'", e);
    }
    Optional<String> cpu = config.get(CPU).map(GcpSettings::cpu);
    return new GcpSettings(config.get(PROJECT), config.get(REGION).orElse("us-central1"),
        config.get(CREDENTIALS).map(Path::of), endpoints,
        Boolean.parseBoolean(config.get(PUBLIC).orElse("false")), cpu, maxInstances,
        config.duration(LOG_WAIT, Duration.ofSeconds(60)), config.duration(DEPLOY_TIMEOUT, Duration.ofMinutes(10)));
  }

  private static URI endpoint(String key, String value) {
    String v = value.strip();
    URI uri;
    try {
      uri = URI.create(v.endsWith("/") ? v.substring(0, v.length() - 1) : v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " is not a URL: '" + value + "'", e);
    }
    if (uri.getScheme() == null || uri.getHost() == null
        || !List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(key + " must be a base URL such as http://127.0.0.1:8080, not '" + value
          + "'");
    }
    return uri;
  }

  /** A vCPU count ({@code 1}, {@code 0.5}, or Kubernetes' {@code 500m}) as the API's decimal string. */
  private static String cpu(String value) {
    String v = value.strip();
    try {
      double vcpu = v.endsWith("m") ? Double.parseDouble(v.substring(0, v.length() - 1)) / 1000 : Double.parseDouble(v);
      if (vcpu < 0.08 || vcpu > 8) {
        throw new NumberFormatException();
      }
      return java.math.BigDecimal.valueOf(vcpu).stripTrailingZeros().toPlainString();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(CPU + " must be a vCPU count between 0.08 and 8 (e.g. 1, 2, 0.5, 500m), not '"
          + value + "'", e);
    }
  }

  /** The overridden endpoint of a service ({@link #SERVICES}); empty = Google's. */
  public Optional<URI> endpoint(String service) {
    if (!SERVICES.contains(service)) {
      throw new IllegalArgumentException("Unknown service " + service + "; known: " + SERVICES);
    }
    return Optional.ofNullable(endpoints.get(service));
  }

  /**
   * The 2nd-gen runtime id for a language and version ({@code ""} = Python 3.11, Node.js 20, Java 17, the
   * versions the local platform runs here).
   */
  public static String runtime(Language language, String version) {
    String v = version.strip().replaceAll("\\.x$", "");
    switch (language) {
      case PYTHON:
        return "python" + (v.isEmpty() ? "311" : v.replace(".", ""));
      case NODEJS:
        return "nodejs" + (v.isEmpty() ? "20" : v);
      case JAVA:
        if (!v.isEmpty() && !List.of("17", "21").contains(v)) {
          throw new IllegalArgumentException("Java " + v + " is not a Java version sebs-junit deploys to Cloud"
              + " Functions: the benchmarks compile for Java 17, so use languageVersion 17 or 21, or leave it empty");
        }
        return "java" + (v.isEmpty() ? "17" : v);
      default:
        throw new IllegalArgumentException("No Cloud Functions runtime for " + language);
    }
  }

  /** A runtime's language version as SeBS writes it ("python311" is "3.11", "nodejs20" is "20"). */
  static String sebsVersion(String runtime) {
    if (runtime.startsWith("python")) {
      String digits = runtime.substring("python".length());
      return digits.charAt(0) + "." + digits.substring(1);
    }
    if (runtime.startsWith("nodejs")) {
      return runtime.substring("nodejs".length());
    }
    return "";
  }

  /**
   * The vCPUs Cloud Functions (2nd gen) gives an instance of this memory size when none is set (the
   * documented defaults), as the API's {@code availableCpu} string.
   */
  static String defaultCpu(int memoryMb) {
    if (memoryMb <= 128) {
      return "0.083";
    }
    if (memoryMb <= 256) {
      return "0.167";
    }
    if (memoryMb <= 512) {
      return "0.333";
    }
    if (memoryMb <= 1024) {
      return "0.583";
    }
    if (memoryMb <= 2048) {
      return "1";
    }
    if (memoryMb <= 8192) {
      return "2";
    }
    if (memoryMb <= 16384) {
      return "4";
    }
    return "8";
  }
}
