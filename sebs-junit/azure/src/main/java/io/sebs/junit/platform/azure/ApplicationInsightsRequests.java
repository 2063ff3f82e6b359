package io.sebs.junit.platform.azure;

import com.azure.core.exception.HttpResponseException;
import com.azure.monitor.query.LogsQueryClient;
import com.azure.monitor.query.models.LogsQueryResult;
import com.azure.monitor.query.models.LogsTableCell;
import com.azure.monitor.query.models.LogsTableRow;
import com.azure.monitor.query.models.QueryTimeInterval;
import io.sebs.junit.Invocation;
import io.sebs.junit.platform.InvocationResult;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Provider times from Application Insights: the Functions host records one request per invocation, with the
 * invocation id and {@code FunctionExecutionTimeMs} among its properties, in the workspace's {@code AppRequests}
 * table. Telemetry arrives minutes late, so one query per series is polled (1 s, 2 s, 4 s... up to the poll
 * interval) until every invocation is found or {@code sebs.azure.logWait} has passed; what never arrives stays
 * unknown, with a warning, rather than failing the measurements.
 */
final class ApplicationInsightsRequests {

  private static final Logger LOG = Logger.getLogger(ApplicationInsightsRequests.class.getName());
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
    Set<String> wanted = new LinkedHashSet<>();
    long from = Long.MAX_VALUE;
    for (Invocation i : invocations) {
      if (i instanceof InvocationResult && needsTime((InvocationResult) i)) {
        InvocationResult r = (InvocationResult) i;
        wanted.add(r.requestId());
        from = Math.min(from, r.clientBeginMicros() / 1000);
      }
    }
    if (wanted.isEmpty()) {
      return invocations;
    }
    OffsetDateTime start = OffsetDateTime.ofInstant(java.time.Instant.ofEpochMilli(from), ZoneOffset.UTC)
        .minus(CLOCK_MARGIN);
    Map<String, Long> times = find(app, wanted, start);
    if (times.size() < wanted.size()) {
      int missing = wanted.size() - times.size();
      LOG.warning(() -> missing + " of " + wanted.size() + " requests of " + app + " did not reach Application"
          + " Insights within " + wait.toSeconds() + " s (-D" + AzureSettings.LOG_WAIT + "): their provider times"
          + " stay unknown");
    }
    List<Invocation> filled = new ArrayList<>(invocations.size());
    for (Invocation i : invocations) {
      Long micros = i instanceof InvocationResult ? times.get(((InvocationResult) i).requestId()) : null;
      filled.add(micros == null ? i : ((InvocationResult) i).withProviderMicros(micros));
    }
    return filled;
  }

  private static boolean needsTime(InvocationResult r) {
    return r.providerMicros() < 0 && r.functionBeginMicros() > 0;
  }

  /** Invocation id to execution time in microseconds, waiting for late telemetry. */
  Map<String, Long> find(String app, Set<String> ids, OffsetDateTime from) {
    Map<String, Long> found = new HashMap<>();
    long deadline = System.nanoTime() + wait.toNanos();
    long pause = Math.min(1000, poll.toMillis());
    while (true) {
      List<String> missing = ids.stream().filter(id -> !found.containsKey(id)).collect(Collectors.toList());
      try {
        for (int i = 0; i < missing.size(); i += IDS_PER_QUERY) {
          search(app, missing.subList(i, Math.min(missing.size(), i + IDS_PER_QUERY)), from, found);
        }
      } catch (HttpResponseException e) {
        int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
        if (status != 429) {
          LOG.warning(() -> "Cannot query Application Insights for the requests of " + app + " (" + e.getMessage()
              + "): their provider times stay unknown; querying needs Log Analytics Reader on the workspace "
              + AzureSharedResources.WORKSPACE_NAME);
          return found;
        }
        pause = Math.max(pause, Math.min(pause * 4, 30_000));
      }
      if (found.size() == ids.size() || System.nanoTime() + pause * 1_000_000L > deadline) {
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

  /** The KQL for one batch: the app's requests since {@code from} with these invocation ids. */
  static String query(String app, List<String> ids) {
    return "AppRequests"
        + " | where AppRoleName =~ '" + app.replace("'", "") + "'"
        + " | extend InvocationId = tostring(Properties['InvocationId'])"
        + " | where InvocationId in (" + ids.stream().map(id -> "'" + id.replace("'", "") + "'")
            .collect(Collectors.joining(", ")) + ")"
        + " | project InvocationId, ExecutionMs = todouble(Properties['FunctionExecutionTimeMs']), DurationMs";
  }

  private void search(String app, List<String> ids, OffsetDateTime from, Map<String, Long> found) {
    LogsQueryResult result = logs.queryWorkspace(workspaceId.get(), query(app, ids),
        new QueryTimeInterval(from, OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(5)));
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
