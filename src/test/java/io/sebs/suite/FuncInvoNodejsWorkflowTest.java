package io.sebs.suite;

import io.sebs.junit.ServerlessBenchmark;

/** 620.func-invo with its functions in Node.js: the same chain, the same checks. */
@ServerlessBenchmark(value = "620.func-invo", language = "nodejs")
class FuncInvoNodejsWorkflowTest extends FuncInvoWorkflowTest {}
