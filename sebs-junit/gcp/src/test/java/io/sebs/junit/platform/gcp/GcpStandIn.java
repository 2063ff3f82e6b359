package io.sebs.junit.platform.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sebs.junit.process.Command;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Google Cloud APIs the gcp platform calls, on one loopback base URL (what {@code -Dsebs.gcp.endpoint}
 * points at): the OAuth token endpoint of a generated service account ({@link StandInTokens}; the platform's real
 * credentials classes talk to it through the key file's {@code token_uri}), the metadata server function
 * instances get their tokens from, Cloud Functions v2 with the functions it runs ({@link CloudFunctionsStandIn}),
 * Cloud Logging's request logs ({@link CloudLoggingStandIn}), Cloud Storage's JSON API ({@link GcsApi}),
 * Datastore ({@link DatastoreApi}) and Google Workflows with its Executions API ({@link WorkflowsStandIn}). Registered as a static
 * {@code @RegisterExtension} field: started before the class's {@code @BeforeAll} methods, stopped after its
 * {@code @AfterAll} methods, with every function instance it started.
 */
final class GcpStandIn implements BeforeAllCallback, AfterAllCallback {

  private HttpServer server;
  private ExecutorService executor;
  private Path workDir;
  private Path keyFile;
  private StandInTokens tokens;
  private CloudLoggingStandIn logging;
  private CloudFunctionsStandIn functions;
  private GcsApi storage;
  private DatastoreApi datastore;
  private WorkflowsStandIn workflows;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  void start() throws IOException {
    workDir = Files.createTempDirectory("sebs-gcp-standin");
    tokens = new StandInTokens();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    String url = "http://127.0.0.1:" + server.getAddress().getPort();
    tokens.tokenUri(url + "/token");
    keyFile = tokens.writeKeyFile(workDir);
    logging = new CloudLoggingStandIn(StandInTokens.PROJECT, tokens::authorizes);
    functions = new CloudFunctionsStandIn(StandInTokens.PROJECT, tokens, logging,
        FunctionRuntimes.create(workDir.resolve("runtimes")), workDir.resolve("functions"),
        Map.of("GCE_METADATA_HOST", "127.0.0.1:" + server.getAddress().getPort()));
    functions.baseUrl(url);
    server.createContext("/token", this::token);
    server.createContext("/computeMetadata/v1/", this::metadata);
    server.createContext("/v2/entries:list", logging::handle);
    server.createContext("/v2/projects/", functions::handleApi);
    server.createContext("/gcf-upload/", functions::handleUpload);
    server.createContext("/run/", functions::handleRun);
    storage = new GcsApi(tokens::authorizes);
    for (String path : GcsApi.PATHS) {
      server.createContext(path, storage);
    }
    datastore = new DatastoreApi(tokens::authorizes);
    workflows = new WorkflowsStandIn(tokens::authorizes, tokens);
    server.createContext("/v1/", exchange -> {
      if (DatastoreApi.handles(exchange.getRequestURI().getPath())) {
        datastore.handle(exchange);
      } else if (WorkflowsStandIn.handles(exchange.getRequestURI().getPath())) {
        workflows.handle(exchange);
      } else {
        StandInHttp.error(exchange, 404, "NOT_FOUND", "The stand-in has no " + exchange.getRequestMethod() + " "
            + exchange.getRequestURI().getPath());
      }
    });
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "gcp-standin");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.start();
  }

  void stop() {
    if (workflows != null) {
      workflows.close();
    }
    if (functions != null) {
      functions.close();
    }
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
    }
    if (workDir != null) {
      try {
        Command.deleteTree(workDir);
      } catch (IOException e) {
        System.err.println("gcp stand-in: cannot remove " + workDir + ": " + e);
      }
    }
  }

  /** The base URL of every API ({@code sebs.gcp.endpoint}). */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The service-account key file whose token URI is this stand-in ({@code sebs.gcp.credentials}). */
  Path keyFile() {
    return keyFile;
  }

  String project() {
    return StandInTokens.PROJECT;
  }

  CloudFunctionsStandIn functions() {
    return functions;
  }

  CloudLoggingStandIn logging() {
    return logging;
  }

  GcsApi storage() {
    return storage;
  }

  DatastoreApi datastore() {
    return datastore;
  }

  WorkflowsStandIn workflows() {
    return workflows;
  }

  private void token(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestMethod().equals("POST")) {
      StandInHttp.error(exchange, 405, "METHOD_NOT_ALLOWED", "POST only");
      return;
    }
    try {
      JsonNode answer = tokens.exchange(new String(StandInHttp.body(exchange), StandardCharsets.UTF_8));
      StandInHttp.json(exchange, 200, answer.toString());
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      int colon = message.indexOf(':');
      StandInHttp.json(exchange, 400, StandInHttp.JSON.createObjectNode()
          .put("error", colon < 0 ? "invalid_request" : message.substring(0, colon))
          .put("error_description", colon < 0 ? message : message.substring(colon + 1).strip()).toString());
    }
  }

  /** The metadata server's token and project endpoints, as function instances on Google Cloud use them. */
  private void metadata(HttpExchange exchange) throws IOException {
    if (!"Google".equals(exchange.getRequestHeaders().getFirst("Metadata-Flavor"))) {
      StandInHttp.send(exchange, 403, "text/plain", "Missing Metadata-Flavor: Google".getBytes(StandardCharsets.UTF_8));
      return;
    }
    String path = exchange.getRequestURI().getPath();
    exchange.getResponseHeaders().set("Metadata-Flavor", "Google");
    if (path.equals("/computeMetadata/v1/instance") || path.equals("/computeMetadata/v1/instance/")) {
      StandInHttp.send(exchange, 200, "application/text", "attributes/\nservice-accounts/\n".getBytes(StandardCharsets.UTF_8));
    } else if (path.equals("/computeMetadata/v1/universe/universe-domain")) {
      StandInHttp.send(exchange, 200, "application/text", "googleapis.com".getBytes(StandardCharsets.UTF_8));
    } else if (path.equals("/computeMetadata/v1/instance/service-accounts/default/token")) {
      StandInHttp.json(exchange, 200, StandInHttp.JSON.createObjectNode().put("access_token", tokens.newAccessToken())
          .put("expires_in", 3599).put("token_type", "Bearer").toString());
    } else if (path.equals("/computeMetadata/v1/project/project-id")) {
      StandInHttp.send(exchange, 200, "application/text", StandInTokens.PROJECT.getBytes(StandardCharsets.UTF_8));
    } else {
      StandInHttp.send(exchange, 404, "text/plain", ("no metadata at " + path).getBytes(StandardCharsets.UTF_8));
    }
  }
}
