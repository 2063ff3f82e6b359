/**
 * SeBS's perf-cost experiment: a memory sweep of cold, warm, burst and sequential invocation patterns with
 * time and cost per memory size. Start with {@link io.sebs.junit.experiment.perfcost.PerfCost} (the test
 * parameter); {@link io.sebs.junit.experiment.perfcost.PerfCostResult} holds what was measured and the
 * curves for charts.
 */
package io.sebs.junit.experiment.perfcost;
