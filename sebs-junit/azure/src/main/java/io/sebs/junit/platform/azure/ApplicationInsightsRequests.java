package io.sebs.junit.platform.azure;

import com.azure.core.exception.HttpResponseException;
import com.azure.monitor.query.LogsQueryClient;
import com.azure.monitor.query.models.LogsQueryResult;
import com.azure.monitor.query.models.LogsTableCell;
import com.azure.monitor.query.models.LogsTableRow;
import com.azure.monitor.query.models.QueryTimeInterval;
import io.sebs.junit.Invocation;
import io.sebs.junit.platform.InvocationResult;
import io.sebs.junit.platform.LateProviderRecords;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Provider times from Application Insights: the Functions host records one request per invocation, with the
 * invocation id and {@code FunctionExecutionTimeMs} among its properties, in the workspace's {@code AppRequests}
 * table. Telemetry arrives minutes late, so one query per series is polled ({@link LateProviderRecords}: 1 s, 2 s,
 * 4 s... up to the poll interval) until every invocation is found or {@code sebs.azure.logWait} has passed; what
 * never arrives stays unknown, with a warning, rather than failing the measurements.
 */
final class ApplicationInsightsRequests {

  /** Invocation ids per query: KQL's {@code in} list stays far below the query size limit. */
  static final int IDS_PER_QUERY = 200;
  private static final Duration CLOCK_MARGIN = Duration.ofMinutes(5);

  private final LogsQueryClient logs;
  private final Supplier<String> workspaceId;
  private final Duration wait;
  private final Duration poll;

  ApplicationInsightsRequests(LogsQueryClient logs, Supplier<String> workspaceId, Duration wait, Duration poll) {
    this.logs = logs;
    this.workspaceId = workspaceId;
    this.wait = wait;
    this.poll = poll;
  }

  /** The invocations, in order, with provider times of those that answered and had none yet. */
  List<Invocation> fill(String app, List<Invocation> invocations) {
    return records(app).fill(invocations, (ids, from, found) -> search(app, ids, from, found),
        InvocationResult::withProviderMicros);
  }

  private LateProviderRecords<Long> records(String app) {
    return new LateProviderRecords<>("requests of " + app + " in Application Insights", AzureSettings.LOG_WAIT, wait,
        poll, CLOCK_MARGIN, IDS_PER_QUERY);
  }

  /** The KQL for one batch: the app's requests since {@code from} with these invocation ids. */
  static String query(String app, List<String> ids) {
    return "AppRequests"
        + " | where AppRoleName =~ '" + app.replace("'", "") + "'"
        + " | extend InvocationId = tostring(Properties['InvocationId'])"
        + " | where InvocationId in (" + ids.stream().map(id -> "'" + id.replace("'", "") + "'")
            .collect(Collectors.joining(", ")) + ")"
        + " | project InvocationId, ExecutionMs = todouble(Properties['FunctionExecutionTimeMs']), DurationMs";
  }

  private void search(String app, List<String> ids, Instant from, Map<String, Long> found) {
    LogsQueryResult result;
    try {
      result = logs.queryWorkspace(workspaceId.get(), query(app, ids), new QueryTimeInterval(
          OffsetDateTime.ofInstant(from, ZoneOffset.UTC), OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(5)));
    } catch (HttpResponseException e) {
      int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
      if (status == 429) {
        throw new LateProviderRecords.Throttled(e.getMessage());
      }
      throw new LateProviderRecords.Refused(e.getMessage() + "; querying needs Log Analytics Reader on the workspace "
          + AzureSharedResources.WORKSPACE_NAME, e);
    }
    if (result.getTable() == null) {
      return;
    }
    for (LogsTableRow row : result.getTable().getRows()) {
      String id = row.getColumnValue("InvocationId").map(LogsTableCell::getValueAsString).orElse("");
      Double ms = row.getColumnValue("ExecutionMs").map(ApplicationInsightsRequests::number)
          .orElse(null);
      if (ms == null) {
        ms = row.getColumnValue("DurationMs").map(ApplicationInsightsRequests::number).orElse(null);
      }
      if (!id.isEmpty() && ms != null) {
        found.put(id, Math.round(ms * 1000));
      }
    }
  }

  private static Double number(LogsTableCell cell) {
    String text = cell.getValueAsString();
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
