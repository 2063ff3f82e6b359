package io.sebs.junit.cost;

import io.sebs.junit.Invocation;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Prices invocations the way one provider bills them: billed time from the execution time (rounded up to
 * the billing granularity, at least the minimum), billed memory from the configured memory (rounded up
 * where the provider rounds), then GB-seconds (plus GHz-seconds on Google Cloud Functions 1st gen, or
 * vCPU-seconds on Cloud Run functions, i.e. Google Cloud Functions 2nd gen) times their price plus the
 * per-request price. On 2nd gen the vCPUs are those Google allocates by default for the memory size, or an
 * explicit count ({@value #GCP_CPU}, {@link #withVcpu(double)}).
 *
 * <p>The execution time is the one the platform reports for billing ({@link Invocation#providerTime()})
 * where there is one; otherwise the function-side {@link Invocation#benchmarkTime()} stands in for it and
 * the bill is marked {@linkplain Billing#estimated() estimated}. On the local platform every bill is an
 * estimate of what the configured provider ({@value #PROVIDER}, {@value #ARCHITECTURE}) would charge for
 * the same execution times.
 *
 * <p>Cloudflare Workers bill CPU time, not duration, and no memory ({@link PriceTable#cpuTime()}): on cloudflare-local
 * the CPU time workerd used for an invocation is its provider time; Cloudflare itself does not report it per
 * invocation, so there the benchmark time stands in for it, an upper bound (a Worker waiting on I/O or a timer uses no
 * CPU), and the bill is an estimate.
 *
 * <p>Not modelled: free tiers, volume tiers (AWS's cheaper GB-seconds beyond 6 billion a month), Azure's
 * billing of <em>observed</em> memory (the configured memory is taken as the memory used, an upper bound),
 * data transfer, storage and provisioned concurrency; on Cloud Run functions, concurrent requests sharing
 * one instance's billed time, and instance time outside the invocation's own execution time.
 */
public final class CostModel {

  /** Configuration key of the provider whose prices apply; default: the target platform if priced, else aws. */
  public static final String PROVIDER = "sebs.cost.provider";

  /**
   * Configuration key of the architecture (aws: x86_64, arm64; gcp: the generation and region tier,
   * gen2-tier1, gen2-tier2, and 1st gen tier1, tier2; azure: flex-consumption, x86_64; cloudflare: workers-standard).
   */
  public static final String ARCHITECTURE = "sebs.cost.architecture";

  /**
   * Configuration key of the vCPUs a Google Cloud function (2nd gen) is deployed with ({@code 1},
   * {@code 0.5}, {@code 2}, or millicores {@code 1000m}); absent: the default for its memory size. Applies
   * only to prices that bill vCPU-seconds.
   */
  public static final String GCP_CPU = "sebs.gcp.cpu";

  private final PriceTable prices;
  /** Explicit vCPUs billed instead of the table's default for the memory size; 0 for the default. */
  private final double vcpu;

  public CostModel(PriceTable prices) {
    this(prices, 0);
  }

  private CostModel(PriceTable prices, double vcpu) {
    this.prices = prices;
    this.vcpu = vcpu;
  }

  /**
   * This model billing {@code vcpu} vCPUs per invocation instead of the default for the memory size, for a
   * function deployed with an explicit CPU count.
   *
   * @throws IllegalArgumentException when the count is not positive or the prices bill no vCPU-seconds
   */
  public CostModel withVcpu(double vcpu) {
    if (!(vcpu > 0) || Double.isInfinite(vcpu)) {
      throw new IllegalArgumentException("a vCPU count must be a positive number, was " + vcpu);
    }
    if (!prices.billsVcpu()) {
      throw new IllegalArgumentException(prices.describe() + " bill no vCPU-seconds, so a vCPU count of " + vcpu
          + " cannot be priced: choose prices that do (e.g. gcp/gen2-tier1)");
    }
    return new CostModel(prices, vcpu);
  }

  /** The model of a provider and architecture (empty: the provider's default) from the shipped catalogue. */
  public static CostModel of(String provider, String architecture) {
    return new CostModel(PriceCatalog.load().find(provider, architecture));
  }

  /**
   * The model configured by {@value #PROVIDER} and {@value #ARCHITECTURE}. The provider defaults to the
   * target platform when it has prices (aws, gcp, azure, cloudflare; cloudflare-local takes cloudflare's) and to
   * {@code aws} otherwise (local, docker); the
   * architecture defaults to the provider's default (x86_64, or gen2-tier1 for gcp). Where the prices bill
   * vCPU-seconds, {@value #GCP_CPU} gives an explicit vCPU count.
   */
  public static CostModel fromConfig(Function<String, Optional<String>> config, String platform) {
    return fromConfig(config, platform, PriceCatalog.load());
  }

  /**
   * The platform's own prices where there are some, those of the provider a {@code <provider>-local} platform runs
   * locally (cloudflare-local: Workers prices), else AWS Lambda's (local, docker).
   */
  static String defaultProvider(PriceCatalog catalog, String platform) {
    if (catalog.providers().contains(platform)) {
      return platform;
    }
    String emulated = platform.endsWith("-local") ? platform.substring(0, platform.length() - "-local".length()) : "";
    return catalog.providers().contains(emulated) ? emulated : "aws";
  }

  private static CostModel fromConfig(Function<String, Optional<String>> config, String platform,
      PriceCatalog catalog) {
    String provider = config.apply(PROVIDER).map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
        .orElse(defaultProvider(catalog, platform));
    String architecture = config.apply(ARCHITECTURE).map(String::trim).orElse("");
    CostModel model = new CostModel(catalog.find(provider, architecture));
    if (model.prices.billsVcpu()) {
      Optional<String> cpu = config.apply(GCP_CPU).map(String::trim).filter(s -> !s.isEmpty());
      if (cpu.isPresent()) {
        return model.withVcpu(parseVcpu(cpu.get()));
      }
    }
    return model;
  }

  /** {@code 1}, {@code 0.5} or millicores {@code 500m}, as gcloud's {@code --cpu} and Cloud Run take them. */
  static double parseVcpu(String value) {
    try {
      return value.endsWith("m") ? Double.parseDouble(value.substring(0, value.length() - 1)) / 1000
          : Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(GCP_CPU + " must be a vCPU count such as 1, 0.5 or 500m, not '" + value
          + "'", e);
    }
  }

  /**
   * The vCPUs billed per second of a function with {@code memoryMb}: the explicit count if set, else the
   * default Google allocates for that memory size; 0 when the prices bill no vCPU-seconds.
   */
  public double billedVcpu(int memoryMb) {
    if (!prices.billsVcpu()) {
      return 0;
    }
    return vcpu > 0 ? vcpu : prices.defaultVcpu(memoryMb);
  }

  public PriceTable prices() {
    return prices;
  }

  /** Bills one invocation with the given configured memory, from the provider's time when there is one. */
  public Billing bill(Invocation invocation, int memoryMb) {
    if (invocation instanceof io.sebs.junit.WorkflowRun run) {
      return billWorkflow(run, memoryMb);
    }
    Optional<Duration> provider = invocation.providerTime();
    return bill(provider.orElse(invocation.benchmarkTime()), memoryMb, provider.isEmpty());
  }

  /**
   * A workflow run bills each of its function executions as an invocation of its own (its duration,
   * rounded, plus the per-request price); the orchestrator's own charges (Step Functions' state
   * transitions) are not priced.
   */
  private Billing billWorkflow(io.sebs.junit.WorkflowRun run, int memoryMb) {
    int memory = billedMemory(memoryMb);
    long billedMs = 0;
    double gbSeconds = 0;
    double ghzSeconds = 0;
    double vcpuSeconds = 0;
    double cost = 0;
    for (io.sebs.junit.FunctionRecord f : run.functions()) {
      Billing b = bill(f.duration(), memoryMb, true);
      billedMs += b.billedMs();
      gbSeconds += b.gbSeconds();
      ghzSeconds += b.ghzSeconds();
      vcpuSeconds += b.vcpuSeconds();
      cost += b.costUsd();
    }
    return new Billing(memory, billedMs, gbSeconds, ghzSeconds, vcpuSeconds, cost, true);
  }

  /**
   * Bills one execution of {@code executed} with {@code memoryMb} configured.
   *
   * @throws IllegalArgumentException when the provider cannot run that memory size, naming the valid ones
   */
  public Billing bill(Duration executed, int memoryMb, boolean estimated) {
    int memory = billedMemory(memoryMb);
    long nanos = Math.max(0, executed.toNanos());
    long granularityNanos = prices.granularityMs() * 1_000_000L;
    long billedMs = Math.max(prices.minimumMs(), ceilDiv(nanos, granularityNanos) * prices.granularityMs());
    double seconds = billedMs / 1000.0;
    double gbSeconds = memory / 1024.0 * seconds;
    double ghzSeconds = prices.billsCpu() ? prices.cpuGhzByMemoryMb().get(memory) * seconds : 0;
    double vcpuSeconds = billedVcpu(memory) * seconds;
    double cost = gbSeconds * prices.perGbSecond() + ghzSeconds * prices.perGhzSecond()
        + vcpuSeconds * prices.perVcpuSecond() + prices.perRequest();
    return new Billing(memory, billedMs, gbSeconds, ghzSeconds, vcpuSeconds, cost, estimated);
  }

  private int billedMemory(int memoryMb) {
    if (memoryMb < 1) {
      throw new IllegalArgumentException("memory must be at least 1 MB to price an invocation, was " + memoryMb);
    }
    if (prices.maximumMemoryMb() > 0 && memoryMb > prices.maximumMemoryMb()) {
      throw new IllegalArgumentException(prices.providerName() + " runs functions with at most "
          + prices.maximumMemoryMb() + " MB, not " + memoryMb + " MB: lower the memory or choose another "
          + PROVIDER);
    }
    if (prices.billsCpu()) {
      Map<Integer, Double> tiers = prices.cpuGhzByMemoryMb();
      if (!tiers.containsKey(memoryMb)) {
        throw new IllegalArgumentException(prices.providerName() + " offers the memory sizes " + tiers.keySet()
            + " MB, not " + memoryMb + " MB: use one of them or choose another " + PROVIDER);
      }
      return memoryMb;
    }
    if (!prices.instanceMemoryMb().isEmpty()) {
      java.util.SortedSet<Integer> holding = prices.instanceMemoryMb().tailSet(memoryMb);
      if (holding.isEmpty()) {
        throw new IllegalArgumentException(prices.providerName() + " runs instances of " + prices.instanceMemoryMb()
            + " MB, none of which holds " + memoryMb + " MB: lower the memory or choose another " + PROVIDER);
      }
      return holding.first();
    }
    int rounding = prices.memoryRoundingMb();
    return rounding <= 0 ? memoryMb : (int) Math.max(rounding, ceilDiv(memoryMb, rounding) * rounding);
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  /** Pricing for one deployed memory size. */
  public FunctionPricing forMemory(int memoryMb) {
    billedVcpu(billedMemory(memoryMb)); // fail now, not at the first invocation
    return new FunctionPricing(this, memoryMb);
  }

  @Override
  public String toString() {
    return "CostModel[" + prices.describe() + (vcpu > 0 ? ", " + vcpu + " vCPU" : "") + "]";
  }
}
