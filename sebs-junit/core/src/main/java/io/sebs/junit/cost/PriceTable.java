package io.sebs.junit.cost;

import java.time.LocalDate;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One provider's published prices and billing rules for one architecture (or, for Google Cloud Functions,
 * one region price tier), as read from {@code prices.json}. Data, not code: a price change is an edit of
 * that file, with its source and date.
 *
 * @param provider the key, e.g. {@code aws}
 * @param providerName the product, e.g. {@code AWS Lambda}
 * @param architecture the key of this variant, e.g. {@code x86_64}, {@code arm64}, {@code tier1}
 * @param perGbSecond USD per GB-second of billed memory and time (1 GB = 1024 MB)
 * @param perGhzSecond USD per GHz-second of provisioned CPU (Google Cloud Functions 1st gen), else 0
 * @param perRequest USD per invocation
 * @param granularityMs billed time is rounded up to a multiple of this
 * @param minimumMs least billed time of one invocation
 * @param memoryRoundingMb billed memory is rounded up to a multiple of this (Azure: 128); 0 bills the
 *     configured memory as it is
 * @param maximumMemoryMb largest memory the provider runs a function with; 0 when not limited here
 * @param cpuGhzByMemoryMb CPU clock provisioned per memory tier (GCF 1st gen); empty when CPU is not billed
 * @param source where the prices were taken from
 * @param retrieved when they were taken
 */
public record PriceTable(
    String provider,
    String providerName,
    String architecture,
    double perGbSecond,
    double perGhzSecond,
    double perRequest,
    long granularityMs,
    long minimumMs,
    int memoryRoundingMb,
    int maximumMemoryMb,
    SortedMap<Integer, Double> cpuGhzByMemoryMb,
    String source,
    LocalDate retrieved) {

  public PriceTable {
    if (granularityMs < 1) {
      throw new IllegalArgumentException("granularity_ms of " + provider + "/" + architecture + " must be >= 1");
    }
    cpuGhzByMemoryMb = Collections.unmodifiableSortedMap(new TreeMap<>(cpuGhzByMemoryMb));
  }

  /** Whether provisioned CPU is billed on its own (GHz-seconds), as on Google Cloud Functions 1st gen. */
  public boolean billsCpu() {
    return !cpuGhzByMemoryMb.isEmpty();
  }

  /** {@code aws/x86_64 prices of 2026-11-27}, for messages and result files. */
  public String describe() {
    return provider + "/" + architecture + " prices of " + retrieved;
  }
}
