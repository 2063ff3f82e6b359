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
    Billing bill = CostModel.of("gcp", "").bill(Duration.ofMillis(260), 256, false);

    assertThat(bill.billedMs()).isEqualTo(300);
    assertThat(bill.gbSeconds()).isCloseTo(0.075, within(1e-15));
    assertThat(bill.ghzSeconds()).isCloseTo(0.12, within(1e-15));
    assertThat(bill.costUsd()).isCloseTo(1.7875e-6, within(EXACT));
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
    assertThat(CostModel.of("azure", "").bill(Duration.ofMillis(300), 1536, false).costUsd())
        .isCloseTo(7.4e-6, within(EXACT));
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
        .hasMessageContaining("Unknown cost provider 'ibm'").hasMessageContaining("[aws, azure, gcp]")
        .hasMessageContaining("sebs.cost.provider");
    assertThatThrownBy(() -> CostModel.of("aws", "sparc"))
        .hasMessageContaining("[arm64, x86_64]").hasMessageContaining("sebs.cost.architecture");
    assertThatThrownBy(() -> CostModel.of("gcp", "tier1").forMemory(200))
        .hasMessageContaining("[128, 256, 512, 1024, 2048, 4096, 8192]");
    assertThatThrownBy(() -> CostModel.of("azure", "").forMemory(2048)).hasMessageContaining("at most 1536 MB");
  }

  @Test
  void theProviderDefaultsToTheTargetPlatformWhenPricedAndToAwsOtherwise() {
    Map<String, String> none = Map.of();
    assertThat(CostModel.fromConfig(k -> Optional.ofNullable(none.get(k)), "local").prices().describe())
        .startsWith("aws/x86_64");
    assertThat(CostModel.fromConfig(k -> Optional.ofNullable(none.get(k)), "gcp").prices().architecture())
        .isEqualTo("tier1");
    Map<String, String> arm = Map.of(CostModel.PROVIDER, "AWS", CostModel.ARCHITECTURE, "arm64");
    assertThat(CostModel.fromConfig(k -> Optional.ofNullable(arm.get(k)), "local").prices().perGbSecond())
        .isEqualTo(0.0000133334);
  }

  @Test
  void everyPriceTableNamesItsSourceAndDate() {
    PriceCatalog catalog = PriceCatalog.load();
    for (String provider : catalog.providers()) {
      PriceTable table = catalog.find(provider, "");
      assertThat(table.source()).as(provider).startsWith("https://");
      assertThat(table.retrieved()).as(provider).isNotNull();
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
