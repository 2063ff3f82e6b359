package io.sebs.junit.platform.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.Invocation;
import io.sebs.junit.platform.InvocationResult;
import io.sebs.junit.platform.LateProviderRecords;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Provider times from Cloud Logging: a 2nd-gen function is a Cloud Run service, and Cloud Run writes one
 * request log entry per request ({@code run.googleapis.com/requests}, resource {@code cloud_run_revision}) with
 * the request's latency as Cloud Run measured it, and the trace the client sent in {@code X-Cloud-Trace-Context}
 * ({@code projects/<p>/traces/<trace id>}), which is the invocation's request id. Delivery lags the answer by
 * seconds, so the search ({@code entries:list} over REST, filtered by service and trace ids) is repeated until
 * every wanted trace is found or the wait ({@code sebs.gcp.logWait}) runs out ({@link LateProviderRecords}); what
 * never arrives stays unknown and the log says how many. Cloud Run reports no per-request memory, so memory used stays unknown.
 */
final class CloudRunRequestLogs {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Margin before the first invocation, for clock differences between this machine and Google. */
  private static final Duration CLOCK_MARGIN = Duration.ofMinutes(1);
  /** Traces per query: Cloud Logging filters have a length limit (20,000 characters). */
  private static final int TRACES_PER_QUERY = 100;

  private final GoogleRest rest;
  private final URI entriesList;
  private final String project;
  private final Duration wait;
  private final Duration poll;

  CloudRunRequestLogs(GoogleRest rest, URI loggingBase, String project, Duration wait, Duration poll) {
    this.rest = rest;
    this.entriesList = URI.create(loggingBase + "/v2/entries:list");
    this.project = project;
    this.wait = wait;
    this.poll = poll;
  }

  /** The invocations, in order, with provider times of those that answered and had none yet. */
  List<Invocation> fill(String service, List<Invocation> invocations) {
    return records(service).fill(invocations, (traces, from, found) -> search(service, traces, from, found),
        InvocationResult::withProviderMicros);
  }

  private LateProviderRecords<Long> records(String service) {
    return new LateProviderRecords<>("request log entries of " + service + " in Cloud Logging", GcpSettings.LOG_WAIT,
        wait, poll, CLOCK_MARGIN, TRACES_PER_QUERY);
  }

  /** The filter for one batch: the service's request log since {@code from}, these traces. */
  String filter(String service, List<String> traces, Instant from) {
    return "resource.type=\"cloud_run_revision\""
        + " AND resource.labels.service_name=\"" + service + "\""
        + " AND logName=\"projects/" + project + "/logs/run.googleapis.com%2Frequests\""
        + " AND timestamp>=\"" + from + "\""
        + " AND trace=(" + traces.stream().map(t -> "\"projects/" + project + "/traces/" + t + "\"")
            .collect(Collectors.joining(" OR ")) + ")";
  }

  private void search(String service, List<String> traces, Instant from, Map<String, Long> found) {
    String pageToken = null;
    do {
      ObjectNode request = JSON.createObjectNode();
      request.putArray("resourceNames").add("projects/" + project);
      request.put("filter", filter(service, traces, from));
      request.put("pageSize", 1000);
      if (pageToken != null) {
        request.put("pageToken", pageToken);
      }
      JsonNode page;
      try {
        page = rest.post(entriesList, request);
      } catch (GoogleRest.GoogleApiException e) {
        if (e.status() == 429) {
          // Cloud Logging's read quota (entries.list requests per minute per project)
          throw new LateProviderRecords.Throttled(e.getMessage());
        }
        // the measurements stand without provider times (billing then says "estimated"), rather than fail
        throw new LateProviderRecords.Refused(e.getMessage() + "; reading Cloud Run's request logs needs the"
            + " logging.logEntries.list permission (roles/logging.viewer)", e);
      }
      for (JsonNode entry : page.path("entries")) {
        String trace = entry.path("trace").asText("");
        String id = trace.substring(trace.lastIndexOf('/') + 1);
        String latency = entry.path("httpRequest").path("latency").asText("");
        if (!id.isEmpty() && latency.endsWith("s")) {
          found.put(id, durationMicros(latency));
        }
      }
      pageToken = page.path("nextPageToken").asText("");
    } while (!pageToken.isEmpty());
  }

  /** A protobuf Duration in JSON ("0.123456789s") in microseconds. */
  static long durationMicros(String duration) {
    return new java.math.BigDecimal(duration.substring(0, duration.length() - 1)).movePointRight(6)
        .setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
  }
}
