package io.sebs.junit.platform.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Cloud Logging's {@code POST /v2/entries:list} for Cloud Run's request logs: the stand-in's function front end
 * records one entry per request (trace, latency, status) as Cloud Run does, visible only after a delivery delay,
 * and this answers the filters the platform sends (service name, log name, traces), checking the project in
 * {@code resourceNames} and the caller's token.
 */
final class CloudLoggingStandIn {

  private static final Pattern SERVICE = Pattern.compile("resource\\.labels\\.service_name=\"([^\"]+)\"");
  private static final Pattern TRACE = Pattern.compile("\"projects/([^/]+)/traces/([0-9a-f]+)\"");
  private static final Pattern LOG_NAME = Pattern.compile("logName=\"projects/([^/]+)/logs/([^\"]+)\"");

  /** One request as Cloud Run logs it. */
  record RequestEntry(String service, String revision, String trace, int status, long latencyMicros,
      Instant timestamp, Instant visibleAt) {}

  private final List<RequestEntry> entries = new CopyOnWriteArrayList<>();
  private final Predicate<String> authorized;
  private final String project;
  private final List<String> filtersSeen = new CopyOnWriteArrayList<>();
  private volatile Duration deliveryDelay = Duration.ofMillis(1500);

  CloudLoggingStandIn(String project, Predicate<String> authorized) {
    this.project = project;
    this.authorized = authorized;
  }

  void deliveryDelay(Duration delay) {
    deliveryDelay = delay;
  }

  void record(String service, String revision, String trace, int status, long latencyMicros) {
    Instant now = Instant.now();
    entries.add(new RequestEntry(service, revision, trace, status, latencyMicros, now, now.plus(deliveryDelay)));
  }

  List<String> filtersSeen() {
    return List.copyOf(filtersSeen);
  }

  List<RequestEntry> entries() {
    return List.copyOf(entries);
  }

  void handle(HttpExchange exchange) throws IOException {
    if (!authorized.test(exchange.getRequestHeaders().getFirst("Authorization"))) {
      StandInHttp.error(exchange, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
      return;
    }
    JsonNode request = StandInHttp.JSON.readTree(StandInHttp.body(exchange));
    if (!request.path("resourceNames").toString().contains("\"projects/" + project + "\"")) {
      StandInHttp.error(exchange, 403, "PERMISSION_DENIED", "resourceNames must name projects/" + project);
      return;
    }
    String filter = request.path("filter").asText("");
    filtersSeen.add(filter);
    Matcher service = SERVICE.matcher(filter);
    Matcher logName = LOG_NAME.matcher(filter);
    if (!filter.contains("resource.type=\"cloud_run_revision\"") || !service.find() || !logName.find()
        || !logName.group(2).equals("run.googleapis.com%2Frequests")) {
      StandInHttp.error(exchange, 400, "INVALID_ARGUMENT", "the stand-in answers Cloud Run request-log filters only: "
          + filter);
      return;
    }
    Set<String> traces = new java.util.HashSet<>();
    Matcher trace = TRACE.matcher(filter);
    while (trace.find()) {
      if (!trace.group(1).equals(project)) {
        StandInHttp.error(exchange, 400, "INVALID_ARGUMENT", "trace of another project: " + trace.group());
        return;
      }
      traces.add(trace.group(2));
    }
    Instant now = Instant.now();
    List<RequestEntry> matching = new ArrayList<>();
    for (RequestEntry e : entries) {
      if (e.service().equals(service.group(1)) && !e.visibleAt().isAfter(now)
          && (traces.isEmpty() || traces.contains(e.trace()))) {
        matching.add(e);
      }
    }
    ObjectNode answer = StandInHttp.JSON.createObjectNode();
    ArrayNode list = answer.putArray("entries");
    for (RequestEntry e : matching) {
      ObjectNode entry = list.addObject();
      entry.put("logName", "projects/" + project + "/logs/run.googleapis.com%2Frequests");
      ObjectNode resource = entry.putObject("resource");
      resource.put("type", "cloud_run_revision");
      resource.putObject("labels").put("service_name", e.service()).put("revision_name", e.revision())
          .put("project_id", project).put("location", "us-central1");
      entry.put("timestamp", e.timestamp().toString());
      entry.put("severity", e.status() >= 500 ? "ERROR" : "INFO");
      entry.putObject("httpRequest").put("requestMethod", "POST").put("status", e.status())
          .put("latency", String.format(java.util.Locale.ROOT, "%d.%06ds", e.latencyMicros() / 1_000_000,
              e.latencyMicros() % 1_000_000));
      entry.put("trace", "projects/" + project + "/traces/" + e.trace());
    }
    StandInHttp.json(exchange, 200, StandInHttp.JSON.writeValueAsString(answer));
  }

  String describe() {
    return entries.stream().map(RequestEntry::trace).collect(Collectors.joining(", "));
  }
}
