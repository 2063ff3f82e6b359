package io.sebs.junit.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sebs.junit.platform.InvocationResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The cost arithmetic against bills computed by hand from the published prices in {@code prices.json}.
 * Money is compared with a tolerance far below the smallest price (1e-18 USD).
 */
class CostModelTest {

  private static final double EXACT = 1e-18;

  @Test
  void awsBillsConfiguredMemoryAndTimeRoundedUpToOneMillisecond() {
    // 128 MB for 12.3 ms -> billed 13 ms; 0.125 GB * 0.013 s = 0.001625 GB-s
    // 0.001625 * 0.0000166667 = 0.00000002708338750; + 0.0000002 per request = 0.00000022708338750
    Billing bill = CostModel.of("aws", "x86_64").bill(Duration.ofNanos(12_300_000), 128, false);

    assertThat(bill.memoryMb()).isEqualTo(128);
    assertThat(bill.billedMs()).isEqualTo(13);
    assertThat(bill.gbSeconds()).isCloseTo(0.001625, within(1e-15));
    assertThat(bill.ghzSeconds()).isZero();
    assertThat(bill.costUsd()).isCloseTo(2.2708338750e-7, within(EXACT));
  }

  @Test
  void awsArmIsTheCheaperGbSecond() {
    // 1024 MB for exactly 1000 ms -> 1 GB-s * 0.0000133334 + 0.0000002 = 0.0000135334
    Billing bill = CostModel.of("aws", "arm64").bill(Duration.ofSeconds(1), 1024, false);

    assertThat(bill.billedMs()).isEqualTo(1000);
    assertThat(bill.costUsd()).isCloseTo(1.35334e-5, within(EXACT));
  }

  @Test
  void googleFirstGenRoundsUpTo100MillisecondsAndBillsTheTiersCpu() {
    // 256 MB (0.4 GHz) for 260 ms -> billed 300 ms
    // memory 0.25 GB * 0.3 s = 0.075 GB-s * 0.0000025 = 0.0000001875
    // CPU 0.4 GHz * 0.3 s = 0.12 GHz-s * 0.00001 = 0.0000012
    // + 0.0000004 per invocation = 0.0000017875
    Billing bill = CostModel.of("gcp", "tier1").bill(Duration.ofMillis(260), 256, false);

    assertThat(bill.billedMs()).isEqualTo(300);
    assertThat(bill.gbSeconds()).isCloseTo(0.075, within(1e-15));
    assertThat(bill.ghzSeconds()).isCloseTo(0.12, within(1e-15));
    assertThat(bill.vcpuSeconds()).isZero();
    assertThat(bill.costUsd()).isCloseTo(1.7875e-6, within(EXACT));

    // tier 2: 0.075 GB-s * 0.0000035 = 0.0000002625; 0.12 GHz-s * 0.000014 = 0.00000168; + 0.0000004
    // = 0.0000023425
    assertThat(CostModel.of("gcp", "tier2").bill(Duration.ofMillis(260), 256, false).costUsd())
        .isCloseTo(2.3425e-6, within(EXACT));
    assertThat(CostModel.of("gcp", "tier1").prices().providerName()).isEqualTo("Google Cloud Functions (1st gen)");
  }

  @Test
  void googleSecondGenBillsTheMemorysDefaultVcpusAndGibSecondsRoundedUpTo100Milliseconds() {
    // the default for gcp: Cloud Run functions, request-based billing, Tier 1
    // 256 MB (0.167 vCPU) for 1,234 ms -> billed 1,300 ms
    // CPU 0.167 vCPU * 1.3 s = 0.2171 vCPU-s * 0.000024 = 0.0000052104
    // memory 0.25 GiB * 1.3 s = 0.325 GiB-s * 0.0000025 = 0.0000008125
    // + 0.0000004 per request = 0.0000064229
    CostModel gen2 = CostModel.of("gcp", "");
    Billing bill = gen2.bill(Duration.ofMillis(1_234), 256, false);

    assertThat(gen2.prices().architecture()).isEqualTo("gen2-tier1");
    assertThat(gen2.prices().providerName()).isEqualTo("Google Cloud Functions (2nd gen, Cloud Run functions)");
    assertThat(bill.memoryMb()).isEqualTo(256);
    assertThat(bill.billedMs()).isEqualTo(1_300);
    assertThat(bill.gbSeconds()).isCloseTo(0.325, within(1e-15));
    assertThat(bill.ghzSeconds()).isZero();
    assertThat(bill.vcpuSeconds()).isCloseTo(0.2171, within(1e-15));
    assertThat(bill.costUsd()).isCloseTo(6.4229e-6, within(EXACT));

    // 1 ns is billed 100 ms: 0.167 * 0.1 * 0.000024 = 0.0000004008; 0.25 * 0.1 * 0.0000025 = 0.0000000625;
    // + 0.0000004 = 0.0000008633
    Billing tiny = gen2.bill(Duration.ofNanos(1), 256, false);
    assertThat(tiny.billedMs()).isEqualTo(100);
    assertThat(tiny.costUsd()).isCloseTo(8.633e-7, within(EXACT));

    // Tier 2, 1024 MB (0.583 vCPU) for 1 s: 0.583 * 0.0000336 = 0.0000195888; 1 GiB-s * 0.0000035 = 0.0000035;
    // + 0.0000004 = 0.0000234888
    assertThat(CostModel.of("gcp", "gen2-tier2").bill(Duration.ofSeconds(1), 1024, false).costUsd())
        .isCloseTo(2.34888e-5, within(EXACT));
  }

  @Test
  void googleSecondGenGivesAMemoryBetweenTheListedSizesTheNextLargerSizesVcpus() {
    CostModel gen2 = CostModel.of("gcp", "gen2-tier1");
    assertThat(gen2.billedVcpu(128)).isEqualTo(0.083);
    assertThat(gen2.billedVcpu(100)).isEqualTo(0.083);
    assertThat(gen2.billedVcpu(300)).isEqualTo(0.333);
    assertThat(gen2.billedVcpu(1024)).isEqualTo(0.583);
    assertThat(gen2.billedVcpu(1025)).isEqualTo(1.0);
    assertThat(gen2.billedVcpu(8192)).isEqualTo(2.0);
    assertThat(gen2.billedVcpu(16384)).isEqualTo(4.0);
    assertThat(gen2.billedVcpu(32768)).isEqualTo(8.0);

    // 300 MB (0.333 vCPU, memory billed as configured) for 50 ms -> billed 100 ms
    // CPU 0.333 * 0.1 = 0.0333 vCPU-s * 0.000024 = 0.0000007992
    // memory 300/1024 * 0.1 = 0.029296875 GiB-s * 0.0000025 = 0.0000000732421875
    // + 0.0000004 = 0.0000012724421875
    Billing bill = gen2.forMemory(300).bill(invocation("m", 40_000, 50_000));
    assertThat(bill.memoryMb()).isEqualTo(300);
    assertThat(bill.billedMs()).isEqualTo(100);
    assertThat(bill.gbSeconds()).isCloseTo(0.029296875, within(1e-15));
    assertThat(bill.costUsd()).isCloseTo(1.2724421875e-6, within(EXACT));

    assertThatThrownBy(() -> gen2.forMemory(32769)).hasMessageContaining("at most 32768 MB");
    assertThat(CostModel.of("aws", "x86_64").billedVcpu(1024)).isZero();
  }

  @Test
  void googleSecondGenBillsAnExplicitVcpuCountInsteadOfTheDefault() {
    // 256 MB with 1 vCPU for 1,234 ms -> 1,300 ms: 1.3 vCPU-s * 0.000024 = 0.0000312;
    // + 0.0000008125 memory + 0.0000004 = 0.0000324125
    Billing bill = CostModel.of("gcp", "").withVcpu(1).bill(Duration.ofMillis(1_234), 256, false);
    assertThat(bill.vcpuSeconds()).isCloseTo(1.3, within(1e-15));
    assertThat(bill.costUsd()).isCloseTo(3.24125e-5, within(EXACT));

    for (String cpu : List.of("1", "1.0", "1000m", " 1 ")) {
      Map<String, String> config = Map.of(CostModel.GCP_CPU, cpu);
      CostModel model = CostModel.fromConfig(k -> Optional.ofNullable(config.get(k)), "gcp");
      assertThat(model.billedVcpu(256)).as(cpu).isEqualTo(1.0);
      assertThat(model.bill(Duration.ofMillis(1_234), 256, false).costUsd()).as(cpu)
          .isCloseTo(3.24125e-5, within(EXACT));
    }

    // prices that bill no vCPU-seconds ignore the setting when configured, and refuse it when asked directly
    Map<String, String> onFirstGen = Map.of(CostModel.GCP_CPU, "2", CostModel.ARCHITECTURE, "tier1");
    assertThat(CostModel.fromConfig(k -> Optional.ofNullable(onFirstGen.get(k)), "gcp")
        .bill(Duration.ofMillis(260), 256, false).costUsd()).isCloseTo(1.7875e-6, within(EXACT));
    Map<String, String> onAws = Map.of(CostModel.GCP_CPU, "2");
    assertThat(CostModel.fromConfig(k -> Optional.ofNullable(onAws.get(k)), "local")
        .bill(Duration.ofNanos(12_300_000), 128, false).costUsd()).isCloseTo(2.2708338750e-7, within(EXACT));
    assertThatThrownBy(() -> CostModel.of("gcp", "tier1").withVcpu(1)).hasMessageContaining("no vCPU-seconds");
    assertThatThrownBy(() -> CostModel.of("gcp", "").withVcpu(0)).hasMessageContaining("positive");
    Map<String, String> bad = Map.of(CostModel.GCP_CPU, "two");
    assertThatThrownBy(() -> CostModel.fromConfig(k -> Optional.ofNullable(bad.get(k)), "gcp"))
        .hasMessageContaining("sebs.gcp.cpu").hasMessageContaining("'two'");
  }

  @Test
  void azureRoundsMemoryUpTo128MbAndBillsAtLeast100Milliseconds() {
    // 200 MB -> 256 MB; 30 ms -> minimum 100 ms; 0.25 GB * 0.1 s = 0.025 GB-s * 0.000016 = 0.0000004
    // + 0.0000002 per execution = 0.0000006
    Billing bill = CostModel.of("azure", "x86_64").bill(Duration.ofMillis(30), 200, true);

    assertThat(bill.memoryMb()).isEqualTo(256);
    assertThat(bill.billedMs()).isEqualTo(100);
    assertThat(bill.costUsd()).isCloseTo(6e-7, within(EXACT));
    assertThat(bill.estimated()).isTrue();

    // 1536 MB for 300 ms: 1.5 GB * 0.3 s = 0.45 GB-s * 0.000016 = 0.0000072; + 0.0000002 = 0.0000074
    assertThat(CostModel.of("azure", "x86_64").bill(Duration.ofMillis(300), 1536, false).costUsd())
        .isCloseTo(7.4e-6, within(EXACT));
  }

  @Test
  void cloudflareWorkersBillCpuTimeAndRequestsButNoMemory() {
    // 7 ms of (estimated) CPU time: 0.007 s * $0.00002 = $0.00000014; + $0.0000003 per request = $0.00000044,
    // whatever the memory configured (every isolate has 128 MB, and memory is not billed)
    CostModel workers = CostModel.of("cloudflare", "");
    Billing small = workers.bill(Duration.ofMillis(7), 128, true);
    Billing large = workers.bill(Duration.ofMillis(7), 2048, true);

    assertThat(workers.prices().architecture()).isEqualTo("workers-standard");
    assertThat(small.costUsd()).isCloseTo(4.4e-7, within(EXACT));
    assertThat(large.costUsd()).isEqualTo(small.costUsd());
    assertThat(small.vcpuSeconds()).isCloseTo(0.007, within(EXACT));
    assertThat(small.gbSeconds() * workers.prices().perGbSecond()).isZero();
    assertThat(workers.bill(Duration.ZERO, 128, true).costUsd()).as("no minimum: the request alone")
        .isCloseTo(3e-7, within(EXACT));
    assertThat(workers.prices().source()).startsWith("https://developers.cloudflare.com/workers/platform/pricing/");
    assertThat(CostModel.fromConfig(k -> Optional.empty(), "cloudflare").prices().provider()).isEqualTo("cloudflare");
  }

  @Test
  void azureFlexConsumptionBillsTheInstanceSizeThatHoldsTheFunction() {
    // the default azure prices: 256 MB runs on a 512 MB instance; 30 ms: 0.5 GB * 0.03 s = 0.015 GB-s
    // * 0.000026 = 0.00000039; + 0.0000004 per execution = 0.00000079
    Billing bill = CostModel.of("azure", "").bill(Duration.ofMillis(30), 256, false);

    assertThat(bill.memoryMb()).isEqualTo(512);
    assertThat(bill.billedMs()).isEqualTo(30);
    assertThat(bill.costUsd()).isCloseTo(7.9e-7, within(EXACT));
    // 1024 MB needs the 2048 MB instance: 2 GB * 0.1 s = 0.2 GB-s * 0.000026 = 0.0000052; + 0.0000004
    assertThat(CostModel.of("azure", "flex-consumption").bill(Duration.ofMillis(100), 1024, false).costUsd())
        .isCloseTo(5.6e-6, within(EXACT));
    assertThatThrownBy(() -> CostModel.of("azure", "").forMemory(8192)).hasMessageContaining("at most 4096 MB");
  }

  @Test
  void aSeriesCostsItsMeanPerInvocationAndAMillionTimesThatPerMillion() {
    // aws x86_64, 128 MB:
    //   a: no provider time, benchmark time 12.3 ms -> estimated, 0.00000022708338750 (as above)
    //   b: provider time 1000 ms -> 0.125 GB-s * 0.0000166667 = 0.0000020833375; + 0.0000002 = 0.0000022833375
    // total 0.0000025104208875; mean 0.00000125521044375; per 1M: 1.25521044375
    InvocationResult a = invocation("a", 12_300, -1);
    InvocationResult b = invocation("b", 900_000, 1_000_000);

    CostSummary cost = CostModel.of("aws", "x86_64").forMemory(128).summarize(List.of(a, b));

    assertThat(cost.n()).isEqualTo(2);
    assertThat(cost.estimated()).isEqualTo(1);
    assertThat(cost.totalUsd()).isCloseTo(2.5104208875e-6, within(EXACT));
    assertThat(cost.perInvocationUsd()).isCloseTo(1.25521044375e-6, within(EXACT));
    assertThat(cost.perMillionUsd()).isCloseTo(1.25521044375, within(1e-12));
    assertThat(cost.describe()).contains("aws/x86_64", "128 MB", "estimated", "1 of 2");
  }

  @Test
  void theProviderTimeIsBilledWhereThePlatformReportsOne() {
    CostModel aws = CostModel.of("aws", "x86_64");
    assertThat(aws.bill(invocation("p", 5_000, 250_400), 512).billedMs()).isEqualTo(251);
    assertThat(aws.bill(invocation("p", 5_000, 250_400), 512).estimated()).isFalse();
    assertThat(aws.bill(invocation("e", 5_000, -1), 512).billedMs()).isEqualTo(5);
    assertThat(aws.bill(invocation("e", 5_000, -1), 512).estimated()).isTrue();
  }

  @Test
  void unknownNamesAndImpossibleMemorySizesFailWithTheValidChoices() {
    assertThatThrownBy(() -> CostModel.of("ibm", ""))
        .hasMessageContaining("Unknown cost provider 'ibm'").hasMessageContaining("[aws, azure, cloudflare, gcp]")
        .hasMessageContaining("sebs.cost.provider");
    assertThatThrownBy(() -> CostModel.of("aws", "sparc"))
        .hasMessageContaining("[arm64, x86_64]").hasMessageContaining("sebs.cost.architecture");
    assertThatThrownBy(() -> CostModel.of("gcp", "tier1").forMemory(200))
        .hasMessageContaining("[128, 256, 512, 1024, 2048, 4096, 8192]");
    assertThatThrownBy(() -> CostModel.of("azure", "x86_64").forMemory(2048)).hasMessageContaining("at most 1536 MB");
  }

  @Test
  void theProviderDefaultsToTheTargetPlatformWhenPricedAndToAwsOtherwise() {
    Map<String, String> none = Map.of();
    assertThat(CostModel.fromConfig(k -> Optional.ofNullable(none.get(k)), "local").prices().describe())
        .startsWith("aws/x86_64");
    assertThat(CostModel.fromConfig(k -> Optional.ofNullable(none.get(k)), "gcp").prices().architecture())
        .isEqualTo("gen2-tier1");
    assertThat(PriceCatalog.load().defaultArchitecture("gcp")).isEqualTo("gen2-tier1");
    Map<String, String> arm = Map.of(CostModel.PROVIDER, "AWS", CostModel.ARCHITECTURE, "arm64");
    assertThat(CostModel.fromConfig(k -> Optional.ofNullable(arm.get(k)), "local").prices().perGbSecond())
        .isEqualTo(0.0000133334);
  }

  @Test
  void everyPriceTableNamesItsSourceAndDate() {
    PriceCatalog catalog = PriceCatalog.load();
    for (String provider : catalog.providers()) {
      for (String architecture : List.of("", catalog.defaultArchitecture(provider))) {
        PriceTable table = catalog.find(provider, architecture);
        assertThat(table.source()).as(provider).startsWith("https://");
        assertThat(table.retrieved()).as(provider).isNotNull();
      }
    }
    for (String architecture : List.of("gen2-tier1", "gen2-tier2", "tier1", "tier2")) {
      assertThat(catalog.find("gcp", architecture).source()).as(architecture).startsWith("https://cloud.google.com/");
    }
  }

  @Test
  void aSpendingLimitIsReachedWhenTheSpendGetsToTheCap() {
    // aws x86_64 128 MB, 1 ms each: 0.125 GB * 0.001 s * 0.0000166667 = 0.0000000020833375; + 0.0000002
    // = 0.0000002020833375 per invocation; 4 -> 0.00000080833335 < 0.000001; 5 -> 0.0000010104166875 >= it
    SpendingLimit limit = new SpendingLimit(CostModel.of("aws", "x86_64").forMemory(128), 1e-6);
    for (int i = 0; i < 4; i++) {
      limit.spent(invocation("i" + i, 1_000, -1));
    }
    assertThat(limit.reached()).isFalse();
    limit.spent(invocation("i4", 1_000, -1));
    assertThat(limit.reached()).isTrue();
    assertThat(limit.spentUsd()).isCloseTo(1.0104166875e-6, within(EXACT));
    assertThat(limit.reason()).startsWith("cost cap reached").contains("after 5 invocations");
    assertThatThrownBy(() -> new SpendingLimit(CostModel.of("aws", "").forMemory(128), 0))
        .hasMessageContaining("must be positive");
  }

  /** A successful invocation whose function ran {@code benchmarkMicros}; provider time negative = unknown. */
  static InvocationResult invocation(String id, long benchmarkMicros, long providerMicros) {
    long begin = 1_700_000_000_000_000L;
    return new InvocationResult(id, begin, benchmarkMicros + 500, begin, begin + benchmarkMicros, 0,
        providerMicros, -1, false, "c1", null, null, null);
  }
}
