package io.sebs.junit.platform.gcp;

import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.cloud.functions.v2.FunctionServiceClient;
import com.google.cloud.functions.v2.FunctionServiceSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Optional;

/**
 * The platform's Google API clients, created on first use, each on its HTTP/JSON transport and pointed at its
 * endpoint override when one is set ({@link GcpSettings}). Closing closes what was created.
 */
public final class GcpClients implements AutoCloseable {

  static final String FUNCTIONS_HOST = "https://cloudfunctions.googleapis.com";
  static final String LOGGING_HOST = "https://logging.googleapis.com";
  static final String RUN_HOST = "https://run.googleapis.com";
  static final String EXECUTIONS_HOST = "https://workflowexecutions.googleapis.com";

  private final GcpSettings settings;
  private final GcpCredentials credentials;
  private FunctionServiceClient functions;
  private com.google.cloud.workflows.v1.WorkflowsClient workflows;
  private GoogleRest rest;

  GcpClients(GcpSettings settings, GcpCredentials credentials) {
    this.settings = settings;
    this.credentials = credentials;
  }

  public static GcpClients create(GcpSettings settings) {
    return new GcpClients(settings, GcpCredentials.resolve(settings));
  }

  public GcpSettings settings() {
    return settings;
  }

  public GcpCredentials credentials() {
    return credentials;
  }

  public String project() {
    return credentials.project();
  }

  /** {@code projects/<project>/locations/<region>}. */
  public String location() {
    return "projects/" + project() + "/locations/" + settings.region();
  }

  /** Cloud Functions v2 over HTTP/JSON. */
  public synchronized FunctionServiceClient functions() {
    if (functions == null) {
      try {
        FunctionServiceSettings.Builder builder = FunctionServiceSettings.newHttpJsonBuilder()
            .setCredentialsProvider(FixedCredentialsProvider.create(credentials.google()));
        settings.endpoint("functions").ifPresent(uri -> builder.setEndpoint(uri.toString()));
        builder.createFunctionOperationSettings().setPollingAlgorithm(polling());
        builder.updateFunctionOperationSettings().setPollingAlgorithm(polling());
        builder.deleteFunctionOperationSettings().setPollingAlgorithm(polling());
        functions = FunctionServiceClient.create(builder.build());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create the Cloud Functions client: " + e.getMessage(), e);
      }
    }
    return functions;
  }

  /** Google Workflows v1 over HTTP/JSON (deployments; executions go through {@link #rest()}). */
  public synchronized com.google.cloud.workflows.v1.WorkflowsClient workflows() {
    if (workflows == null) {
      try {
        com.google.cloud.workflows.v1.WorkflowsSettings.Builder builder =
            com.google.cloud.workflows.v1.WorkflowsSettings.newHttpJsonBuilder()
                .setCredentialsProvider(FixedCredentialsProvider.create(credentials.google()));
        settings.endpoint("workflows").ifPresent(uri -> builder.setEndpoint(uri.toString()));
        builder.createWorkflowOperationSettings().setPollingAlgorithm(polling());
        builder.updateWorkflowOperationSettings().setPollingAlgorithm(polling());
        builder.deleteWorkflowOperationSettings().setPollingAlgorithm(polling());
        workflows = com.google.cloud.workflows.v1.WorkflowsClient.create(builder.build());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create the Workflows client: " + e.getMessage(), e);
      }
    }
    return workflows;
  }

  /**
   * How deployments are awaited: polled after 0.5 s, then 1.5 times as long each time up to every 5 s, until
   * {@code sebs.gcp.deployTimeout} (the client's default waits 5 s before the first poll and up to a minute
   * between polls, which would add seconds to every deployment and cold start).
   */
  private com.google.api.gax.longrunning.OperationTimedPollAlgorithm polling() {
    return com.google.api.gax.longrunning.OperationTimedPollAlgorithm.create(com.google.api.gax.retrying.RetrySettings
        .newBuilder().setInitialRetryDelayDuration(java.time.Duration.ofMillis(500)).setRetryDelayMultiplier(1.5)
        .setMaxRetryDelayDuration(java.time.Duration.ofSeconds(5)).setInitialRpcTimeoutDuration(java.time.Duration.ZERO)
        .setRpcTimeoutMultiplier(1.0).setMaxRpcTimeoutDuration(java.time.Duration.ZERO)
        .setTotalTimeoutDuration(settings.deployTimeout()).build());
  }

  /** The base URL of a service's REST API: its override or Google's host. */
  URI baseUrl(String service, String googleHost) {
    return settings.endpoint(service).orElse(URI.create(googleHost));
  }

  /** A small JSON-over-HTTP client for the APIs called without a generated client (Cloud Logging's REST). */
  synchronized GoogleRest rest() {
    if (rest == null) {
      rest = new GoogleRest(credentials);
    }
    return rest;
  }

  Optional<URI> endpoint(String service) {
    return settings.endpoint(service);
  }

  @Override
  public synchronized void close() {
    if (functions != null) {
      functions.close();
    }
    if (workflows != null) {
      workflows.close();
    }
  }
}
