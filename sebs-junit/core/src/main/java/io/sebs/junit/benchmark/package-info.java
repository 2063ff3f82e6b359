/**
 * Benchmarks as SeBS lays them out: {@link io.sebs.junit.benchmark.BenchmarkCatalog} finds a folder
 * by id, {@link io.sebs.junit.benchmark.Benchmark} reads its config.json,
 * {@link io.sebs.junit.benchmark.InputBridge} drives its input.py, and
 * {@link io.sebs.junit.benchmark.CodePackage} assembles code and wrapper into one hashed package.
 */
package io.sebs.junit.benchmark;
