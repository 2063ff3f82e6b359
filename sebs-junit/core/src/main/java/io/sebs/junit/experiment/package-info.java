/**
 * Invocation patterns and what they produce: {@link io.sebs.junit.experiment.ExperimentRunner} runs
 * cold, warm and burst series; {@link io.sebs.junit.experiment.MeasurementSeries} holds the result.
 */
package io.sebs.junit.experiment;
