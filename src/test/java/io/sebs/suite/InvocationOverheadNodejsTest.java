package io.sebs.suite;

import io.sebs.junit.ServerlessBenchmark;

/** Invocation overhead of a Node.js function (030.clock-synchronization). */
@ServerlessBenchmark(value = "030.clock-synchronization", language = "nodejs")
class InvocationOverheadNodejsTest extends InvocationOverheadBenchmark {}
