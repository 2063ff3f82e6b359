package io.sebs.junit.platform.gcp;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.IdTokenCredentials;
import com.google.auth.oauth2.IdTokenProvider;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.ServiceOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Google credentials for the platform's API calls (OAuth access tokens, scope cloud-platform) and for
 * invoking functions (ID tokens whose audience is the function's URL: 2nd-gen functions are Cloud Run services
 * that refuse unauthenticated requests unless made public). Found the way Google's tools find them
 * (Application Default Credentials: {@code GOOGLE_APPLICATION_CREDENTIALS}, gcloud's ADC file, the metadata
 * server) or read from {@code sebs.gcp.credentials}; the project is {@code sebs.gcp.project} or the one those
 * credentials name.
 */
public final class GcpCredentials {

  static final String CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";
  static final String HOW_TO_PROVIDE = "Provide Google credentials in one of the ways Google's tools accept:"
      + " set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file, run `gcloud auth application-default"
      + " login`, run on Google Cloud (the metadata server), or set -D" + GcpSettings.CREDENTIALS + "=<key file>";

  private final GoogleCredentials credentials;
  private final String project;
  private final Map<String, IdTokenCredentials> idTokens = new ConcurrentHashMap<>();

  GcpCredentials(GoogleCredentials credentials, String project) {
    this.credentials = credentials;
    this.project = project;
  }

  /** The credentials and project the settings name, with a message saying how to provide what is missing. */
  public static GcpCredentials resolve(GcpSettings settings) {
    GoogleCredentials credentials;
    try {
      if (settings.credentialsFile().isPresent()) {
        Path file = settings.credentialsFile().get();
        if (!Files.isRegularFile(file)) {
          throw new IllegalStateException(GcpSettings.CREDENTIALS + " names " + file + ", which is not a file. "
              + HOW_TO_PROVIDE);
        }
        try (InputStream in = Files.newInputStream(file)) {
          credentials = GoogleCredentials.fromStream(in);
        }
      } else {
        credentials = GoogleCredentials.getApplicationDefault();
      }
    } catch (IOException e) {
      throw new IllegalStateException("No Google credentials were found for the gcp platform (" + e.getMessage()
          + "). " + HOW_TO_PROVIDE, e);
    }
    if (credentials.createScopedRequired()) {
      credentials = credentials.createScoped(List.of(CLOUD_PLATFORM));
    }
    GoogleCredentials found = credentials;
    Optional<String> project = settings.project()
        .or(() -> found instanceof ServiceAccountCredentials
            ? Optional.ofNullable(((ServiceAccountCredentials) found).getProjectId()) : Optional.empty())
        .or(() -> Optional.ofNullable(ServiceOptions.getDefaultProjectId()))
        .filter(p -> !p.isBlank());
    if (project.isEmpty()) {
      throw new IllegalStateException("No Google Cloud project for the gcp platform: set -D" + GcpSettings.PROJECT
          + "=<project id> (or GOOGLE_CLOUD_PROJECT, or `gcloud config set project <id>`)");
    }
    return new GcpCredentials(credentials, project.get());
  }

  public GoogleCredentials google() {
    return credentials;
  }

  public String project() {
    return project;
  }

  /** {@code Bearer <access token>}, refreshed when it is about to expire. */
  public String authorization() {
    try {
      credentials.refreshIfExpired();
      return "Bearer " + credentials.getAccessToken().getTokenValue();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot get an access token from the Google credentials: " + e.getMessage(), e);
    }
  }

  /**
   * {@code Bearer <ID token>} for a function's URL, cached until it is about to expire. User credentials from
   * gcloud and service accounts can mint them; others cannot, and the message says what to use instead.
   */
  public String idTokenAuthorization(String audience) {
    if (!(credentials instanceof IdTokenProvider)) {
      throw new IllegalStateException("The Google credentials (" + credentials.getClass().getSimpleName() + ") cannot"
          + " mint ID tokens, which invoking a function that is not public needs: use a service-account key"
          + " (GOOGLE_APPLICATION_CREDENTIALS or -D" + GcpSettings.CREDENTIALS + "), gcloud user credentials,"
          + " service-account impersonation (`gcloud auth application-default login"
          + " --impersonate-service-account=<email>`; workload identity federation alone cannot mint them), or"
          + " deploy public functions with -D" + GcpSettings.PUBLIC + "=true");
    }
    IdTokenCredentials token = idTokens.computeIfAbsent(audience, a -> IdTokenCredentials.newBuilder()
        .setIdTokenProvider((IdTokenProvider) credentials).setTargetAudience(a).build());
    try {
      token.refreshIfExpired();
      return "Bearer " + token.getIdToken().getTokenValue();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot get an ID token for " + audience + ": " + e.getMessage(), e);
    }
  }
}
