"""503.graph-bfs: breadth-first search on a generated Barabasi-Albert graph.

The result is a compact summary of the traversal (not the whole visit
order).  measurement values are in microseconds.
"""

import random
import time

import igraph

EDGES_PER_VERTEX = 10
SAMPLE_VISITED = 10


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
    visited, layer_starts, _parents = graph.bfs(0)
    computed = time.perf_counter()

    return {
        "result": {
            "root": visited[0],
            "visited": len(visited),
            "layer_sizes": [b - a for a, b in zip(layer_starts, layer_starts[1:])],
            "first_visited": visited[:SAMPLE_VISITED],
        },
        "measurement": {
            "graph_generating_time": (generated - start) * 1e6,
            "compute_time": (computed - generated) * 1e6,
        },
    }
