package io.sebs.junit.platform.cloudflare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The few calls of Cloudflare's v4 API the REST path makes, with the account's bearer token: the account's
 * workers.dev subdomain, uploading a script (a new version each time), enabling it on workers.dev, deleting it, and
 * creating and deleting the R2 buckets Workers are bound to.
 * Every answer is Cloudflare's envelope ({@code success}, {@code errors}, {@code result}); a refusal is a {@link
 * CloudflareApiException} with Cloudflare's codes and messages and the request that got them.
 */
final class CloudflareApi {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  /** R2's "The bucket you tried to create already exists, and you own it." */
  static final int BUCKET_EXISTS = 10004;
  /** R2's "The specified bucket does not exist." */
  static final int NO_SUCH_BUCKET = 10006;

  private final CloudflareSettings.Api settings;
  private final HttpClient http;

  CloudflareApi(CloudflareSettings.Api settings, HttpClient http) {
    this.settings = settings;
    this.http = http;
  }

  /** The account's workers.dev subdomain ({@code GET /accounts/{id}/workers/subdomain}). */
  String subdomain() {
    JsonNode result = send("GET", account("/workers/subdomain"), null, null);
    String subdomain = result.path("subdomain").asText("");
    if (subdomain.isEmpty()) {
      throw new IllegalStateException("Cloudflare account " + settings.accountId() + " has no workers.dev subdomain:"
          + " choose one in the dashboard (Workers & Pages > Overview > Subdomain), or set -D"
          + CloudflareSettings.WORKERS_URL + " to the URL your Workers are served at");
    }
    return subdomain;
  }

  /** Uploads the script (a new version of it when it exists); Cloudflare's description of the script. */
  JsonNode upload(String script, WorkerUpload upload) {
    return send("PUT", script(script, ""), upload.contentType(), upload.body());
  }

  /** Makes the script reachable on the account's workers.dev subdomain. */
  void enableOnWorkersDev(String script) {
    send("POST", script(script, "/subdomain"), "application/json",
        "{\"enabled\":true}".getBytes(StandardCharsets.UTF_8));
  }

  /** Deletes the script, with whatever refers to it ({@code ?force=true}). */
  void delete(String script) {
    send("DELETE", URI.create(script(script, "") + "?force=true"), null, null);
  }

  /** Creates an R2 bucket ({@code POST /accounts/{id}/r2/buckets}); one that exists already is fine. */
  void createR2Bucket(String bucket) {
    try {
      send("POST", account("/r2/buckets"), "application/json",
          ("{\"name\":\"" + bucket + "\"}").getBytes(StandardCharsets.UTF_8));
    } catch (CloudflareApiException e) {
      if (!e.hasCode(BUCKET_EXISTS) && e.status() != 409) {
        throw e;
      }
    }
  }

  /** Deletes an empty R2 bucket; one that is gone already is fine. */
  void deleteR2Bucket(String bucket) {
    try {
      send("DELETE", account("/r2/buckets/" + encode(bucket)), null, null);
    } catch (CloudflareApiException e) {
      if (!e.hasCode(NO_SUCH_BUCKET)) {
        throw e;
      }
    }
  }

  private URI account(String path) {
    return URI.create(settings.apiUrl() + "/accounts/" + encode(settings.accountId()) + path);
  }

  private URI script(String script, String path) {
    return account("/workers/scripts/" + encode(script) + path);
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Sends one request and returns the envelope's result; a refusal or an unreadable answer throws. */
  private JsonNode send(String method, URI uri, String contentType, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
        .header("Authorization", "Bearer " + settings.apiToken())
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    String described = method + " " + uri;
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("Cloudflare API " + described + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted during Cloudflare API " + described, e);
    }
    JsonNode envelope;
    try {
      envelope = JSON.readTree(response.body());
    } catch (IOException e) {
      envelope = null;
    }
    boolean ok = response.statusCode() / 100 == 2 && envelope != null && envelope.path("success").asBoolean(false);
    if (!ok) {
      throw new CloudflareApiException(described, response.statusCode(), errors(envelope), response.body());
    }
    return envelope.path("result");
  }

  private static List<CloudflareApiException.Error> errors(JsonNode envelope) {
    List<CloudflareApiException.Error> errors = new ArrayList<>();
    if (envelope != null) {
      for (JsonNode error : envelope.path("errors")) {
        errors.add(new CloudflareApiException.Error(error.path("code").asInt(0), error.path("message").asText("")));
      }
    }
    return errors;
  }
}
