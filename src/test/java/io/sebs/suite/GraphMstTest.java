package io.sebs.suite;

import io.sebs.junit.ServerlessBenchmark;

/** 502.graph-mst in Python: a minimum spanning tree on a Barabási–Albert graph. */
@ServerlessBenchmark(value = "502.graph-mst", language = "python")
class GraphMstTest extends GraphBenchmark {}
