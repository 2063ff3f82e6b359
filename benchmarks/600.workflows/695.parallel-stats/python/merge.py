"""695.parallel-stats, state "merge": joins the three branches of the parallel state and checks them.

Event: {"stats": <stats result>, "sort": [sorted chunk, ...], "histogram": <histogram result>}
(for "sort", a dict holding the sorted chunks under "chunks" is accepted too). Merges the sorted
chunks into one sorted list and compares it with the other branches. Returns
    {"count", "sum", "mean", "min", "max"  (from the merged list),
     "median": the lower median (element (n-1)//2 of the merged list),
     "chunks": number of chunks, "histogram": the histogram's counts,
     "sorted_ok": every chunk and the merged list are in ascending order,
     "checks": [{"name": N, "ok": bool, "expected": ..., "actual": ...}, ...]}
with the checks, in this order: chunks_sorted, merged_sorted, count (stats), count (histogram),
sum, min, max, histogram (recomputed from the merged list).
"""

import heapq


def _ascending(values):
    return all(a <= b for a, b in zip(values, values[1:]))


def _check(name, expected, actual):
    return {"name": name, "ok": expected == actual, "expected": expected, "actual": actual}


def handler(event):
    stats = event.get("stats")
    histogram = event.get("histogram")
    chunks = event.get("sort")
    if isinstance(chunks, dict):
        chunks = chunks.get("chunks")
    if not isinstance(stats, dict) or not isinstance(histogram, dict) or not isinstance(chunks, list):
        raise ValueError("the event must hold the results of the branches stats, sort and histogram")

    merged = list(heapq.merge(*chunks))
    if not merged:
        raise ValueError("the sorted chunks hold no numbers")
    n = len(merged)
    total = sum(merged)
    chunks_sorted = all(_ascending(c) for c in chunks)
    merged_sorted = _ascending(merged)

    bins, limit = histogram.get("bins"), histogram.get("limit")
    counts = histogram.get("counts")
    recomputed = [0] * bins
    for v in merged:
        recomputed[min(bins - 1, max(0, int(v * bins // limit)))] += 1

    checks = [
        _check("chunks_sorted", True, chunks_sorted),
        _check("merged_sorted", True, merged_sorted),
        _check("count_stats", n, stats.get("count")),
        _check("count_histogram", n, sum(counts)),
        _check("sum", total, stats.get("sum")),
        _check("min", merged[0], stats.get("min")),
        _check("max", merged[-1], stats.get("max")),
        _check("histogram", recomputed, counts),
    ]
    return {
        "count": n,
        "sum": total,
        "mean": total / n,
        "min": merged[0],
        "max": merged[-1],
        "median": merged[(n - 1) // 2],
        "chunks": len(chunks),
        "histogram": counts,
        "sorted_ok": chunks_sorted and merged_sorted,
        "checks": checks,
    }
