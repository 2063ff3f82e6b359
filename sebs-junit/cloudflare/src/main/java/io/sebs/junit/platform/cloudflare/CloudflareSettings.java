package io.sebs.junit.platform.cloudflare;

import io.sebs.junit.config.SebsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The cloudflare-local platform's configuration keys, checked when the platform is created so a wrong value
 * fails with the key and the fix, not later in workerd's own words.
 *
 * @param workerd a workerd binary to run instead of the one installed from npm ({@value #WORKERD})
 * @param compatibilityDate the Workers compatibility date of every Worker ({@value #COMPATIBILITY_DATE},
 *     default {@value #DEFAULT_COMPATIBILITY_DATE}); workerd refuses dates after its own release
 * @param keepAlive idle time after which a workerd instance is stopped ({@value #KEEP_ALIVE}, default 60 s)
 * @param startTimeout how long a workerd process may take to listen ({@value #START_TIMEOUT}, default 30 s)
 * @param maxInstances cap on workerd processes per function ({@value #MAX_INSTANCES}, default 8)
 */
public record CloudflareSettings(Optional<Path> workerd, LocalDate compatibilityDate, Duration keepAlive,
    Duration startTimeout, int maxInstances) {

  public static final String WORKERD = "sebs.cloudflare.workerd";
  public static final String COMPATIBILITY_DATE = "sebs.cloudflare.compatibilityDate";
  public static final String KEEP_ALIVE = "sebs.cloudflare.keepAlive";
  public static final String START_TIMEOUT = "sebs.cloudflare.startTimeout";
  public static final String MAX_INSTANCES = "sebs.cloudflare.maxInstances";
  /** Pinned so a Worker behaves the same whichever workerd runs it (not newer than the pinned workerd). */
  public static final String DEFAULT_COMPATIBILITY_DATE = "2026-11-01";

  /** The REST path's (platform {@code cloudflare}) API token, else env {@value #TOKEN_VARIABLE}. */
  public static final String API_TOKEN = "sebs.cloudflare.apiToken";
  /** The REST path's account id, else env {@value #ACCOUNT_VARIABLE}. */
  public static final String ACCOUNT_ID = "sebs.cloudflare.accountId";
  public static final String API_URL = "sebs.cloudflare.apiUrl";
  public static final String WORKERS_URL = "sebs.cloudflare.workersUrl";
  public static final String COLD_START_TIMEOUT = "sebs.cloudflare.coldStartTimeout";
  /** R2's S3-API keys for the test side (an R2 API token's access key id and secret), else env {@value #R2_KEY_VARIABLE}. */
  public static final String R2_ACCESS_KEY_ID = "sebs.cloudflare.r2AccessKeyId";
  /** Else env {@value #R2_SECRET_VARIABLE}. */
  public static final String R2_SECRET_ACCESS_KEY = "sebs.cloudflare.r2SecretAccessKey";
  /** R2's S3-API endpoint, default {@value #DEFAULT_R2_ENDPOINT} ({@code {account_id}} filled in). */
  public static final String R2_ENDPOINT = "sebs.cloudflare.r2Endpoint";
  public static final String R2_KEY_VARIABLE = "CLOUDFLARE_R2_ACCESS_KEY_ID";
  public static final String R2_SECRET_VARIABLE = "CLOUDFLARE_R2_SECRET_ACCESS_KEY";
  public static final String DEFAULT_R2_ENDPOINT = "https://{account_id}.r2.cloudflarestorage.com";
  /** The variables wrangler reads. */
  public static final String TOKEN_VARIABLE = "CLOUDFLARE_API_TOKEN";
  public static final String ACCOUNT_VARIABLE = "CLOUDFLARE_ACCOUNT_ID";
  public static final String DEFAULT_API_URL = "https://api.cloudflare.com/client/v4";
  public static final String DEFAULT_WORKERS_URL = "https://{script}.{subdomain}.workers.dev/";

  /**
   * What the REST path ({@code -Dsebs.platform=cloudflare}) needs beyond the Worker settings: credentials as
   * wrangler reads them, and where Cloudflare's API and the deployed Workers are (overridable for a stand-in).
   *
   * @param apiToken {@value #API_TOKEN}, else {@value #TOKEN_VARIABLE}
   * @param accountId {@value #ACCOUNT_ID}, else {@value #ACCOUNT_VARIABLE}
   * @param apiUrl {@value #API_URL}, default {@value #DEFAULT_API_URL} (no trailing slash)
   * @param workersUrl {@value #WORKERS_URL}: a Worker's URL with {@code {script}} and {@code {subdomain}} (the
   *     account's workers.dev subdomain) to fill in, default {@value #DEFAULT_WORKERS_URL}
   * @param coldStartTimeout {@value #COLD_START_TIMEOUT}: how long a new version may take to answer after an
   *     enforced cold start (default 60 s; Cloudflare propagates a version to its locations within seconds)
   * @param r2 how the test side reaches R2 through its S3 API
   */
  public record Api(String apiToken, String accountId, java.net.URI apiUrl, String workersUrl,
      Duration coldStartTimeout, R2 r2) {

    public Api {
      if (!workersUrl.contains("{script}")) {
        throw new IllegalArgumentException(WORKERS_URL + " must contain {script} (the Worker's name), e.g. "
            + DEFAULT_WORKERS_URL + ", not '" + workersUrl + "'");
      }
    }

    @Override
    public String toString() {
      return "Api[accountId=" + accountId + ", apiUrl=" + apiUrl + ", workersUrl=" + workersUrl + "]"; // no token
    }
  }

  /**
   * R2 through its S3 API, for the test side's objects (functions use bindings): the endpoint and an R2 API token's
   * keys, which are needed only once a run uses object storage.
   *
   * @param endpoint {@value #R2_ENDPOINT}, default {@value #DEFAULT_R2_ENDPOINT}
   * @param accessKeyId {@value #R2_ACCESS_KEY_ID}, else {@value #R2_KEY_VARIABLE}
   * @param secretAccessKey {@value #R2_SECRET_ACCESS_KEY}, else {@value #R2_SECRET_VARIABLE}
   */
  public record R2(java.net.URI endpoint, Optional<String> accessKeyId, Optional<String> secretAccessKey) {

    /** The keys; missing ones fail saying how to make them. */
    String[] keys() {
      if (accessKeyId.isEmpty() || secretAccessKey.isEmpty()) {
        throw new IllegalArgumentException("Object storage on -Dsebs.platform=cloudflare is R2, which the test side"
            + " reaches through R2's S3 API with an R2 API token's keys: create one (dashboard > R2 > Manage API tokens,"
            + " Object Read & Write) and set " + R2_KEY_VARIABLE + " and " + R2_SECRET_VARIABLE + " (or -D"
            + R2_ACCESS_KEY_ID + " / -D" + R2_SECRET_ACCESS_KEY + ")");
      }
      return new String[] {accessKeyId.get(), secretAccessKey.get()};
    }

    @Override
    public String toString() {
      return "R2[endpoint=" + endpoint + "]"; // no keys
    }
  }

  private static Optional<String> setting(SebsConfig config, String key,
      java.util.function.Function<String, String> environment, String variable) {
    return config.get(key).or(() -> Optional.ofNullable(environment.apply(variable))).map(String::strip)
        .filter(s -> !s.isEmpty());
  }

  /** The REST path's settings; missing credentials fail naming both variables and how to get them. */
  public static Api api(SebsConfig config, java.util.function.Function<String, String> environment) {
    Optional<String> token = config.get(API_TOKEN).or(() -> Optional.ofNullable(environment.apply(TOKEN_VARIABLE)))
        .map(String::strip).filter(s -> !s.isEmpty());
    Optional<String> account = config.get(ACCOUNT_ID)
        .or(() -> Optional.ofNullable(environment.apply(ACCOUNT_VARIABLE))).map(String::strip)
        .filter(s -> !s.isEmpty());
    if (token.isEmpty() || account.isEmpty()) {
      throw new IllegalArgumentException(missingCredentials(token.isEmpty(), account.isEmpty()));
    }
    String api = config.get(API_URL).map(String::strip).filter(s -> !s.isEmpty()).orElse(DEFAULT_API_URL);
    java.net.URI apiUrl;
    try {
      apiUrl = java.net.URI.create(api.replaceAll("/+$", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(API_URL + " is not a URL: '" + api + "'", e);
    }
    if (apiUrl.getScheme() == null || apiUrl.getHost() == null) {
      throw new IllegalArgumentException(API_URL + " must be a URL such as " + DEFAULT_API_URL + ", not '" + api + "'");
    }
    String workers = config.get(WORKERS_URL).map(String::strip).filter(s -> !s.isEmpty()).orElse(DEFAULT_WORKERS_URL);
    String r2 = config.get(R2_ENDPOINT).map(String::strip).filter(v -> !v.isEmpty()).orElse(DEFAULT_R2_ENDPOINT)
        .replace("{account_id}", account.get()).replaceAll("/+$", "");
    java.net.URI r2Endpoint;
    try {
      r2Endpoint = java.net.URI.create(r2);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(R2_ENDPOINT + " is not a URL: '" + r2 + "'", e);
    }
    return new Api(token.get(), account.get(), apiUrl, workers,
        config.duration(COLD_START_TIMEOUT, Duration.ofSeconds(60)),
        new R2(r2Endpoint, setting(config, R2_ACCESS_KEY_ID, environment, R2_KEY_VARIABLE),
            setting(config, R2_SECRET_ACCESS_KEY, environment, R2_SECRET_VARIABLE)));
  }

  /** Why the REST path cannot run: which of the two is missing, how to make a token, and the local alternative. */
  static String missingCredentials(boolean token, boolean account) {
    String missing = token && account ? TOKEN_VARIABLE + " and " + ACCOUNT_VARIABLE
        : token ? TOKEN_VARIABLE : ACCOUNT_VARIABLE;
    return "No Cloudflare credentials for -Dsebs.platform=cloudflare: " + missing + (token && account ? " are" : " is")
        + " not set (nor -D" + API_TOKEN + " / -D" + ACCOUNT_ID + "). Set " + TOKEN_VARIABLE + " to an API token"
        + " with the account permission Workers Scripts:Edit (dash.cloudflare.com > My Profile > API Tokens >"
        + " Create Token, e.g. from the \"Edit Cloudflare Workers\" template) and " + ACCOUNT_VARIABLE + " to your"
        + " account id (shown on the dashboard's Workers & Pages overview), as wrangler reads them."
        + " -Dsebs.platform=cloudflare-local runs the same Workers on this machine with workerd and needs no account.";
  }

  public CloudflareSettings {
    if (workerd.isPresent() && !Files.isExecutable(workerd.get())) {
      throw new IllegalArgumentException(WORKERD + " names " + workerd.get() + ", which is not an executable"
          + " file: give the path of a workerd binary, or remove the setting to install workerd from npm");
    }
    if (maxInstances < 1) {
      throw new IllegalArgumentException(MAX_INSTANCES + " must be at least 1, was " + maxInstances);
    }
  }

  public static CloudflareSettings from(SebsConfig config) {
    Optional<Path> workerd = config.get(WORKERD).filter(s -> !s.isBlank()).map(s -> Path.of(s.trim()));
    String date = config.get(COMPATIBILITY_DATE).filter(s -> !s.isBlank()).orElse(DEFAULT_COMPATIBILITY_DATE);
    LocalDate compatibilityDate;
    try {
      compatibilityDate = LocalDate.parse(date.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(COMPATIBILITY_DATE + " must be a date as YYYY-MM-DD (e.g. "
          + DEFAULT_COMPATIBILITY_DATE + "), was '" + date + "'", e);
    }
    double max = config.doubleValue(MAX_INSTANCES, 8);
    if (max != Math.rint(max)) {
      throw new IllegalArgumentException(MAX_INSTANCES + " must be a whole number, was " + max);
    }
    return new CloudflareSettings(workerd, compatibilityDate, config.duration(KEEP_ALIVE, Duration.ofSeconds(60)),
        config.duration(START_TIMEOUT, Duration.ofSeconds(30)), (int) max);
  }
}
