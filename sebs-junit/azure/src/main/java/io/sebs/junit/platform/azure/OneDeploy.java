package io.sebs.junit.platform.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.BinaryData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;

/**
 * A zip deployment to a Flex Consumption app: OneDeploy's {@code POST /api/publish} on the app's SCM host (the
 * way Azure's own tools deploy to Flex, which has no Kudu zipdeploy), authorised with a Resource Manager token,
 * then the deployment's status polled until it succeeds or fails ({@code /api/deployments/...}: status 4 is
 * success, 3 failure). With {@code RemoteBuild=true} Azure installs the Python requirements on its side.
 */
final class OneDeploy {

  static final String DEPLOYER = "sebs-junit";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpPipeline pipeline;
  private final Duration timeout;

  OneDeploy(HttpPipeline pipeline, Duration timeout) {
    this.pipeline = pipeline;
    this.timeout = timeout;
  }

  void publish(String scmHost, byte[] zip, boolean remoteBuild) {
    String base = AzureClients.scheme(scmHost) + "://" + scmHost;
    HttpRequest request = new HttpRequest(HttpMethod.POST, base + "/api/publish?RemoteBuild=" + remoteBuild
        + "&Deployer=" + DEPLOYER)
        .setHeader(HttpHeaderName.CONTENT_TYPE, "application/zip")
        .setBody(BinaryData.fromBytes(zip));
    String statusUrl;
    try (HttpResponse response = pipeline.sendSync(request, com.azure.core.util.Context.NONE)) {
      int status = response.getStatusCode();
      if (status != 200 && status != 202) {
        throw new IllegalStateException("The deployment to " + scmHost + " was refused: HTTP " + status + " "
            + abbreviate(response.getBodyAsBinaryData().toString()) + (status == 401 || status == 403
            ? " (the identity needs Contributor or Website Contributor on the app)" : ""));
      }
      String location = response.getHeaderValue(HttpHeaderName.LOCATION);
      statusUrl = location != null ? (location.startsWith("http") ? location : base + location)
          : base + "/api/deployments/latest?deployer=" + DEPLOYER;
    }
    await(scmHost, statusUrl);
  }

  private void await(String scmHost, String statusUrl) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = 500;
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      try (HttpResponse response = pipeline.sendSync(new HttpRequest(HttpMethod.GET, statusUrl),
          com.azure.core.util.Context.NONE)) {
        if (response.getStatusCode() == 200) {
          last = JSON.readTree(response.getBodyAsBinaryData().toBytes());
          int status = last.path("status").asInt(-1);
          if (status == 4 || (last.path("complete").asBoolean(false) && status != 3)) {
            return;
          }
          if (status == 3) {
            throw new IllegalStateException("The deployment to " + scmHost + " failed: "
                + last.path("status_text").asText("") + " " + last.path("message").asText("")
                + " (log: " + last.path("log_url").asText(statusUrl) + ")");
          }
        } else if (response.getStatusCode() != 202 && response.getStatusCode() != 404) {
          throw new IllegalStateException("Cannot read the deployment status at " + statusUrl + ": HTTP "
              + response.getStatusCode() + " " + abbreviate(response.getBodyAsBinaryData().toString()));
        }
      } catch (IOException e) {
        throw new IllegalStateException("The deployment status at " + statusUrl + " is not JSON", e);
      }
      AzurePlatform.sleep(pause);
      pause = Math.min(pause * 2, 5000);
    }
    throw new IllegalStateException("The deployment to " + scmHost + " did not finish within " + timeout.toSeconds()
        + " s (-D" + AzureSettings.DEPLOY_TIMEOUT + "); last status: " + last);
  }

  private static String abbreviate(String text) {
    String t = text == null ? "" : text.strip();
    return t.length() <= 300 ? t : t.substring(0, 300) + "...";
  }
}
