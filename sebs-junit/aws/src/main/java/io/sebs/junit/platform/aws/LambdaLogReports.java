package io.sebs.junit.platform.aws;

import io.sebs.junit.Invocation;
import io.sebs.junit.platform.InvocationResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * Lambda's REPORT lines downloaded from CloudWatch Logs, for invocations whose answer carried no log tail
 * (the Function URL trigger). Lambda writes one REPORT line per request to the log group
 * {@code /aws/lambda/<function>}; delivery lags the answer by seconds, so the search is repeated
 * (FilterLogEvents, every page, filtered to REPORT lines, from shortly before the first invocation) until every
 * wanted request id is found or the wait runs out. Invocations whose line did not arrive keep unknown provider
 * times, and the log says how many.
 */
final class LambdaLogReports {

  private static final Logger LOG = Logger.getLogger(LambdaLogReports.class.getName());
  /** CloudWatch's filter syntax: the exact phrase that starts every REPORT line. */
  static final String FILTER = "\"REPORT RequestId\"";
  /** Margin before the first invocation, for clock differences between this machine and AWS. */
  private static final long CLOCK_MARGIN_MS = 60_000;

  private final CloudWatchLogsClient logs;
  private final Duration wait;
  private final Duration poll;

  LambdaLogReports(CloudWatchLogsClient logs, Duration wait, Duration poll) {
    this.logs = logs;
    this.wait = wait;
    this.poll = poll;
  }

  static String logGroup(String functionName) {
    return "/aws/lambda/" + functionName;
  }

  /**
   * The invocations, in order, with provider time, memory used and init duration filled in from the REPORT
   * lines of those that answered but had no provider time; others are returned as they are.
   */
  List<Invocation> fill(String functionName, List<Invocation> invocations) {
    Set<String> wanted = new LinkedHashSet<>();
    long from = Long.MAX_VALUE;
    for (Invocation i : invocations) {
      if (i instanceof InvocationResult r && needsReport(r)) {
        wanted.add(r.requestId());
        from = Math.min(from, r.clientBeginMicros() / 1000);
      }
    }
    if (wanted.isEmpty()) {
      return invocations;
    }
    Map<String, LambdaReport> reports = find(functionName, wanted, from - CLOCK_MARGIN_MS);
    if (reports.size() < wanted.size()) {
      int missing = wanted.size() - reports.size();
      LOG.warning(() -> missing + " of " + wanted.size() + " REPORT lines of " + functionName + " did not reach "
          + logGroup(functionName) + " within " + wait.toSeconds() + " s (-D" + AwsSettings.LOG_WAIT
          + "): their provider times stay unknown");
    }
    List<Invocation> filled = new ArrayList<>(invocations.size());
    for (Invocation i : invocations) {
      LambdaReport report = i instanceof InvocationResult r ? reports.get(r.requestId()) : null;
      filled.add(report == null ? i : apply((InvocationResult) i, report));
    }
    return filled;
  }

  private static boolean needsReport(InvocationResult r) {
    return r.providerMicros() < 0 && r.functionBeginMicros() > 0;
  }

  /** The invocation with the report's provider time, memory used and (cold starts) init duration. */
  static InvocationResult apply(InvocationResult result, LambdaReport report) {
    InvocationResult r = result.withProviderMicros(Math.round(report.durationMs() * 1000));
    if (report.maxMemoryUsedMb() >= 0) {
      r = r.withMemoryUsedMb(report.maxMemoryUsedMb());
    }
    if (report.initMs().isPresent()) {
      r = r.withInitMicros(Math.round(report.initMs().getAsDouble() * 1000));
    }
    return r;
  }

  /** The REPORT lines of {@code requestIds} logged since {@code fromEpochMillis}, waiting for late delivery. */
  Map<String, LambdaReport> find(String functionName, Set<String> requestIds, long fromEpochMillis) {
    Map<String, LambdaReport> found = new HashMap<>();
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      search(functionName, requestIds, fromEpochMillis, found);
      if (found.size() == requestIds.size() || System.nanoTime() + poll.toNanos() > deadline) {
        return found;
      }
      try {
        Thread.sleep(poll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return found;
      }
    }
  }

  private void search(String functionName, Set<String> requestIds, long fromEpochMillis,
      Map<String, LambdaReport> found) {
    try {
      for (FilteredLogEvent event : logs.filterLogEventsPaginator(r -> r.logGroupName(logGroup(functionName))
          .startTime(fromEpochMillis).filterPattern(FILTER)).events()) {
        LambdaReport.parse(event.message()).filter(report -> requestIds.contains(report.requestId()))
            .ifPresent(report -> found.put(report.requestId(), report));
      }
    } catch (ResourceNotFoundException noGroupYet) {
      // the log group appears with the function's first log line: nothing delivered yet
    }
  }
}
