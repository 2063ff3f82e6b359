package io.sebs.suite;

import static io.sebs.junit.SebsAssertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sebs.junit.AdaptiveRepetitions;
import io.sebs.junit.Baseline;
import io.sebs.junit.BenchmarkInput;
import io.sebs.junit.ColdStart;
import io.sebs.junit.FunctionInvoker;
import io.sebs.junit.Invocation;
import io.sebs.junit.Measurements;
import io.sebs.junit.Warm;
import java.io.IOException;
import java.time.Duration;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 040.server-reply: the function connects to a TCP server and returns its reply. One subclass per language
 * says which with {@code @ServerlessBenchmark}.
 *
 * <p>The server must be on this machine, so each test class runs one ({@link ReplyServer} on 127.0.0.1,
 * started once per class). The generated input's address is {@code SEBS_SERVER_REPLY_ADDRESS} or a
 * loopback port where nothing listens (see input.py), so the measured tests name a payload method ({@link
 * #replyEvent}) that points the event at this server and says the reply to expect, which input.py's
 * validate_output checks.
 */
abstract class ServerReplyBenchmark {

  private static ReplyServer server;

  /**
   * The language's budgets: {@code warm} is the warm client time median's budget, judged on its confidence
   * interval (three-way: see the package), {@code cold} the median cold client time on the local platform.
   */
  record Budgets(Duration warm, Duration cold) {}

  /** The budgets of the subclass's language. */
  abstract Budgets budgets();

  @BeforeAll
  static void startServer() throws IOException {
    server = ReplyServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  /** The event of the measurements: this class's server, and the reply it gives. */
  static ObjectNode replyEvent(JsonNode input) {
    ObjectNode event = input.deepCopy();
    event.put("ip-address", server.host());
    event.put("port", server.port());
    event.put("expected", ReplyServer.REPLY);
    return event;
  }

  @Test
  @Warm(repetitions = 30, warmup = 1, payload = "replyEvent")
  @AdaptiveRepetitions(relativeError = 0.10, minimum = 10)
  void warmRepliesStayFast(Measurements m, Baseline baseline) {
    assertThat(m).hasNoFailures().hasNoMisclassified();
    assertThat(m).clientTime().medianIsWithinBudget(Calibrated.budget(budgets().warm()));
    RegressionCheck.clientTimeNotSlower(m, baseline);
    Assertions.assertThat(m.invocations()).allSatisfy(i ->
        Assertions.assertThat(i.output().asText()).isEqualTo(ReplyServer.REPLY));
  }

  @Test
  @ColdStart(repetitions = 3, payload = "replyEvent")
  void coldStartsLoadTheRuntimeFirst(Measurements m) {
    assertThat(m).hasNoFailures().coldStartRate().isEqualTo(1.0);
    assertThat(m).clientTime().median().isLessThan(ColdBudget.of(m, budgets().cold()));
  }

  @Test
  void eachInvocationIsOneConnectionAndReportsItsTimes(FunctionInvoker invoker, @BenchmarkInput JsonNode input) {
    int before = server.replies();

    Invocation invocation = invoker.invoke(replyEvent(input));

    Assertions.assertThat(invocation.failed()).as("%s", invocation).isFalse();
    Assertions.assertThat(invocation.output().asText()).isEqualTo(ReplyServer.REPLY);
    Assertions.assertThat(invocation.measurement().path("connect_time").asLong()).isNotNegative();
    Assertions.assertThat(invocation.measurement().path("reply_time").asLong()).isNotNegative();
    Assertions.assertThat(server.replies()).isEqualTo(before + 1);
  }

  @Test
  void theGeneratedInputPointsWhereNothingListensUnlessConfigured(FunctionInvoker invoker,
      @BenchmarkInput JsonNode input) {
    String configured = System.getenv("SEBS_SERVER_REPLY_ADDRESS");
    if (configured == null || configured.isBlank()) {
      Assertions.assertThat(input.path("ip-address").asText()).isEqualTo("127.0.0.1");
      Assertions.assertThat(input.path("port").asInt()).isEqualTo(9);
      Invocation refused = invoker.invoke(input);
      Assertions.assertThat(refused.failed()).as("%s", refused).isTrue();
      Assertions.assertThat(refused.failureReason()).hasValueSatisfying(reason ->
          Assertions.assertThat(reason.lines().findFirst().orElseThrow()).containsIgnoringCase("refused"));
    } else {
      Assertions.assertThat(input.path("ip-address").asText() + ":" + input.path("port").asInt())
          .isEqualTo(configured.strip());
    }
  }
}
