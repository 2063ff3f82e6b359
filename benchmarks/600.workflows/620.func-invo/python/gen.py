"""620.func-invo, state "gen": builds the payload that the repeat state passes along.

Event: {"size": n} with n >= 0. Returns {"size": n, "step": 0, "data": s} where s holds n lowercase
letters, "abc...z" repeated (s[i] == chr(ord("a") + i % 26)).
"""

import string

ALPHABET = string.ascii_lowercase


def handler(event):
    size = event.get("size")
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise ValueError("event['size'] must be a non-negative integer, got %r" % (size,))
    repeats, rest = divmod(size, len(ALPHABET))
    data = ALPHABET * repeats + ALPHABET[:rest]
    return {"size": size, "step": 0, "data": data}
