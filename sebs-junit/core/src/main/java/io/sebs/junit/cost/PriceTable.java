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
 * @param perGbSecond USD per GB-second of billed memory and time, 1 GB being 1024 MB: a GiB of 1024 MiB, as
 *     Cloud Run's GiB-second (the configured memory in MB is taken as MiB, as AWS and Google size it)
 * @param perGhzSecond USD per GHz-second of provisioned CPU (Google Cloud Functions 1st gen), else 0
 * @param perVcpuSecond USD per vCPU-second of allocated CPU (Cloud Run functions, i.e. Google Cloud
 *     Functions 2nd gen), else 0
 * @param perRequest USD per invocation
 * @param granularityMs billed time is rounded up to a multiple of this
 * @param minimumMs least billed time of one invocation
 * @param memoryRoundingMb billed memory is rounded up to a multiple of this (Azure: 128); 0 bills the
 *     configured memory as it is
 * @param maximumMemoryMb largest memory the provider runs a function with; 0 when not limited here
 * @param cpuGhzByMemoryMb CPU clock provisioned per memory tier (GCF 1st gen); empty when GHz are not billed
 * @param vcpuByMemoryMb the vCPUs allocated by default per memory size (GCF 2nd gen): a memory size between
 *     two keys gets the larger key's vCPUs; empty when vCPUs are not billed
 * @param instanceMemoryMb the instance sizes memory is billed by (Azure Flex Consumption: 512, 2048, 4096): a
 *     function is billed the smallest that holds its memory; empty when memory is billed as configured
 * @param cpuTime whether invocations are billed by the CPU time of their one thread, whatever the memory
 *     (Cloudflare Workers: {@code perVcpuSecond} per CPU-second, memory not billed)
 * @param source where the prices were taken from
 * @param retrieved when they were taken
 */
public record PriceTable(
    String provider,
    String providerName,
    String architecture,
    double perGbSecond,
    double perGhzSecond,
    double perVcpuSecond,
    double perRequest,
    long granularityMs,
    long minimumMs,
    int memoryRoundingMb,
    int maximumMemoryMb,
    SortedMap<Integer, Double> cpuGhzByMemoryMb,
    SortedMap<Integer, Double> vcpuByMemoryMb,
    java.util.SortedSet<Integer> instanceMemoryMb,
    boolean cpuTime,
    String source,
    LocalDate retrieved) {

  public PriceTable {
    if (granularityMs < 1) {
      throw new IllegalArgumentException("granularity_ms of " + provider + "/" + architecture + " must be >= 1");
    }
    if (!cpuGhzByMemoryMb.isEmpty() && !vcpuByMemoryMb.isEmpty()) {
      throw new IllegalArgumentException(provider + "/" + architecture
          + " bills CPU either by GHz-seconds (cpu_ghz_by_memory_mb) or by vCPU-seconds (vcpu_by_memory_mb), not both");
    }
    if (cpuTime && (!vcpuByMemoryMb.isEmpty() || !cpuGhzByMemoryMb.isEmpty() || perVcpuSecond <= 0)) {
      throw new IllegalArgumentException(provider + "/" + architecture
          + " bills CPU time (cpu_time): it needs per_vcpu_second, and no CPU per memory size");
    }
    if (!vcpuByMemoryMb.isEmpty() && perVcpuSecond <= 0) {
      throw new IllegalArgumentException(provider + "/" + architecture
          + " has vcpu_by_memory_mb but no per_vcpu_second price");
    }
    cpuGhzByMemoryMb = Collections.unmodifiableSortedMap(new TreeMap<>(cpuGhzByMemoryMb));
    vcpuByMemoryMb = Collections.unmodifiableSortedMap(new TreeMap<>(vcpuByMemoryMb));
    instanceMemoryMb = Collections.unmodifiableSortedSet(new java.util.TreeSet<>(instanceMemoryMb));
  }

  /**
   * Whether provisioned CPU is billed on its own by GHz-seconds of a memory tier's clock, as on Google Cloud
   * Functions 1st gen (which offers only the tiers' memory sizes).
   */
  public boolean billsCpu() {
    return !cpuGhzByMemoryMb.isEmpty();
  }

  /**
   * Whether CPU is billed by vCPU-seconds: allocated vCPUs as on Cloud Run functions (GCF 2nd gen), or the CPU
   * time of one thread as on Cloudflare Workers ({@link #cpuTime()}).
   */
  public boolean billsVcpu() {
    return !vcpuByMemoryMb.isEmpty() || cpuTime;
  }

  /**
   * The vCPUs allocated by default to a function of {@code memoryMb}: those of the smallest listed memory
   * size at least as large (Google documents the default only for its listed sizes).
   *
   * @throws IllegalStateException when this table bills no vCPUs
   * @throws IllegalArgumentException when the memory exceeds the largest listed size
   */
  public double defaultVcpu(int memoryMb) {
    if (!billsVcpu()) {
      throw new IllegalStateException(describe() + " bills no vCPU-seconds");
    }
    if (cpuTime) {
      return 1; // one thread's CPU time, whatever the memory
    }
    SortedMap<Integer, Double> atLeast = vcpuByMemoryMb.tailMap(memoryMb);
    if (atLeast.isEmpty()) {
      throw new IllegalArgumentException(providerName + " lists default vCPUs for at most "
          + vcpuByMemoryMb.lastKey() + " MB, not " + memoryMb + " MB");
    }
    return atLeast.get(atLeast.firstKey());
  }

  /** {@code aws/x86_64 prices of 2026-11-27}, for messages and result files. */
  public String describe() {
    return provider + "/" + architecture + " prices of " + retrieved;
  }
}
