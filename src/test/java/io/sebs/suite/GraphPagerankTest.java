package io.sebs.suite;

import io.sebs.junit.ServerlessBenchmark;

/** 501.graph-pagerank in Python: PageRank on a Barabási–Albert graph. */
@ServerlessBenchmark(value = "501.graph-pagerank", language = "python")
class GraphPagerankTest extends GraphBenchmark {}
