"""Input generation and output validation for 502.graph-mst.

The function builds a Barabasi-Albert graph with ``size`` vertices (10 edges
per new vertex, RNG seeded with ``seed``), computes a minimum spanning tree
(unweighted) and returns a compact summary of the tree:

    {"vertices": int, "edges": int, "leaves": int, "max_degree": int,
     "degree_counts": [[degree, number_of_vertices], ...],  # sorted by degree
     "sample_edges": [[u, v], ...]}      # at most SAMPLE_EDGES edges
"""

# Number of graph vertices for each named size.
GRAPH_SIZES = {"test": 10, "small": 10000, "large": 100000}

SAMPLE_EDGES = 10


def buckets_count():
    """No storage buckets are read or written."""
    return (0, 0)


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths,
                   upload_func, nosql_func):
    if size not in GRAPH_SIZES:
        raise ValueError("unknown size %r for 502.graph-mst; valid sizes: %s"
                         % (size, ", ".join(GRAPH_SIZES)))
    return {"size": GRAPH_SIZES[size], "seed": 42}


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _output_is_valid(input_config, output, language):
    """A Barabasi-Albert graph is connected, so its spanning tree has all n
    vertices and exactly n - 1 edges; degrees and sample edges must fit."""
    if not isinstance(input_config, dict) or not isinstance(output, dict):
        return False
    n = input_config.get("size")
    if not _is_int(n) or n < 1:
        return False
    fields = ("vertices", "edges", "leaves", "max_degree")
    if not all(_is_int(output.get(f)) for f in fields):
        return False
    if output["vertices"] != n or output["edges"] != n - 1:
        return False
    if n == 1:
        if output["leaves"] != 0 or output["max_degree"] != 0:
            return False
    else:
        # A tree on n >= 2 vertices has between 2 and n - 1 leaves
        # (exactly 2 when n == 2) and a maximum degree of 1 .. n - 1.
        if not 2 <= output["leaves"] <= max(2, n - 1):
            return False
        if not 1 <= output["max_degree"] <= n - 1:
            return False

    # The degree histogram must describe the same tree: n vertices, degree
    # sum 2 * (n - 1), and agree with the leaf count and the maximum degree.
    histogram = output.get("degree_counts")
    if not isinstance(histogram, list) or not histogram:
        return False
    degrees_seen = []
    for entry in histogram:
        if not isinstance(entry, list) or len(entry) != 2:
            return False
        degree, count = entry
        if not (_is_int(degree) and _is_int(count) and 0 <= degree < n and count > 0):
            return False
        degrees_seen.append(degree)
    if degrees_seen != sorted(set(degrees_seen)):
        return False
    per_degree = dict((d, c) for d, c in histogram)
    if sum(per_degree.values()) != n or sum(d * c for d, c in histogram) != 2 * (n - 1):
        return False
    if per_degree.get(1, 0) != output["leaves"] or degrees_seen[-1] != output["max_degree"]:
        return False
    if n > 1 and 0 in per_degree:
        return False

    sample = output.get("sample_edges")
    if not isinstance(sample, list) or len(sample) != min(SAMPLE_EDGES, n - 1):
        return False
    for edge in sample:
        if not isinstance(edge, list) or len(edge) != 2:
            return False
        u, v = edge
        if not (_is_int(u) and _is_int(v) and 0 <= u < n and 0 <= v < n and u != v):
            return False
    return len({tuple(sorted(e)) for e in sample}) == len(sample)


def validate_output(data_dir, input_config, output, language, storage=None):
    """SeBS's interface: output is what the handler returned (its "result" holds the benchmark's result);
    None when the result is valid, else what is wrong."""
    result = output.get("result") if isinstance(output, dict) else None
    if _output_is_valid(input_config, result, language):
        return None
    text = repr(result)
    return "%s; got %s" % ('the spanning tree of the connected graph must have all n vertices, n - 1 edges, and fitting degrees and sample edges', text if len(text) <= 300 else text[:300] + "...")
