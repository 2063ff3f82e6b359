"""501.graph-pagerank: PageRank on a generated Barabasi-Albert graph.

measurement values are in microseconds.
"""

import random
import time

import igraph

EDGES_PER_VERTEX = 10


def handler(event):
    size = int(event["size"])
    seed = event.get("seed")
    # python-igraph makes igraph draw from Python's `random` module, but the
    # igraph core keeps its RNG per thread: attach it in this thread too, so
    # random.seed() decides the graph even when the handler runs off the
    # thread that imported igraph (as in a threaded HTTP wrapper).
    igraph.set_random_number_generator(random)
    if seed is not None:
        random.seed(seed)

    start = time.perf_counter()
    graph = igraph.Graph.Barabasi(size, EDGES_PER_VERTEX)
    generated = time.perf_counter()
    ranks = graph.pagerank()
    computed = time.perf_counter()

    return {
        "result": ranks[0],
        "measurement": {
            "graph_generating_time": (generated - start) * 1e6,
            "compute_time": (computed - generated) * 1e6,
        },
    }
