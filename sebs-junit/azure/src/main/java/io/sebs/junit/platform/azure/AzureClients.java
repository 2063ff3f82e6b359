package io.sebs.junit.platform.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.SimpleTokenCache;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.policy.UserAgentPolicy;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.monitor.query.LogsQueryClient;
import com.azure.monitor.query.LogsQueryClientBuilder;
import com.azure.resourcemanager.applicationinsights.ApplicationInsightsManager;
import com.azure.resourcemanager.appservice.AppServiceManager;
import com.azure.resourcemanager.resources.ResourceManager;
import com.azure.resourcemanager.storage.StorageManager;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * The Azure SDK clients the platform uses, over one azure-core HTTP pipeline per token audience (Resource
 * Manager, Log Analytics). The pipelines are built here rather than by the SDK's builders because the SDK's
 * bearer-token policy refuses plain HTTP, which a stand-in on loopback speaks; the policy here sends a token to
 * HTTPS endpoints and to loopback addresses only.
 */
public final class AzureClients implements AutoCloseable {

  /** The User-Agent application id, so Azure's activity log names the tool. */
  static final String APPLICATION_ID = "sebs-junit";

  private final AzureSettings settings;
  private final TokenCredential credential;
  private final HttpPipeline arm;
  private final HttpPipeline logsPipeline;
  private final AzureProfile profile;
  private AppServiceManager appService;
  private ResourceManager resources;
  private StorageManager storage;
  private ApplicationInsightsManager insights;
  private LogsQueryClient logs;

  AzureClients(AzureSettings settings, TokenCredential credential, HttpClient httpClient) {
    this.settings = settings;
    this.credential = credential;
    String armBase = settings.resourceManager().toString();
    this.arm = pipeline(httpClient, credential, armBase + "/.default");
    this.logsPipeline = pipeline(httpClient, credential, settings.logs() + "/.default");
    Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
    endpoints.put("resourceManagerEndpointUrl", armBase + "/");
    endpoints.put("managementEndpointUrl", armBase + "/");
    this.profile = new AzureProfile(settings.tenant().orElse(null), settings.subscription(),
        new AzureEnvironment(endpoints));
  }

  /** Clients for the settings' subscription, with DefaultAzureCredential or {@code sebs.azure.accessToken}. */
  public static AzureClients create(AzureSettings settings) {
    return new AzureClients(settings, credential(settings), new JdkHttpClientBuilder()
        .connectionTimeout(Duration.ofSeconds(20)).build());
  }

  static TokenCredential credential(AzureSettings settings) {
    if (settings.accessToken().isPresent()) {
      String token = settings.accessToken().get();
      return request -> Mono.just(new AccessToken(token, OffsetDateTime.now().plusHours(1)));
    }
    DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder();
    settings.tenant().ifPresent(builder::tenantId);
    return builder.build();
  }

  private static HttpPipeline pipeline(HttpClient httpClient, TokenCredential credential, String scope) {
    return new HttpPipelineBuilder().httpClient(httpClient)
        .policies(new UserAgentPolicy(APPLICATION_ID), new RetryPolicy(), new BearerPolicy(credential, scope))
        .build();
  }

  /** The Resource Manager pipeline (also for the SCM site's deployment API, which takes the same token). */
  HttpPipeline arm() {
    return arm;
  }

  AzureSettings settings() {
    return settings;
  }

  synchronized AppServiceManager appService() {
    if (appService == null) {
      appService = AppServiceManager.authenticate(arm, profile);
    }
    return appService;
  }

  synchronized ResourceManager resources() {
    if (resources == null) {
      resources = ResourceManager.authenticate(arm, profile).withSubscription(settings.subscription());
    }
    return resources;
  }

  synchronized StorageManager storage() {
    if (storage == null) {
      storage = StorageManager.authenticate(arm, profile);
    }
    return storage;
  }

  synchronized ApplicationInsightsManager insights() {
    if (insights == null) {
      insights = ApplicationInsightsManager.authenticate(arm, profile);
    }
    return insights;
  }

  synchronized LogsQueryClient logs() {
    if (logs == null) {
      logs = new LogsQueryClientBuilder().pipeline(logsPipeline).endpoint(settings.logs() + "/v1").buildClient();
    }
    return logs;
  }

  /** A token for Resource Manager's audience (the SCM site's deployment API takes it too). */
  String armToken() {
    return credential.getTokenSync(new TokenRequestContext().addScopes(settings.resourceManager() + "/.default"))
        .getToken();
  }

  @Override
  public void close() {
    // the JDK HttpClient and the managers hold no resources that need closing
  }

  /**
   * Sets {@code Authorization: Bearer <token>} for one audience, with the token cached until shortly before it
   * expires; refuses to send it in clear text anywhere but loopback. Asynchronous on the SDK's asynchronous
   * path (long-running operations poll on Reactor threads, which must not block).
   */
  static final class BearerPolicy implements com.azure.core.http.policy.HttpPipelinePolicy {
    private final SimpleTokenCache cache;

    BearerPolicy(TokenCredential credential, String scope) {
      this.cache = new SimpleTokenCache(() -> credential.getToken(new TokenRequestContext().addScopes(scope)));
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context,
        com.azure.core.http.HttpPipelineNextPolicy next) {
      return Mono.fromRunnable(() -> checkScheme(context)).then(cache.getToken()).flatMap(token -> {
        context.getHttpRequest().setHeader(HttpHeaderName.AUTHORIZATION, "Bearer " + token.getToken());
        return next.process();
      });
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context,
        com.azure.core.http.HttpPipelineNextSyncPolicy next) {
      checkScheme(context);
      context.getHttpRequest().setHeader(HttpHeaderName.AUTHORIZATION, "Bearer " + cache.getToken().block().getToken());
      return next.processSync();
    }

    private static void checkScheme(HttpPipelineCallContext context) {
      java.net.URL url = context.getHttpRequest().getUrl();
      if (!"https".equalsIgnoreCase(url.getProtocol()) && !loopback(url.getHost())) {
        throw new IllegalStateException("Refusing to send an Azure token over plain HTTP to " + url.getHost()
            + ": use https (plain http is allowed for loopback stand-ins only)");
      }
    }
  }

  static boolean loopback(String host) {
    return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")
        || host.equals("::1"));
  }

  /** The scheme for a host name Resource Manager returns: HTTPS, except a loopback stand-in's plain HTTP. */
  static String scheme(String hostAndPort) {
    String host = hostAndPort.contains(":") && !hostAndPort.startsWith("[")
        ? hostAndPort.substring(0, hostAndPort.indexOf(':')) : hostAndPort;
    return loopback(host) ? "http" : "https";
  }
}
