package io.sebs.suite;

import io.sebs.junit.ServerlessBenchmark;

/** 503.graph-bfs in Python: a breadth-first search from vertex 0 on a Barabási–Albert graph. */
@ServerlessBenchmark(value = "503.graph-bfs", language = "python")
class GraphBfsTest extends GraphBenchmark {}
