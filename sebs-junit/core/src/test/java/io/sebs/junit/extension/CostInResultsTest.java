package io.sebs.junit.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.AdaptiveRepetitions;
import io.sebs.junit.Measurements;
import io.sebs.junit.SebsAssertions;
import io.sebs.junit.ServerlessBenchmark;
import io.sebs.junit.Warm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measured tests are priced: results carry SeBS's {@code billing} per invocation and the cost per invocation
 * and per 1M in {@code statistics.cost}; {@code @AdaptiveRepetitions(maxCostUsd)} stops a series at its cap.
 */
class CostInResultsTest {

  @TempDir
  Path results;

  static final Map<String, Measurements> SEEN = new ConcurrentHashMap<>();

  @ServerlessBenchmark("901.echo")
  static class Echo {
    /**
     * Precision can never stop this series (minimum 1000 > 200), only the cap can. Each echo costs at least
     * 0.0000002020833375 USD under aws/x86_64 at 128 MB (request price plus 1 ms of 0.125 GB), so a cap of
     * 0.000001 USD is reached after at most 5 invocations.
     */
    @Test
    @Warm(repetitions = 200, warmup = 0)
    @AdaptiveRepetitions(relativeError = 0.0001, minimum = 1000, maxCostUsd = 1e-6)
    void capped(Measurements m) {
      SEEN.put("capped", m);
      SebsAssertions.assertThat(m).cost().perMillionInvocations().isLessThan(10.0);
    }

    @Test
    @Warm(repetitions = 3)
    @AdaptiveRepetitions(maxCostUsd = 0)
    void zeroCap(Measurements m) {}
  }

  @ServerlessBenchmark("901.echo")
  static class Unpriceable {
    @Test
    @Warm(repetitions = 1)
    void warm(Measurements m) {}
  }

  @Test
  void aCostCapStopsTheSeriesAndResultsCarryBillingAndCost() throws Exception {
    var events = ExtensionTestKit.run(Echo.class, results);

    Measurements m = SEEN.get("capped");
    assertThat(m.stopReason()).startsWith("cost cap reached").contains("maxCostUsd $1.00000e-06");
    assertThat(m.invocations().size()).isBetween(1, 5);
    double perInvocation = m.cost().orElseThrow().perInvocationUsd();
    System.out.printf("capped after %d invocations, %.4g USD per invocation (estimated)%n",
        m.invocations().size(), perInvocation);

    JsonNode json = new ObjectMapper().readTree(resultFile("Echo.capped.json").toFile());
    assertThat(json.path("settings").path("max_cost_usd").asDouble()).isEqualTo(1e-6);
    JsonNode invocations = json.path("_invocations").path(json.path("function").asText());
    assertThat(invocations.size()).isEqualTo(m.invocations().size());
    for (JsonNode invocation : invocations) {
      JsonNode billing = invocation.path("billing");
      assertThat(billing.path("memory").asInt()).isEqualTo(128);
      assertThat(billing.path("billed_time").asLong()).isGreaterThanOrEqualTo(1);
      assertThat(billing.path("estimated").asBoolean()).isTrue();
      // request price 0.0000002 plus 0.125 GB for the billed seconds at 0.0000166667 per GB-s
      assertThat(billing.path("cost_usd").asDouble()).isCloseTo(
          2e-7 + 0.125 * billing.path("billed_time").asLong() / 1000.0 * 0.0000166667, within(1e-15));
    }
    JsonNode cost = json.path("statistics").path("cost");
    assertThat(cost.path("provider").asText()).isEqualTo("aws");
    assertThat(cost.path("architecture").asText()).isEqualTo("x86_64");
    assertThat(cost.path("per_million_usd").asDouble()).isCloseTo(perInvocation * 1e6, within(1e-9));
    assertThat(cost.path("estimated").asInt()).isEqualTo(cost.path("n").asInt());
    assertThat(cost.path("prices_source").asText()).startsWith("https://");

    events.assertThatEvents().haveExactly(1, event(test("zeroCap"), finishedWithFailure(
        instanceOf(ExtensionConfigurationException.class), message(msg -> msg.contains("maxCostUsd = 0.0")))));
  }

  @Test
  void anUnknownCostProviderFailsListingTheKnownOnes() {
    ExtensionTestKit.run(Unpriceable.class, results, "sebs.cost.provider", "ibm").assertThatEvents()
        .haveAtLeast(1, event(finishedWithFailure(message(msg -> msg.contains("Unknown cost provider 'ibm'")
            && msg.contains("[aws, azure, cloudflare, gcp]")))));
  }

  private Path resultFile(String name) throws Exception {
    try (Stream<Path> runs = Files.list(results)) {
      return runs.findFirst().orElseThrow().resolve(name);
    }
  }
}
