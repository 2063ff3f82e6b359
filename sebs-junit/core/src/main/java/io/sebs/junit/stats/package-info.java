/**
 * Statistics of measured samples: summaries, percentiles and confidence intervals. Pure engine
 * code, unit-agnostic (the framework passes microseconds), with Commons Math doing the numerics.
 *
 * <p>Read first {@link io.sebs.junit.stats.SampleStatistics}: it is what a test or a report gets
 * for one metric, and its Javadoc fixes the definitions (sample standard deviation,
 * numpy-compatible type 7 percentiles, behaviour on an empty sample). Its two intervals come from:
 *
 * <ul>
 *   <li>{@link io.sebs.junit.stats.LeBoudecInterval}: distribution-free interval for the median,
 *       the one to use for latencies (skewed, with outliers); needs at least 6 values at 95 %;
 *   <li>{@link io.sebs.junit.stats.StudentTInterval}: the textbook interval for the mean, fine for
 *       large or roughly normal samples.
 * </ul>
 *
 * Comparing two samples (a run against its baseline) uses ranks, again distribution-free:
 *
 * <ul>
 *   <li>{@link io.sebs.junit.stats.RankSumTest}: one-sided Mann–Whitney U test of "slower", exact
 *       without ties for small samples, tie-corrected normal approximation otherwise;
 *   <li>{@link io.sebs.junit.stats.HodgesLehmannShift}: how much slower, the median of pairwise
 *       differences with Moses' interval, absolute and relative to the baseline median;
 *   <li>{@link io.sebs.junit.stats.MannWhitneyDistribution}: the exact null distribution behind both.
 * </ul>
 *
 * All return a {@link io.sebs.junit.stats.ConfidenceInterval}, or nothing when the sample is too
 * small to say anything at the requested confidence: callers must handle that case rather than
 * get a misleading interval.
 */
package io.sebs.junit.stats;
