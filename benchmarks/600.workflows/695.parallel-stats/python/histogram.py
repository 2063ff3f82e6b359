"""695.parallel-stats, state "histogram" (branch "histogram" of the parallel state).

Event: {"numbers": [...], "bins": b, "limit": L, ...}, numbers in [0, L). Number v falls into bin
v * b // L (values outside [0, L) are clamped to the first or the last bin). Returns
{"bins": b, "limit": L, "counts": [count of bin 0, ..., count of bin b-1]}.
"""


def handler(event):
    values = event.get("numbers")
    bins = event.get("bins")
    limit = event.get("limit")
    if not isinstance(values, list):
        raise ValueError("event['numbers'] must be a list of numbers")
    for name, value in (("bins", bins), ("limit", limit)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError("event[%r] must be a positive integer, got %r" % (name, value))
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, max(0, int(v * bins // limit)))] += 1
    return {"bins": bins, "limit": limit, "counts": counts}
