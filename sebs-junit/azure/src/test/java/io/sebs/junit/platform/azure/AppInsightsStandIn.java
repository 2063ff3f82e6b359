package io.sebs.junit.platform.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Application Insights' request telemetry as the Log Analytics query API serves it ({@code POST
 * /v1/workspaces/<customerId>/query}): the function apps record each request, which becomes visible after an
 * ingestion delay, as on Azure. The stand-in understands the one query shape the platform sends (an {@code
 * AppRequests} filter by app and invocation ids, see {@code ApplicationInsightsRequests.query}) and refuses any
 * other, so a change of the query shows here.
 */
final class AppInsightsStandIn {

  /** How long a request takes to become queryable. */
  static final long INGESTION_DELAY_MS = 300;
  private static final Pattern APP = Pattern.compile("AppRoleName =~ '([^']+)'");
  private static final Pattern IDS = Pattern.compile("InvocationId in \\(([^)]*)\\)");

  private record Request(String app, String invocationId, double executionMs, double durationMs, int status,
      long visibleAt) {}

  private final List<Request> requests = new ArrayList<>();
  private final List<String> queries = new ArrayList<>();
  private final String token;
  private volatile String workspaceId;

  AppInsightsStandIn(String token) {
    this.token = token;
  }

  void workspace(String customerId) {
    this.workspaceId = customerId;
  }

  synchronized void record(String app, String invocationId, double executionMs, double durationMs, int status) {
    requests.add(new Request(app, invocationId, executionMs, durationMs, status,
        System.currentTimeMillis() + INGESTION_DELAY_MS));
  }

  synchronized List<String> queries() {
    return List.copyOf(queries);
  }

  /** How many requests of an app were answered with this status. */
  synchronized long answered(String app, int status) {
    return requests.stream().filter(r -> r.app.equalsIgnoreCase(app) && r.status == status).count();
  }

  synchronized int recorded() {
    return requests.size();
  }

  void handle(HttpExchange exchange, String workspace) throws IOException {
    if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      ArmHttp.error(exchange, 401, "InvalidTokenError", "The provided authentication is not valid");
      return;
    }
    if (!workspace.equals(workspaceId)) {
      ArmHttp.error(exchange, 404, "WorkspaceNotFoundError", "Workspace " + workspace + " not found");
      return;
    }
    JsonNode body = ArmHttp.JSON.readTree(ArmHttp.body(exchange));
    String query = body.path("query").asText("");
    synchronized (this) {
      queries.add(query);
    }
    Matcher app = APP.matcher(query);
    Matcher ids = IDS.matcher(query);
    if (!query.startsWith("AppRequests") || !app.find() || !ids.find()
        || !query.contains("Properties['FunctionExecutionTimeMs']") || body.path("timespan").asText("").isEmpty()) {
      ArmHttp.error(exchange, 400, "BadArgumentError", "The stand-in answers the platform's AppRequests query with a"
          + " timespan only, not: " + query);
      return;
    }
    List<String> wanted = new ArrayList<>();
    for (String id : ids.group(1).split(",")) {
      wanted.add(id.strip().replace("'", ""));
    }
    ObjectNode result = ArmHttp.JSON.createObjectNode();
    ObjectNode table = result.putArray("tables").addObject().put("name", "PrimaryResult");
    ArrayNode columns = table.putArray("columns");
    columns.addObject().put("name", "InvocationId").put("type", "string");
    columns.addObject().put("name", "ExecutionMs").put("type", "real");
    columns.addObject().put("name", "DurationMs").put("type", "real");
    ArrayNode rows = table.putArray("rows");
    long now = System.currentTimeMillis();
    synchronized (this) {
      for (Request r : requests) {
        if (r.app.equalsIgnoreCase(app.group(1)) && wanted.contains(r.invocationId) && r.visibleAt <= now) {
          rows.addArray().add(r.invocationId).add(r.executionMs).add(r.durationMs);
        }
      }
    }
    ArmHttp.json(exchange, 200, result);
  }
}
