/**
 * The benchmark suite: each SeBS benchmark as annotated JUnit tests, warm and cold, with budgets that
 * hold on the local platform. Run it with {@code mvn test} (see README.md); results land in
 * {@code reports/results/<run>/} and Allure results in {@code reports/allure-results/}.
 *
 * <p>Warm budgets use the three-way verdict {@code medianIsWithinBudget}: a test fails only when the whole
 * confidence interval of the median is over budget, and is reported as skipped (inconclusive, with the
 * interval) when the budget lies inside it. On a busy shared runner, ten samples of a function on a quarter
 * CPU (docker) give intervals a hundred milliseconds wide; the machine's noise must not fail the gate, a
 * slowdown the data proves still does.
 *
 * <p>Every budget, warm and cold, is written for a quiet 2-core machine and stretched by the slowdown of a
 * reference workload measured right after the test's invocations ({@link io.sebs.suite.Calibrated}), so a
 * busy runner widens the budgets as much as it slows the reference. The warm series with 10 or more
 * repetitions are also compared with the baseline run when there is one ({@link
 * io.sebs.suite.RegressionCheck}).
 */
package io.sebs.suite;
