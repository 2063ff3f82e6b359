"""630.parallel-sleep, state "generate": one work item per sleeper.

Event: {"count": n, "sleep": s} (n >= 0 an integer, s >= 0 seconds, fractions allowed).
Returns {"buffer": [{"sleep": s}, ...]} with n elements.
"""


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def handler(event):
    count = event.get("count")
    sleep = event.get("sleep")
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError("event['count'] must be a non-negative integer, got %r" % (count,))
    if not _is_number(sleep) or sleep < 0:
        raise ValueError("event['sleep'] must be a non-negative number of seconds, got %r" % (sleep,))
    return {"buffer": [{"sleep": sleep} for _ in range(count)]}
