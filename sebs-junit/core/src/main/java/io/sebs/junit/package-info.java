/**
 * What users write and receive: the annotations ({@link io.sebs.junit.ServerlessBenchmark},
 * {@link io.sebs.junit.ColdStart}, {@link io.sebs.junit.Warm}, {@link io.sebs.junit.Burst},
 * {@link io.sebs.junit.Platform}), the injectable {@link io.sebs.junit.FunctionInvoker} and
 * {@link io.sebs.junit.Measurements}, the {@link io.sebs.junit.Baseline} of an earlier run for the
 * regression gate, and the budgets in {@link io.sebs.junit.SebsAssertions}.
 * Everything else is the engine behind them.
 */
package io.sebs.junit;
