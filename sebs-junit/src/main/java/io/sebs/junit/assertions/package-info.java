/**
 * The AssertJ-style budgets behind {@link io.sebs.junit.SebsAssertions}: start at
 * {@link io.sebs.junit.assertions.MeasurementsAssert}; {@link io.sebs.junit.assertions.TimeAssert}
 * picks a statistic or a confidence bound, {@link io.sebs.junit.assertions.EstimateAssert} compares it.
 */
package io.sebs.junit.assertions;
