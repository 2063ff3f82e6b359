package io.sebs.junit.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.sebs.junit.Invocation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Searching provider records that arrive after the answers, by request id, within a bounded wait. */
class LateProviderRecordsTest {

  private static LateProviderRecords<Long> records(Duration wait, int idsPerSearch) {
    return new LateProviderRecords<>("test records", "sebs.test.logWait", wait, Duration.ofMillis(50),
        Duration.ofMinutes(1), idsPerSearch);
  }

  private static InvocationResult answered(String requestId) {
    long begin = 1_700_000_000_000_000L;
    return new InvocationResult(requestId, begin, 1_000, begin + 100, begin + 900, begin + 50, -1, -1, false, "c",
        null, null, null);
  }

  @Test
  void recordsThatArriveLateAreSearchedForAgainUntilAllAreFound() {
    AtomicInteger searches = new AtomicInteger();
    Map<String, Long> found = records(Duration.ofSeconds(10), 100).find(Set.of("a", "b"), Instant.EPOCH,
        (ids, from, into) -> {
          if (searches.incrementAndGet() >= 2) { // "b" arrives with the second search
            ids.forEach(id -> into.put(id, 7L));
          } else if (ids.contains("a")) {
            into.put("a", 5L);
          }
        });

    assertThat(found).containsEntry("a", 5L).containsEntry("b", 7L);
    assertThat(searches).hasValue(2);
  }

  @Test
  void onlyTheMissingIdsAreSearchedForInBatchesOfTheQuerysLimit() {
    List<List<String>> batches = new ArrayList<>();
    records(Duration.ofSeconds(10), 2).find(new java.util.LinkedHashSet<>(List.of("a", "b", "c")), Instant.EPOCH,
        (ids, from, into) -> {
          batches.add(List.copyOf(ids));
          into.put(ids.get(0), 1L);
          if (batches.size() >= 3) {
            ids.forEach(id -> into.put(id, 1L));
          }
        });

    assertThat(batches.get(0)).containsExactly("a", "b");
    assertThat(batches.get(1)).containsExactly("c");
    assertThat(batches.get(2)).containsExactly("b");
  }

  @Test
  void whatNeverArrivesStaysUnknownOnceTheWaitIsOver() {
    long start = System.nanoTime();
    Map<String, Long> found = records(Duration.ofMillis(300), 100).find(Set.of("a"), Instant.EPOCH,
        (ids, from, into) -> { });

    assertThat(found).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aRefusedSearchStopsSearchingAndKeepsWhatWasFound() {
    AtomicInteger searches = new AtomicInteger();
    Map<String, Long> found = records(Duration.ofSeconds(10), 1).find(new java.util.LinkedHashSet<>(List.of("a", "b")),
        Instant.EPOCH, (ids, from, into) -> {
          searches.incrementAndGet();
          if (ids.contains("b")) {
            throw new LateProviderRecords.Refused("no permission", null);
          }
          into.put("a", 3L);
        });

    assertThat(found).containsOnlyKeys("a");
    assertThat(searches).hasValue(2);
  }

  @Test
  void fillCompletesTheAnsweredInvocationsInOrderAndLeavesTheOthers() {
    InvocationResult unanswered = InvocationResult.failedBeforeAnswer("x", 1_700_000_000_000_000L, 1_000, "no answer");
    List<Instant> searchedFrom = new ArrayList<>();
    List<Invocation> filled = records(Duration.ofSeconds(1), 100).fill(List.of(answered("a"), unanswered,
        answered("b")), (ids, from, into) -> {
          assertThat(ids).containsExactly("a", "b");
          searchedFrom.add(from);
          ids.forEach(id -> into.put(id, 800L));
        }, InvocationResult::withProviderMicros);

    assertThat(filled).extracting(i -> ((InvocationResult) i).requestId()).containsExactly("a", "x", "b");
    assertThat(((InvocationResult) filled.get(0)).providerMicros()).isEqualTo(800);
    assertThat(filled.get(1)).isSameAs(unanswered);
    assertThat(searchedFrom).containsExactly(Instant.ofEpochSecond(1_700_000_000L).minus(Duration.ofMinutes(1)));
  }
}
