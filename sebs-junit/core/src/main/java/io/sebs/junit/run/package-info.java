/**
 * The engine's entry point, free of JUnit: {@link io.sebs.junit.run.BenchmarkRun} owns one run against
 * one platform and prepares functions ({@link io.sebs.junit.run.PreparedFunction}: deployed, with
 * input, ready to measure).
 */
package io.sebs.junit.run;
