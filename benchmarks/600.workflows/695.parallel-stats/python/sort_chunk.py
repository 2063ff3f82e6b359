"""695.parallel-stats, state "sort_chunk" (the map "sort" over "chunks"): sorts one chunk.

Event: the chunk itself, a list of numbers (a dict {"array_element": [...], ...} is accepted too).
Returns the chunk sorted in ascending order.
"""


def handler(event):
    chunk = event.get("array_element") if isinstance(event, dict) else event
    if not isinstance(chunk, list):
        raise ValueError("the event must be a list of numbers, got %s" % type(chunk).__name__)
    return sorted(chunk)
