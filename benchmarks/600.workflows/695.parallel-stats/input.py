"""Input generation for the workflow 695.parallel-stats: a parallel state, a map inside it, a loop.

Input: {"count": n, "chunk_count": k, "seed": 690, "bins": 10, "limit": 1000,
        "expected": {...}}   ("expected" is for tests; the workflow ignores it)

States (definition.json):
    generate  task      n numbers in [0, 1000) from a linear congruential generator (see
                        python/generate.py), -> {"numbers": [...], "chunks": [[...] x k], "bins", "limit"}
    analyse   parallel  three branches, each given generate's whole result:
                          stats      task  -> {"count", "sum", "mean", "min", "max"}
                          sort       map   over "chunks", inner state sort_chunk (func_name sort_chunk):
                                           each chunk (a list) is sorted; the branch's result is the
                                           list of sorted chunks
                          histogram  task  -> {"bins": 10, "limit": 1000, "counts": [10 counts]}
                        new payload: {"stats": ..., "sort": [...], "histogram": ...}
    merge     task      merges the sorted chunks, checks them against stats and histogram ->
                        {"count", "sum", "mean", "min", "max", "median", "chunks", "histogram",
                         "sorted_ok": true, "checks": [8 checks {"name", "ok", "expected", "actual"}]}
    audit     loop      audit once per check, in order (raises if a check failed); payload unchanged
    report    task      merge's result plus "all_ok": true and "summary" (a line of text)

Function executions per run (the same structure for every size; k sort_chunk, 8 audit):

    size    n       k    executions
    test    100     4    generate 1, stats 1, sort_chunk 4, histogram 1, merge 1, audit 8, report 1
    small   10000   8    generate 1, stats 1, sort_chunk 8, histogram 1, merge 1, audit 8, report 1
    large   50000   10   generate 1, stats 1, sort_chunk 10, histogram 1, merge 1, audit 8, report 1

Expected output values (also in the input's "expected"; "mean" is sum / count):

    size    count   sum        min  max  median  histogram counts (bins of width 100)
    test    100     43889      9    959  382     [12, 13, 12, 15, 8, 7, 9, 9, 10, 5]
    small   10000   5014890    0    999  503     [1017, 982, 986, 985, 999, 992, 978, 1017, 1021, 1023]
    large   50000   24989830   0    999  501     [4980, 5050, 4962, 4985, 4957, 5052, 4995, 4959, 5023, 5037]

and for every size "chunks" = k, "sorted_ok" = true, "all_ok" = true, "checks" = the 8 checks
chunks_sorted, merged_sorted, count_stats, count_histogram, sum, min, max, histogram, all "ok": true.
No object storage and no NoSQL tables are used.
"""

SIZES = {"test": (100, 4), "small": (10000, 8), "large": (50000, 10)}
SEED = 690
BINS = 10
LIMIT = 1000

# The generator of python/generate.py.
MODULUS = 2 ** 31
MULTIPLIER = 1103515245
INCREMENT = 12345


def buckets_count():
    """No object storage."""
    return (0, 0)


def numbers(count, seed=SEED, limit=LIMIT):
    x = seed % MODULUS
    out = []
    for _ in range(count):
        x = (MULTIPLIER * x + INCREMENT) % MODULUS
        out.append((x >> 8) % limit)
    return out


def expected(count, chunk_count):
    values = sorted(numbers(count))
    counts = [0] * BINS
    for v in values:
        counts[v * BINS // LIMIT] += 1
    return {"count": count, "sum": sum(values), "mean": sum(values) / count, "min": values[0],
            "max": values[-1], "median": values[(count - 1) // 2], "chunks": chunk_count,
            "histogram": counts}


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths,
                   upload_func, nosql_func):
    if size not in SIZES:
        raise ValueError("unknown size %r for 695.parallel-stats; valid sizes: %s"
                         % (size, ", ".join(SIZES)))
    count, chunk_count = SIZES[size]
    return {"count": count, "chunk_count": chunk_count, "seed": SEED, "bins": BINS, "limit": LIMIT,
            "expected": expected(count, chunk_count)}
