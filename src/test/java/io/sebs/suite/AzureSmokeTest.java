package io.sebs.suite;

import static io.sebs.junit.SebsAssertions.assertThat;

import io.sebs.junit.ColdStart;
import io.sebs.junit.Measurements;
import io.sebs.junit.Platform;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import java.time.Duration;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The live smoke subset for Azure Functions (Flex Consumption): runs only with {@code -Dsebs.platform=azure}
 * (skipped, with the reason, on every other platform) and needs Azure credentials and a subscription (see README,
 * "Azure Functions"); without them the run fails saying how to provide them. CI runs it against the local
 * stand-in of Azure; .github/workflows/azure-live.yml against a real subscription. Deployed functions stay for
 * reuse; remove them with {@code io.sebs.junit.platform.azure.AzureResources --delete}.
 */
@Platform("azure")
class AzureSmokeTest {

  @Nested
  @ServerlessBenchmark(value = "110.dynamic-html", language = "python")
  class DynamicHtmlPython {
    @Test
    @Warm(repetitions = 10, warmup = 1)
    void warm(Measurements m) {
      assertThat(m).hasNoFailures().hasNoMisclassified();
      assertThat(m).clientTime().median().isLessThan(Duration.ofSeconds(2));
      // FunctionExecutionTimeMs from Application Insights, matched by the invocation id the wrapper returned
      Assertions.assertThat(m.successful()).allSatisfy(i -> Assertions.assertThat(i.providerTime()).isPresent());
    }

    @Test
    @ColdStart(repetitions = 2)
    void cold(Measurements m) {
      assertThat(m).hasNoFailures().coldStartRate().isEqualTo(1.0);
    }
  }

  @Nested
  @ServerlessBenchmark(value = "010.sleep", language = "nodejs")
  class SleepNodejs {
    @Test
    @Warm(repetitions = 3, warmup = 1)
    void warm(Measurements m) {
      assertThat(m).hasNoFailures();
      assertThat(m).benchmarkTime().median().isGreaterThan(Duration.ofMillis(900));
    }
  }

  @Nested
  @ServerlessBenchmark(value = "110.dynamic-html", language = "java")
  class DynamicHtmlJava {
    @Test
    @Warm(repetitions = 5, warmup = 1)
    void warm(Measurements m) {
      assertThat(m).hasNoFailures().hasNoMisclassified();
    }
  }
}
