package io.sebs.suite;

import static io.sebs.junit.SebsAssertions.assertThat;

import io.sebs.junit.ColdStart;
import io.sebs.junit.Measurements;
import io.sebs.junit.Platform;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The live smoke subset for Cloudflare Workers deployed through Cloudflare's API: runs only with {@code
 * -Dsebs.platform=cloudflare} and an account (CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID, or {@code
 * -Dsebs.cloudflare.apiToken} / {@code accountId}); without them it is skipped, saying so. Workers run Node.js
 * here, so unlike {@link CloudSmokeTest} it has no Python or Java series, and Cloudflare reports no provider time
 * with the answer. Every script the run uploads is deleted when it closes.
 */
@Platform("cloudflare")
@EnabledIf(value = "hasAccount", disabledReason = "no Cloudflare account: set CLOUDFLARE_API_TOKEN (a token with"
    + " Workers Scripts:Edit) and CLOUDFLARE_ACCOUNT_ID to run the live Workers smoke test")
class CloudflareSmokeTest {

  static boolean hasAccount() {
    return setting("sebs.cloudflare.apiToken", "CLOUDFLARE_API_TOKEN").isPresent()
        && setting("sebs.cloudflare.accountId", "CLOUDFLARE_ACCOUNT_ID").isPresent();
  }

  private static Optional<String> setting(String property, String variable) {
    return Optional.ofNullable(System.getProperty(property)).or(() -> Optional.ofNullable(System.getenv(variable)))
        .filter(s -> !s.isBlank());
  }

  @Nested
  @ServerlessBenchmark(value = "110.dynamic-html", language = "nodejs")
  class DynamicHtmlNodejs {
    @Test
    @Warm(repetitions = 10, warmup = 1)
    void warm(Measurements m) {
      assertThat(m).hasNoFailures();
      assertThat(m).clientTime().median().isLessThan(Duration.ofSeconds(2));
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
}
