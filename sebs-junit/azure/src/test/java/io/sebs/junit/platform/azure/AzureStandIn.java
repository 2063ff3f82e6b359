package io.sebs.junit.platform.azure;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Azure services the azure platform calls, on one loopback base URL (what {@code -Dsebs.azure.endpoint} and
 * {@code -Dsebs.azure.endpoint.logs} point at): Resource Manager ({@link ResourceManagerStandIn}) with function
 * apps that run what is deployed to them ({@link FunctionAppStandIn}, each on a port of its own), and the Log
 * Analytics query API over their request telemetry ({@link AppInsightsStandIn}). Every call must carry {@link
 * #TOKEN} (the platform gets it from {@code -Dsebs.azure.accessToken}). Registered as a static
 * {@code @RegisterExtension} field: started before the class's {@code @BeforeAll} methods, stopped after its
 * {@code @AfterAll} methods, with every function instance it started.
 */
final class AzureStandIn implements BeforeAllCallback, AfterAllCallback {

  static final String SUBSCRIPTION = "00000000-0000-0000-0000-0000000000aa";
  static final String TOKEN = "eyJ0eXAiOiJKV1Qi.stand-in.token";
  /** Azurite's well-known development account key (public, documented by Microsoft). */
  static final String DEV_KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
  private static final Pattern QUERY = Pattern.compile("^/v1/workspaces/([^/]+)/query$");

  private final boolean withStorage;
  private AzuriteServer azurite;
  private CosmosDbServer cosmos;
  private HttpServer server;
  private ExecutorService executor;
  private Path workDir;
  private ResourceManagerStandIn arm;
  private AppInsightsStandIn insights;

  /**
   * A stand-in whose storage accounts are served by Azurite and whose Cosmos DB accounts by cosmosdb-server
   * (processes on loopback, {@link AzuriteServer}, {@link CosmosDbServer}), or, without storage, whose accounts
   * point nowhere.
   */
  AzureStandIn(boolean withStorage) {
    this.withStorage = withStorage;
  }

  AzureStandIn() {
    this(true);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  void start() throws IOException {
    workDir = Files.createTempDirectory("sebs-azure-standin");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    String url = url();
    insights = new AppInsightsStandIn(TOKEN);
    String blobEndpoint = "http://127.0.0.1:9/no-blob-storage";
    String storageKey = DEV_KEY;
    String cosmosEndpoint = "https://127.0.0.1:9";
    String cosmosKey = DEV_KEY;
    if (withStorage) {
      // the account the platform names (sebs<suffix of subscription and resource group>), served by Azurite
      azurite = AzuriteServer.start(AzureSettings.from(io.sebs.junit.testing.Fixtures.config(workDir,
          settings(url).toArray(String[]::new))).storageAccountName());
      cosmos = CosmosDbServer.start();
      blobEndpoint = azurite.blobEndpoint().toString();
      storageKey = azurite.accountKey();
      cosmosEndpoint = cosmos.endpoint().toString().replaceAll("/$", "");
      cosmosKey = cosmos.key();
    }
    arm = new ResourceManagerStandIn(SUBSCRIPTION, TOKEN, workDir, blobEndpoint, storageKey, cosmosEndpoint,
        cosmosKey, insights);
    arm.base(url);
    server.createContext("/", exchange -> {
      try {
        Matcher query = QUERY.matcher(exchange.getRequestURI().getPath());
        if (query.matches() && exchange.getRequestMethod().equals("POST")) {
          insights.handle(exchange, query.group(1));
        } else {
          arm.handle(exchange);
        }
      } catch (RuntimeException | IOException e) {
        ArmHttp.error(exchange, 500, "InternalServerError", e.toString());
      }
    });
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.start();
  }

  void stop() {
    if (arm != null) {
      arm.close();
    }
    if (azurite != null) {
      azurite.close();
    }
    if (cosmos != null) {
      cosmos.close();
    }
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
    }
    if (workDir != null) {
      try {
        io.sebs.junit.process.Command.deleteTree(workDir);
      } catch (IOException e) {
        System.err.println("azure stand-in: cannot remove " + workDir + ": " + e);
      }
    }
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  ResourceManagerStandIn arm() {
    return arm;
  }

  AppInsightsStandIn insights() {
    return insights;
  }

  /** The platform's settings for this stand-in, as {@code key, value} pairs. */
  List<String> settings() {
    return settings(url());
  }

  private static List<String> settings(String url) {
    return List.of(AzureSettings.ENDPOINT, url, AzureSettings.ENDPOINT + ".logs", url,
        AzureSettings.SUBSCRIPTION, SUBSCRIPTION, AzureSettings.ACCESS_TOKEN, TOKEN, AzureSettings.REGION,
        "westeurope", AzureSettings.LOG_WAIT, "10s", AzureSettings.COLD_START_TIMEOUT, "30s");
  }
}
