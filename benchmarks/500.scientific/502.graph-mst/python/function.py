"""502.graph-mst: minimum spanning tree of a generated Barabasi-Albert graph.

The result is a compact summary of the tree (not the whole edge list).
measurement values are in microseconds.
"""

import random
import time
from collections import Counter

import igraph

EDGES_PER_VERTEX = 10
SAMPLE_EDGES = 10


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
    tree_edge_ids = graph.spanning_tree(weights=None, return_tree=False)
    computed = time.perf_counter()

    tree = graph.subgraph_edges(tree_edge_ids, delete_vertices=False)
    degrees = tree.degree()
    return {
        "result": {
            "vertices": tree.vcount(),
            "edges": tree.ecount(),
            "leaves": sum(1 for d in degrees if d == 1),
            "max_degree": max(degrees, default=0),
            "degree_counts": sorted([d, c] for d, c in Counter(degrees).items()),
            "sample_edges": [list(e) for e in tree.get_edgelist()[:SAMPLE_EDGES]],
        },
        "measurement": {
            "graph_generating_time": (generated - start) * 1e6,
            "compute_time": (computed - generated) * 1e6,
        },
    }
