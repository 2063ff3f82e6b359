package io.sebs.junit.platform.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * JSON over HTTP to Google APIs that the platform calls without a generated client (Cloud Logging's REST
 * {@code entries:list}, the upload URL of a function's source), authorised with the credentials' access
 * token. Google's error bodies ({@code {"error": {"code", "message", "status"}}}) become the exception's
 * message.
 */
final class GoogleRest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final GcpCredentials credentials;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();

  GoogleRest(GcpCredentials credentials) {
    this.credentials = credentials;
  }

  /** POSTs a JSON body with the access token and returns the JSON answer. */
  JsonNode post(URI uri, JsonNode body) {
    try {
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(1))
          .header("Authorization", credentials.authorization()).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
      HttpResponse<String> response = send(request);
      return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("POST " + uri + " failed: " + e.getMessage(), e);
    }
  }

  /** GETs a JSON resource with the access token. */
  JsonNode get(URI uri) {
    try {
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(1))
          .header("Authorization", credentials.authorization()).GET().build();
      HttpResponse<String> response = send(request);
      return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + uri + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * PUTs a function's source zip to the upload URL Cloud Functions generated (a signed Cloud Storage URL: it
   * carries its own authorisation, so no token is sent).
   */
  void uploadZip(URI uploadUrl, byte[] zip) {
    send(HttpRequest.newBuilder(uploadUrl).timeout(Duration.ofMinutes(10)).header("Content-Type", "application/zip")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(zip)).build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new GoogleApiException(request.method() + " " + request.uri().getPath() + " failed: HTTP "
            + response.statusCode() + " " + errorMessage(response.body()), response.statusCode());
      }
      return response;
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted during " + request.method() + " " + request.uri(), e);
    }
  }

  static String errorMessage(String body) {
    try {
      JsonNode error = JSON.readTree(body).path("error");
      if (error.has("message")) {
        return error.path("status").asText("") + ": " + error.path("message").asText();
      }
    } catch (IOException | RuntimeException e) {
      // not Google's error JSON: the body as it is
    }
    return body.length() > 500 ? body.substring(0, 500) + "..." : body;
  }

  /** A Google API answered with an error status. */
  static final class GoogleApiException extends RuntimeException {
    private final int status;

    GoogleApiException(String message, int status) {
      super(message);
      this.status = status;
    }

    int status() {
      return status;
    }
  }
}
