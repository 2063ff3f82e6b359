package io.sebs.junit.platform;

import io.sebs.junit.Invocation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.logging.Logger;

/**
 * Provider records that arrive after the answers (Lambda's REPORT lines, Cloud Run's request logs, Application
 * Insights' requests), found by request id for {@link Platform#fetchMetrics}. The invocations that answered without
 * a provider time are searched for, again and again with a growing pause (1 s, 2 s, 4 s... up to {@code poll}; four
 * times as long after the service throttled) until every one is found or {@code wait} is over. What never arrives
 * stays unknown, with a warning naming the setting; the measurements stand either way.
 *
 * @param <T> what one record gives (a report, a duration)
 */
public final class LateProviderRecords<T> {

  private static final Logger LOG = Logger.getLogger(LateProviderRecords.class.getName());

  /** One search for some of the wanted request ids, logged since {@code from}; puts what it finds into found. */
  @FunctionalInterface
  public interface Search<T> {
    void search(List<String> requestIds, Instant from, Map<String, T> found);
  }

  /** Thrown by a search when the service throttles: the next one waits longer. */
  public static final class Throttled extends RuntimeException {
    public Throttled(String message) {
      super(message);
    }
  }

  /** Thrown by a search that cannot succeed (a missing permission): searching stops, saying why. */
  public static final class Refused extends RuntimeException {
    public Refused(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final String what;
  private final String waitSetting;
  private final Duration wait;
  private final Duration poll;
  private final Duration clockMargin;
  private final int idsPerSearch;

  /**
   * @param what the records and where they go, for messages ("REPORT lines of f in /aws/lambda/f")
   * @param waitSetting the setting that bounds the wait ({@code sebs.aws.logWait})
   * @param clockMargin searched from this long before the first invocation's client begin (clock differences)
   * @param idsPerSearch at most this many request ids in one search (a query's size limit)
   */
  public LateProviderRecords(String what, String waitSetting, Duration wait, Duration poll, Duration clockMargin,
      int idsPerSearch) {
    this.what = what;
    this.waitSetting = waitSetting;
    this.wait = wait;
    this.poll = poll;
    this.clockMargin = clockMargin;
    this.idsPerSearch = idsPerSearch;
  }

  /**
   * The invocations, in order, each that answered without a provider time completed by {@code apply} with its
   * record where one was found; the others as they are.
   */
  public List<Invocation> fill(List<Invocation> invocations, Search<T> search,
      BiFunction<InvocationResult, T, InvocationResult> apply) {
    Set<String> wanted = new LinkedHashSet<>();
    long from = Long.MAX_VALUE;
    for (Invocation i : invocations) {
      if (i instanceof InvocationResult && needsRecord((InvocationResult) i)) {
        InvocationResult r = (InvocationResult) i;
        wanted.add(r.requestId());
        from = Math.min(from, r.clientBeginMicros() / 1000);
      }
    }
    if (wanted.isEmpty()) {
      return invocations;
    }
    Map<String, T> records = find(wanted, Instant.ofEpochMilli(from).minus(clockMargin), search);
    if (records.size() < wanted.size()) {
      int missing = wanted.size() - records.size();
      LOG.warning(() -> missing + " of " + wanted.size() + " " + what + " did not arrive within " + wait.toSeconds()
          + " s (-D" + waitSetting + "): their provider times stay unknown");
    }
    List<Invocation> filled = new ArrayList<>(invocations.size());
    for (Invocation i : invocations) {
      T record = i instanceof InvocationResult ? records.get(((InvocationResult) i).requestId()) : null;
      filled.add(record == null ? i : apply.apply((InvocationResult) i, record));
    }
    return filled;
  }

  private static boolean needsRecord(InvocationResult r) {
    return r.providerMicros() < 0 && r.functionBeginMicros() > 0;
  }

  /** Request id to record, for as many of {@code ids} as arrive within the wait. */
  public Map<String, T> find(Set<String> ids, Instant from, Search<T> search) {
    Map<String, T> found = new HashMap<>();
    long deadline = System.nanoTime() + wait.toNanos();
    long pause = Math.min(1000, poll.toMillis());
    while (true) {
      List<String> missing = ids.stream().filter(id -> !found.containsKey(id)).toList();
      try {
        for (int i = 0; i < missing.size(); i += idsPerSearch) {
          search.search(missing.subList(i, Math.min(missing.size(), i + idsPerSearch)), from, found);
        }
      } catch (Throttled e) {
        pause = Math.max(pause, Math.min(pause * 4, 30_000));
        LOG.fine(() -> "Throttled while searching " + what + " (" + e.getMessage() + "); searching less often");
      } catch (Refused e) {
        LOG.warning(() -> "Cannot search " + what + ": " + e.getMessage() + "; their provider times stay unknown");
        return found;
      }
      if (found.size() >= ids.size() || System.nanoTime() + pause * 1_000_000L > deadline) {
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
}
