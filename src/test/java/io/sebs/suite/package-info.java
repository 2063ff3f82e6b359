/**
 * The benchmark suite: each SeBS benchmark as annotated JUnit tests, warm and cold, with budgets that
 * hold on the local platform. Run it with {@code mvn test} (see README.md); results land in
 * {@code reports/results/<run>/} and Allure results in {@code reports/allure-results/}.
 */
package io.sebs.suite;
