package io.sebs.suite;

import io.sebs.junit.ServerlessBenchmark;

/** 630.parallel-sleep with its functions in Node.js: the same overlap and critical path checks. */
@ServerlessBenchmark(value = "630.parallel-sleep", language = "nodejs")
class ParallelSleepNodejsWorkflowTest extends ParallelSleepWorkflowTest {}
