package io.sebs.junit.platform.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.Invocation;
import io.sebs.junit.platform.InvocationResult;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Provider times from Cloud Logging: a 2nd-gen function is a Cloud Run service, and Cloud Run writes one
 * request log entry per request ({@code run.googleapis.com/requests}, resource {@code cloud_run_revision}) with
 * the request's latency as Cloud Run measured it, and the trace the client sent in {@code X-Cloud-Trace-Context}
 * ({@code projects/<p>/traces/<trace id>}), which is the invocation's request id. Delivery lags the answer by
 * seconds, so the search ({@code entries:list} over REST, filtered by service and trace ids) is repeated until
 * every wanted trace is found or the wait ({@code sebs.gcp.logWait}) runs out; what never arrives stays unknown
 * and the log says how many. Cloud Run reports no per-request memory, so memory used stays unknown.
 */
final class CloudRunRequestLogs {

  private static final Logger LOG = Logger.getLogger(CloudRunRequestLogs.class.getName());
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
    Set<String> wanted = new LinkedHashSet<>();
    long from = Long.MAX_VALUE;
    for (Invocation i : invocations) {
      if (i instanceof InvocationResult && needsLatency((InvocationResult) i)) {
        InvocationResult r = (InvocationResult) i;
        wanted.add(r.requestId());
        from = Math.min(from, r.clientBeginMicros() / 1000);
      }
    }
    if (wanted.isEmpty()) {
      return invocations;
    }
    Map<String, Long> latencies = find(service, wanted, Instant.ofEpochMilli(from).minus(CLOCK_MARGIN));
    if (latencies.size() < wanted.size()) {
      int missing = wanted.size() - latencies.size();
      LOG.warning(() -> missing + " of " + wanted.size() + " request log entries of " + service + " did not reach"
          + " Cloud Logging within " + wait.toSeconds() + " s (-D" + GcpSettings.LOG_WAIT + "): their provider"
          + " times stay unknown");
    }
    List<Invocation> filled = new ArrayList<>(invocations.size());
    for (Invocation i : invocations) {
      Long micros = i instanceof InvocationResult ? latencies.get(((InvocationResult) i).requestId()) : null;
      filled.add(micros == null ? i : ((InvocationResult) i).withProviderMicros(micros));
    }
    return filled;
  }

  private static boolean needsLatency(InvocationResult r) {
    return r.providerMicros() < 0 && r.functionBeginMicros() > 0;
  }

  /** Trace id to latency in microseconds, waiting for late delivery. */
  Map<String, Long> find(String service, Set<String> traces, Instant from) {
    Map<String, Long> found = new HashMap<>();
    long deadline = System.nanoTime() + wait.toNanos();
    // 1 s, 2 s, 4 s... up to the poll interval: late entries are usually seconds late, and Cloud Logging's read
    // quota (entries.list requests per minute per project) is not spent on a fast loop
    long pause = Math.min(1000, poll.toMillis());
    while (true) {
      List<String> missing = traces.stream().filter(t -> !found.containsKey(t)).collect(Collectors.toList());
      try {
        for (int i = 0; i < missing.size(); i += TRACES_PER_QUERY) {
          search(service, missing.subList(i, Math.min(missing.size(), i + TRACES_PER_QUERY)), from, found);
        }
      } catch (GoogleRest.GoogleApiException e) {
        if (e.status() != 429) {
          // the measurements stand without provider times (billing then says "estimated"), rather than fail
          LOG.warning(() -> "Cannot read Cloud Run's request logs of " + service + " (" + e.getMessage() + "): their"
              + " provider times stay unknown; reading them needs the logging.logEntries.list permission"
              + " (roles/logging.viewer)");
          return found;
        }
        // Cloud Logging's read quota (entries.list requests per minute): keep what was found, wait longer
        pause = Math.max(pause, Math.min(pause * 4, 30_000));
        LOG.fine(() -> "Cloud Logging's read quota was reached; retrying in " + poll.toMillis() + " ms or more");
      }
      if (found.size() == traces.size() || System.nanoTime() + pause * 1_000_000L > deadline) {
        return found;
      }
      try {
        Thread.sleep(pause);
        pause = Math.min(pause * 2, Math.max(poll.toMillis(), pause));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return found;
      }
    }
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
      JsonNode page = rest.post(entriesList, request);
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
