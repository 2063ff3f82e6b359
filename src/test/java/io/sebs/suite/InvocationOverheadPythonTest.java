package io.sebs.suite;

import io.sebs.junit.ServerlessBenchmark;

/** Invocation overhead of a Python function (030.clock-synchronization). */
@ServerlessBenchmark(value = "030.clock-synchronization", language = "python")
class InvocationOverheadPythonTest extends InvocationOverheadBenchmark {}
