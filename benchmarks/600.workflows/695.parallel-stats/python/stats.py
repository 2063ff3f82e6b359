"""695.parallel-stats, state "stats" (branch "stats" of the parallel state): summary statistics.

Event: {"numbers": [...], ...} (at least one number). Returns
{"count": n, "sum": S, "mean": S / n, "min": ..., "max": ...}.
"""


def handler(event):
    values = event.get("numbers")
    if not isinstance(values, list) or not values:
        raise ValueError("event['numbers'] must be a non-empty list of numbers")
    total = sum(values)
    return {"count": len(values), "sum": total, "mean": total / len(values),
            "min": min(values), "max": max(values)}
