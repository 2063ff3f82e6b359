"""620.func-invo, state "process" (a repeat state): one link of the chain.

Event: {"size": n, "step": k, "data": s} (as gen or the previous process returned it). Returns the
same keys with every letter of s moved one place on in the alphabet (z becomes a; any other character
is kept) and "step" k + 1.
"""

import string

LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase
SHIFT = str.maketrans(LOWER + UPPER, LOWER[1:] + LOWER[0] + UPPER[1:] + UPPER[0])


def handler(event):
    data = event.get("data")
    if not isinstance(data, str):
        raise ValueError("event['data'] must be a string, got %s" % type(data).__name__)
    step = event.get("step", 0)
    if isinstance(step, bool) or not isinstance(step, int):
        raise ValueError("event['step'] must be an integer, got %r" % (step,))
    return {"size": event.get("size", len(data)), "step": step + 1, "data": data.translate(SHIFT)}
