package io.sebs.junit.platform.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's peak resident set size, Linux's {@code VmHWM} from {@code /proc/<pid>/status}: the most
 * physical memory the process has held since it started. That is a lifetime peak, like Lambda's Max
 * Memory Used of an execution environment, so it is the local platform's memory used per invocation.
 * One read is a small file read of procfs (tens of microseconds); where there is no procfs the figure is
 * unknown and not looked for.
 */
public final class PeakResidentSet {

  private static final String FIELD = "VmHWM:";
  private static final boolean NO_PROCFS = !Files.isDirectory(Path.of("/proc/self"));

  private PeakResidentSet() {}

  /** The peak resident set of process {@code pid} in MB; negative when unknown (no procfs, process gone). */
  public static double megabytes(long pid) {
    if (NO_PROCFS) {
      return -1;
    }
    String status;
    try {
      status = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "status")),
          StandardCharsets.US_ASCII);
    } catch (IOException e) {
      return -1; // the process has exited
    }
    return parseStatus(status);
  }

  /** {@code VmHWM} of a {@code /proc/<pid>/status} text in MB; negative when the field is missing. */
  static double parseStatus(String status) {
    int at = status.indexOf(FIELD);
    if (at < 0) {
      return -1; // kernel threads and zombies have no memory fields
    }
    int i = at + FIELD.length();
    while (i < status.length() && (status.charAt(i) == ' ' || status.charAt(i) == '\t')) {
      i++;
    }
    long kb = 0;
    int digits = 0;
    for (; i < status.length() && Character.isDigit(status.charAt(i)); i++, digits++) {
      kb = kb * 10 + (status.charAt(i) - '0');
    }
    return digits == 0 ? -1 : kb / 1024.0;
  }
}
