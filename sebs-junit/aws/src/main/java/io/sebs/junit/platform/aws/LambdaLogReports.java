package io.sebs.junit.platform.aws;

import io.sebs.junit.Invocation;
import io.sebs.junit.platform.InvocationResult;
import io.sebs.junit.platform.LateProviderRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * Lambda's REPORT lines downloaded from CloudWatch Logs, for invocations whose answer carried no log tail
 * (the Function URL trigger). Lambda writes one REPORT line per request to the log group
 * {@code /aws/lambda/<function>}; delivery lags the answer by seconds, so the search is repeated
 * (FilterLogEvents, every page, filtered to REPORT lines, from shortly before the first invocation) until every
 * wanted request id is found or the wait runs out ({@link LateProviderRecords}). Invocations whose line did not
 * arrive keep unknown provider times, and the log says how many.
 */
final class LambdaLogReports {

  /** CloudWatch's filter syntax: the exact phrase that starts every REPORT line. */
  static final String FILTER = "\"REPORT RequestId\"";
  /** Margin before the first invocation, for clock differences between this machine and AWS. */
  private static final Duration CLOCK_MARGIN = Duration.ofMinutes(1);

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
    return records(functionName).fill(invocations, (ids, from, found) -> search(functionName, ids, from, found),
        LambdaLogReports::apply);
  }

  private LateProviderRecords<LambdaReport> records(String functionName) {
    return new LateProviderRecords<>("REPORT lines of " + functionName + " in " + logGroup(functionName),
        AwsSettings.LOG_WAIT, wait, poll, CLOCK_MARGIN, Integer.MAX_VALUE);
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

  private void search(String functionName, List<String> requestIds, Instant from, Map<String, LambdaReport> found) {
    Set<String> wanted = new java.util.HashSet<>(requestIds);
    long fromEpochMillis = from.toEpochMilli();
    try {
      for (FilteredLogEvent event : logs.filterLogEventsPaginator(r -> r.logGroupName(logGroup(functionName))
          .startTime(fromEpochMillis).filterPattern(FILTER)).events()) {
        LambdaReport.parse(event.message()).filter(report -> wanted.contains(report.requestId()))
            .ifPresent(report -> found.put(report.requestId(), report));
      }
    } catch (ResourceNotFoundException noGroupYet) {
      // the log group appears with the function's first log line: nothing delivered yet
    }
  }
}
