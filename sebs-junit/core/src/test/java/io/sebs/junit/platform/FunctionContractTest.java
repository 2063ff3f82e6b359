package io.sebs.junit.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** FunctionContract turns a wrapper's JSON answer into an InvocationResult, to the microsecond. */
class FunctionContractTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static InvocationResult read(String body) {
    return FunctionContract.read(json(body), "client-id", 111, 2222);
  }

  @Nested
  class EpochMicros {

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource({
      "1700000000.123456, 1700000000123456",
      "1700000000.000001, 1700000000000001",
      "1700000000.999999, 1700000000999999",
      "1700000000.1,      1700000000100000",
      "1700000000,        1700000000000000",
      "0.000001,          1",
      "1700000000.1234565, 1700000000123457",
    })
    void aStringTimestampIsExactToTheMicrosecond(String seconds, long micros) {
      assertThat(FunctionContract.epochMicros(json("'" + seconds + "'"))).isEqualTo(micros);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
      "1700000000.123456, 1700000000123456",
      "1700000000.000001, 1700000000000001",
      "1700000000.999999, 1700000000999999",
      "1712345678.654321, 1712345678654321",
      "1700000000,        1700000000000000",
    })
    void aNumericTimestampIsExactToTheMicrosecondToo(String seconds, long micros) {
      JsonNode number = json(seconds);
      assertThat(number.isNumber()).isTrue();

      assertThat(FunctionContract.epochMicros(number)).isEqualTo(micros);
    }

    @Test
    void absentNullOrEmptyIsZero() {
      assertThat(FunctionContract.epochMicros(MissingNode.getInstance())).isZero();
      assertThat(FunctionContract.epochMicros(NullNode.getInstance())).isZero();
      assertThat(FunctionContract.epochMicros(json("''"))).isZero();
      assertThat(FunctionContract.epochMicros(json("'  '"))).isZero();
    }

    @Test
    void surroundingSpacesAreIgnored() {
      assertThat(FunctionContract.epochMicros(json("' 1700000000.5 '"))).isEqualTo(1700000000500000L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "1.7e9x", "true"})
    void somethingElseIsNotATimestamp(String text) {
      assertThatThrownBy(() -> FunctionContract.epochMicros(json("'" + text + "'")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Not a timestamp in epoch seconds: '" + text + "'");
    }
  }

  @Nested
  class ASuccessfulAnswer {

    private final InvocationResult result = read("""
        {'begin': '1700000000.100000', 'end': '1700000000.350250', 'income_timestamp': '1700000000.099000',
         'is_cold': true, 'container_id': 'c-1', 'request_id': 'r-1',
         'result': {'output': {'echo': 'hi'}, 'measurement': {'slept_s': 0.25}}}""");

    @Test
    void carriesEveryField() {
      assertThat(result.requestId()).isEqualTo("r-1");
      assertThat(result.clientBeginMicros()).isEqualTo(111);
      assertThat(result.clientMicros()).isEqualTo(2222);
      assertThat(result.functionBeginMicros()).isEqualTo(1700000000100000L);
      assertThat(result.functionEndMicros()).isEqualTo(1700000000350250L);
      assertThat(result.incomeTimestampMicros()).isEqualTo(1700000000099000L);
      assertThat(result.isCold()).isTrue();
      assertThat(result.containerId()).isEqualTo("c-1");
      assertThat(result.output()).isEqualTo(json("{'echo': 'hi'}"));
      assertThat(result.measurement()).isEqualTo(json("{'slept_s': 0.25}"));
    }

    @Test
    void isNotFailed() {
      assertThat(result.failed()).isFalse();
      assertThat(result.failureReason()).isEmpty();
      assertThat(result.failure()).isNull();
    }

    @Test
    void benchmarkTimeIsEndMinusBegin() {
      assertThat(result.benchmarkMicros()).isEqualTo(250250);
      assertThat(result.benchmarkTime()).isEqualTo(Duration.ofNanos(250_250_000));
    }

    @Test
    void clientTimesComeFromTheClient() {
      assertThat(result.clientTime()).isEqualTo(Duration.ofNanos(2_222_000));
      assertThat(result.clientBegin()).isEqualTo(Instant.EPOCH.plusNanos(111_000));
    }

    @Test
    void providerAndInitTimesAreUnknown() {
      assertThat(result.providerMicros()).isNegative();
      assertThat(result.providerTime()).isEmpty();
      assertThat(result.initMicros()).isNegative();
      assertThat(result.initTime()).isEmpty();
    }
  }

  @Test
  void numericTimestampsInAnAnswerAreExactToo() {
    InvocationResult result = read("{'begin': 1700000000.123456, 'end': 1700000000.123789, 'result': {}}");

    assertThat(result.functionBeginMicros()).isEqualTo(1700000000123456L);
    assertThat(result.functionEndMicros()).isEqualTo(1700000000123789L);
    assertThat(result.benchmarkMicros()).isEqualTo(333);
  }

  @Test
  void missingFieldsGetNeutralValues() {
    InvocationResult result = read("{'result': {}}");

    assertThat(result.failed()).isFalse();
    assertThat(result.requestId()).as("the client's id stands in").isEqualTo("client-id");
    assertThat(result.functionBeginMicros()).isZero();
    assertThat(result.functionEndMicros()).isZero();
    assertThat(result.incomeTimestampMicros()).isZero();
    assertThat(result.benchmarkMicros()).isZero();
    assertThat(result.isCold()).isFalse();
    assertThat(result.containerId()).isEmpty();
    assertThat(result.output().isMissingNode()).isTrue();
    assertThat(result.measurement().isMissingNode()).isTrue();
  }

  @Test
  void aNullRequestIdFallsBackToTheClientsId() {
    assertThat(read("{'request_id': null, 'result': {}}").requestId()).isEqualTo("client-id");
  }

  @Test
  void anEndBeforeTheBeginGivesZeroBenchmarkTimeNotANegativeOne() {
    InvocationResult result = read("{'begin': '1700000000.5', 'end': '1700000000.4', 'result': {}}");

    assertThat(result.benchmarkMicros()).isZero();
    assertThat(result.benchmarkTime()).isEqualTo(Duration.ZERO);
  }

  @Test
  void anErrorAnswerWithATracebackFailsWithBoth() {
    InvocationResult result = read("""
        {'begin': '1700000000.000000', 'end': '1700000000.000100', 'is_cold': true, 'container_id': 'c-9',
         'request_id': 'r-9', 'error': 'RuntimeError: boom',
         'traceback': 'Traceback (most recent call last):\\n  File function.py, line 9'}""");

    assertThat(result.failed()).isTrue();
    assertThat(result.failureReason()).contains(
        "function error: RuntimeError: boom\nTraceback (most recent call last):\n  File function.py, line 9");
    assertThat(result.requestId()).isEqualTo("r-9");
    assertThat(result.containerId()).isEqualTo("c-9");
    assertThat(result.isCold()).isTrue();
    assertThat(result.benchmarkMicros()).isEqualTo(100);
    assertThat(result.output().isMissingNode()).isTrue();
  }

  @Test
  void anErrorAnswerWithoutATracebackFailsWithTheErrorAlone() {
    assertThat(read("{'error': 'timeout', 'traceback': null}").failureReason()).contains("function error: timeout");
  }

  @Test
  void anErrorWinsOverAResult() {
    assertThat(read("{'error': 'late failure', 'result': {'output': 1}}").failureReason())
        .contains("function error: late failure");
  }

  @Test
  void aNullErrorWithAResultIsASuccess() {
    assertThat(read("{'error': null, 'result': {'output': 1}}").failed()).isFalse();
  }

  @Test
  void anAnswerWithNeitherResultNorErrorFailsQuotingTheAnswer() {
    InvocationResult result = read("{'begin': '1', 'surprise': 42}");

    assertThat(result.failed()).isTrue();
    assertThat(result.failureReason()).hasValueSatisfying(reason -> assertThat(reason)
        .startsWith("the function's answer has neither 'result' nor 'error': ")
        .contains("\"surprise\":42"));
  }

  @Test
  void aHugeAnswerIsAbbreviatedInTheFailure() {
    String big = "x".repeat(5000);
    InvocationResult result = read("{'blob': '" + big + "'}");

    assertThat(result.failureReason()).hasValueSatisfying(reason -> assertThat(reason)
        .endsWith("...")
        .hasSizeLessThan(400));
  }

  @Nested
  class Copies {

    private final InvocationResult original = read("""
        {'begin': '10.000001', 'end': '10.000301', 'income_timestamp': '9.5', 'is_cold': true,
         'container_id': 'c', 'request_id': 'r', 'result': {'output': {'a': 1}, 'measurement': {'m': 2}}}""")
        .withProviderMicros(250);

    @Test
    void withFailureOnlyChangesTheFailure() {
      InvocationResult failed = original.withFailure("invalid output");

      assertThat(failed.failed()).isTrue();
      assertThat(failed.failureReason()).contains("invalid output");
      assertThat(failed).usingRecursiveComparison().ignoringFields("failure").isEqualTo(original);
      assertThat(original.failed()).as("the original is unchanged").isFalse();
    }

    @Test
    void withInitMicrosOnlyChangesTheInitTime() {
      InvocationResult withInit = original.withFailure("f").withInitMicros(1234);

      assertThat(withInit.initMicros()).isEqualTo(1234);
      assertThat(withInit.initTime()).contains(Duration.ofNanos(1_234_000));
      assertThat(withInit.failureReason()).contains("f");
      assertThat(withInit).usingRecursiveComparison().ignoringFields("initMicros", "failure").isEqualTo(original);
    }

    @Test
    void withProviderMicrosOnlyChangesTheProviderTime() {
      assertThat(original.providerTime()).contains(Duration.ofNanos(250_000));
      InvocationResult changed = original.withProviderMicros(7);
      assertThat(changed.providerMicros()).isEqualTo(7);
      assertThat(changed).usingRecursiveComparison().ignoringFields("providerMicros").isEqualTo(original);
    }

    @Test
    void failedBeforeAnswerHasOnlyClientTimes() {
      InvocationResult r = InvocationResult.failedBeforeAnswer("r", 5, 6, "connection refused");

      assertThat(r.failureReason()).contains("connection refused");
      assertThat(r.clientMicros()).isEqualTo(6);
      assertThat(r.benchmarkMicros()).isZero();
      assertThat(r.providerTime()).isEmpty();
      assertThat(r.initTime()).isEmpty();
      assertThat(r.containerId()).isEmpty();
      assertThat(r.output().isMissingNode()).isTrue();
      assertThat(r.toString()).contains("FAILED: connection refused");
    }
  }

  /** The answer of a wrapper invoked over HTTP through a provider's front end (GCP, Azure, Cloudflare). */
  @Nested
  class OverHttp {

    private static final String COLD = "{'begin': '10.000100', 'end': '10.000300', 'income_timestamp': '10.000050',"
        + " 'init_begin': '9.950050', 'is_cold': true, 'container_id': 'c1', 'request_id': 'r1',"
        + " 'result': {'output': {'x': 1}}}";

    private InvocationResult readHttp(int status, String body) {
      return FunctionContract.readHttp(status, body == null ? null : body.replace('\'', '"'), "client-id", 111, 2222,
          (code, page) -> "front end said " + code + ": " + FunctionContract.abbreviate(page));
    }

    @Test
    void aContractAnswerIsReadAsTheWrapperGaveIt() {
      InvocationResult r = readHttp(200, COLD);
      assertThat(r.failed()).isFalse();
      assertThat(r.requestId()).isEqualTo("r1");
      assertThat(r.benchmarkTime()).isEqualTo(Duration.ofNanos(200_000));
    }

    @Test
    void aColdAnswerWithInitBeginGetsItsInitTimeUpToTheRequestsArrival() {
      assertThat(readHttp(200, COLD).initTime()).contains(Duration.ofMillis(50));
    }

    @Test
    void aWarmAnswerHasNoInitTimeEvenWithInitBegin() {
      assertThat(readHttp(200, COLD.replace("'is_cold': true", "'is_cold': false")).initTime()).isEmpty();
    }

    @Test
    void aContractAnswerWithAnErrorStatusFailsNamingTheStatus() {
      InvocationResult r = readHttp(502, COLD);
      assertThat(r.failureReason()).hasValueSatisfying(reason -> assertThat(reason).startsWith("HTTP 502: {"));
    }

    @Test
    void aContractErrorKeepsTheFunctionsOwnReasonWhateverTheStatus() {
      assertThat(readHttp(500, "{'error': 'boom', 'request_id': 'r2'}").failureReason()).contains("function error: boom");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"<html>Error 1102</html>", "", "[1, 2]", "{'stale': true}", "{'truncated': "})
    void anythingElseIsTheFrontEndsAndFailsWithThePlatformsReason(String body) {
      InvocationResult r = readHttp(503, body);
      assertThat(r.failed()).isTrue();
      assertThat(r.failureReason()).hasValueSatisfying(reason -> assertThat(reason).startsWith("front end said 503"));
      assertThat(r.requestId()).isEqualTo("client-id");
      assertThat(r.clientTime()).isEqualTo(Duration.ofNanos(2_222_000));
    }

    @Test
    void aWrappersRefusalOfAStaleInstanceIsLeftToThePlatformToName() {
      assertThat(readHttp(409, "{'stale': true, 'error': 'stale isolate'}").failureReason())
          .hasValueSatisfying(reason -> assertThat(reason).startsWith("front end said 409"));
    }

    @Test
    void aMissingBodyReachesThePlatformAsEmpty() {
      assertThat(readHttp(504, null).failureReason()).contains("front end said 504: ");
    }

    @Test
    void aStaleRefusalIs409WithStaleTrue() {
      assertThat(FunctionContract.isStaleRefusal(409, "{\"stale\": true, \"version\": \"v1\"}")).isTrue();
      assertThat(FunctionContract.isStaleRefusal(200, "{\"stale\": true}")).isFalse();
      assertThat(FunctionContract.isStaleRefusal(409, "{\"stale\": false}")).isFalse();
      assertThat(FunctionContract.isStaleRefusal(409, "Conflict")).isFalse();
    }

    @Test
    void failureTextIsStrippedAndCutTo300Characters() {
      assertThat(FunctionContract.abbreviate("  page \n")).isEqualTo("page");
      assertThat(FunctionContract.abbreviate("x".repeat(400))).hasSize(303).endsWith("...");
      assertThat(FunctionContract.abbreviate(null)).isEmpty();
    }
  }
}
