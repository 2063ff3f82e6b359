package io.sebs.junit.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.sebs.junit.Measurements;
import io.sebs.junit.benchmark.FunctionSpec;
import java.time.Instant;
import java.util.Map;

/**
 * Everything a result file says about one measured test: which test, what was deployed where, with which
 * input and settings, when, and what was measured.
 *
 * @param name a readable name, e.g. {@code DynamicHtmlTest.warm}
 * @param testId the JUnit unique id
 * @param settings the annotation's parameters (repetitions, warmup, concurrency)
 */
public record ExperimentRecord(
    String name,
    String testId,
    String platform,
    FunctionSpec spec,
    String functionName,
    String codeHash,
    JsonNode input,
    Map<String, Object> settings,
    Instant begin,
    Instant end,
    Measurements measurements) {}
