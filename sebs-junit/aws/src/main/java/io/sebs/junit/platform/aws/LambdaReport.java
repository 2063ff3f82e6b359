package io.sebs.junit.platform.aws;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lambda's own account of one invocation, from the {@code REPORT} line it appends to the function's log
 * (returned by an invoke with {@code LogType=Tail}): execution and billed duration, configured and used
 * memory, and the init duration of a cold start. These are the provider times and the billing basis.
 *
 * @param initMs present only for an invocation that started a new execution environment
 */
public record LambdaReport(String requestId, double durationMs, double billedMs, int memoryMb, int maxMemoryUsedMb,
    OptionalDouble initMs) {

  private static final Pattern REPORT = Pattern.compile("REPORT RequestId: (\\S+)\\s+(.*)");
  private static final Pattern FIELD = Pattern.compile("([A-Za-z ]+?): ([0-9.]+) (ms|MB)");

  /**
   * The REPORT line in a log tail; empty when the tail has none (e.g. cut off by the 4 KB limit of the
   * tail, which keeps the end of the log, so the REPORT line is normally there).
   *
   * @throws IllegalArgumentException when a REPORT line lacks Duration, Billed Duration or Memory Size
   */
  public static Optional<LambdaReport> parse(String log) {
    Optional<LambdaReport> last = Optional.empty();
    for (String line : log.split("\\r?\\n")) {
      Matcher m = REPORT.matcher(line.trim());
      if (m.matches()) {
        last = Optional.of(fields(m.group(1), m.group(2), line));
      }
    }
    return last;
  }

  private static LambdaReport fields(String requestId, String rest, String line) {
    Double duration = null;
    Double billed = null;
    Integer memory = null;
    int used = -1;
    OptionalDouble init = OptionalDouble.empty();
    Matcher f = FIELD.matcher(rest);
    while (f.find()) {
      double value = Double.parseDouble(f.group(2));
      switch (f.group(1).trim()) {
        case "Duration" -> duration = value;
        case "Billed Duration" -> billed = value;
        case "Memory Size" -> memory = (int) value;
        case "Max Memory Used" -> used = (int) value;
        case "Init Duration" -> init = OptionalDouble.of(value);
        default -> { } // e.g. Restore Duration (SnapStart): not used yet
      }
    }
    if (duration == null || billed == null || memory == null) {
      throw new IllegalArgumentException("Lambda REPORT line without Duration, Billed Duration or Memory Size: "
          + line);
    }
    return new LambdaReport(requestId, duration, billed, memory, used, init);
  }
}
