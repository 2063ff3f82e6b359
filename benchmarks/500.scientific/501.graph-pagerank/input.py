"""Input generation and output validation for 501.graph-pagerank.

The function builds a Barabasi-Albert graph with ``size`` vertices (10 edges
per new vertex, RNG seeded with ``seed``), computes PageRank and returns the
rank of vertex 0 as a float.
"""

# Number of graph vertices for each named size.
GRAPH_SIZES = {"test": 10, "small": 10000, "large": 100000}

# igraph's default PageRank damping factor.
DAMPING = 0.85


def buckets_count():
    """No storage buckets are read or written."""
    return (0, 0)


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths,
                   upload_func, nosql_func):
    if size not in GRAPH_SIZES:
        raise ValueError("unknown size %r for 501.graph-pagerank; valid sizes: %s"
                         % (size, ", ".join(GRAPH_SIZES)))
    return {"size": GRAPH_SIZES[size], "seed": 42}


def _output_is_valid(input_config, output, language):
    """The output is a probability: the PageRank of vertex 0.

    Every vertex receives at least the teleport share (1 - d) / n, and with
    more than one vertex no single vertex can hold all of the rank.
    """
    if not isinstance(input_config, dict):
        return False
    n = input_config.get("size")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        return False
    if isinstance(output, bool) or not isinstance(output, (int, float)):
        return False
    rank = float(output)
    if n == 1:
        return abs(rank - 1.0) < 1e-9
    lower = (1.0 - DAMPING) / n
    return lower * (1 - 1e-6) <= rank < 1.0


def validate_output(data_dir, input_config, output, language, storage=None):
    """SeBS's interface: output is what the handler returned (its "result" holds the benchmark's result);
    None when the result is valid, else what is wrong."""
    result = output.get("result") if isinstance(output, dict) else None
    if _output_is_valid(input_config, result, language):
        return None
    text = repr(result)
    return "%s; got %s" % ('the result must be the PageRank of vertex 0: a probability of at least (1 - d) / n', text if len(text) <= 300 else text[:300] + "...")
