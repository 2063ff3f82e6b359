/**
 * Measured series, the unit every test and experiment is built from: {@link
 * io.sebs.junit.series.SeriesRunner} runs cold, warm and burst series against a function (warm-up, enforced
 * cold starts, concurrent bursts, a {@link io.sebs.junit.series.StoppingRule} and a spending cap), and
 * {@link io.sebs.junit.series.MeasurementSeries} holds what they measured (a long series in a temporary file,
 * {@link io.sebs.junit.series.SpilledInvocations}, so the heap stays flat). Independent of the engine and
 * of reports, so both can depend on it.
 */
package io.sebs.junit.series;
