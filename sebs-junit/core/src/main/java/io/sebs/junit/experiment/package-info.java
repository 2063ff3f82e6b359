/**
 * SeBS's experiments (perf-cost, invocation overhead, eviction model, network ping-pong, communication):
 * each an {@link io.sebs.junit.experiment.Experiment} injected into a test, built on measured series
 * ({@link io.sebs.junit.series}) and the engine's prepared functions, writing results and charts through
 * {@link io.sebs.junit.report}.
 */
package io.sebs.junit.experiment;
