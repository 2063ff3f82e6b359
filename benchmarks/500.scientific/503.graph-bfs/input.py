"""Input generation and output validation for 503.graph-bfs.

The function builds a Barabasi-Albert graph with ``size`` vertices (10 edges
per new vertex, RNG seeded with ``seed``), runs a breadth-first search from
vertex 0 and returns a compact summary of the traversal:

    {"root": int,                  # first visited vertex (always 0)
     "visited": int,               # number of vertices reached
     "layer_sizes": [int, ...],    # vertices per BFS level, root level first
     "first_visited": [int, ...]}  # visit order, at most SAMPLE_VISITED entries
"""

# Number of graph vertices for each named size.
GRAPH_SIZES = {"test": 10, "small": 10000, "large": 100000}

SAMPLE_VISITED = 10

# Edges added per new vertex; without multi-edges, vertices 1..EDGES_PER_VERTEX
# all attach to vertex 0, so they make up (part of) the second BFS level.
EDGES_PER_VERTEX = 10


def buckets_count():
    """No storage buckets are read or written."""
    return (0, 0)


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths,
                   upload_func, nosql_func):
    if size not in GRAPH_SIZES:
        raise ValueError("unknown size %r for 503.graph-bfs; valid sizes: %s"
                         % (size, ", ".join(GRAPH_SIZES)))
    return {"size": GRAPH_SIZES[size], "seed": 42}


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _output_is_valid(input_config, output, language):
    """A Barabasi-Albert graph is connected, so BFS from 0 reaches all n
    vertices; the layers partition them, starting with the root alone."""
    if not isinstance(input_config, dict) or not isinstance(output, dict):
        return False
    n = input_config.get("size")
    if not _is_int(n) or n < 1:
        return False
    if not _is_int(output.get("root")) or output["root"] != 0:
        return False
    if not _is_int(output.get("visited")):
        return False
    if output["visited"] != n:
        return False

    layers = output.get("layer_sizes")
    if not isinstance(layers, list) or not layers:
        return False
    if not all(_is_int(s) and s > 0 for s in layers):
        return False
    if layers[0] != 1 or sum(layers) != n or len(layers) > n:
        return False
    if n > 1 and (len(layers) < 2 or layers[1] < min(EDGES_PER_VERTEX, n - 1)):
        return False

    order = output.get("first_visited")
    if not isinstance(order, list) or len(order) != min(SAMPLE_VISITED, n):
        return False
    if not all(_is_int(v) and 0 <= v < n for v in order):
        return False
    return order[0] == 0 and len(set(order)) == len(order)


def validate_output(data_dir, input_config, output, language, storage=None):
    """SeBS's interface: output is what the handler returned (its "result" holds the benchmark's result);
    None when the result is valid, else what is wrong."""
    result = output.get("result") if isinstance(output, dict) else None
    if _output_is_valid(input_config, result, language):
        return None
    text = repr(result)
    return "%s; got %s" % ('BFS from 0 must reach all n vertices, in layers that partition them starting with the root alone', text if len(text) <= 300 else text[:300] + "...")
