/**
 * The regression gate against a stored baseline: the results of an earlier run, compared per test with a
 * rank test, so that CI fails on real slowdowns and not on noise. Engine code, free of JUnit.
 *
 * <p>Read first {@link io.sebs.junit.baseline.RegressionGate}: its Javadoc fixes the decision rule (fail,
 * pass, inconclusive) on the Hodges–Lehmann shift's interval and the one-sided Mann–Whitney test of
 * {@link io.sebs.junit.stats}. Then:
 *
 * <ul>
 *   <li>{@link io.sebs.junit.baseline.BaselineResults}: loads a results folder ({@code sebs.baseline}) and
 *       finds a test's {@link io.sebs.junit.baseline.BaselineRecord} by name and platform;
 *   <li>{@link io.sebs.junit.baseline.GateVerdict}: a decision with its evidence;
 *   <li>{@link io.sebs.junit.baseline.ComparisonFile}: writes the verdicts next to the test's results.
 * </ul>
 *
 * Users meet it as the {@link io.sebs.junit.Baseline} parameter and
 * {@code assertThat(m).clientTime().isNotSlowerThanBaseline(baseline, 0.10)}.
 */
package io.sebs.junit.baseline;
