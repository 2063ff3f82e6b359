/**
 * The AssertJ-style budgets behind {@link io.sebs.junit.SebsAssertions}: start at
 * {@link io.sebs.junit.assertions.MeasurementsAssert}; {@link io.sebs.junit.assertions.TimeAssert}
 * picks a statistic or a confidence bound, {@link io.sebs.junit.assertions.EstimateAssert} compares it.
 * Two budgets decide in three ways (pass, fail, or abort as inconclusive):
 * {@code TimeAssert.medianIsWithinBudget} against a fixed duration and
 * {@code TimeAssert.isNotSlowerThanBaseline} against an earlier run.
 */
package io.sebs.junit.assertions;
