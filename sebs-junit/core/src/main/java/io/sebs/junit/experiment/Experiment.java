package io.sebs.junit.experiment;

/**
 * An experiment a test can take as a parameter, built by the extension for the test's benchmark (SeBS's
 * perf-cost, invocation-overhead, network-ping-pong, eviction-model, communication). The extension finds
 * the experiment type by this marker and builds it with the type's
 * {@code public static T create(io.sebs.junit.run.ExperimentScope)} factory, so adding an experiment
 * touches neither the extension nor a registry.
 *
 * <pre>{@code
 * @ServerlessBenchmark("010.sleep")
 * class EvictionTest {
 *   @Test
 *   void keepAlive(EvictionModel experiment) { ... }
 * }
 * }</pre>
 */
public interface Experiment {}
