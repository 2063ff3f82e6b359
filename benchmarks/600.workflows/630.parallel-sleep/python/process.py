"""630.parallel-sleep, state "process" (inside the map over "buffer"): sleeps, then reports it.

Event: {"sleep": s} (s >= 0 seconds, fractions allowed; a "request-id" key is ignored).
Returns {"slept": s}, the requested value unchanged.
"""

import time


def handler(event):
    sleep = event.get("sleep")
    if isinstance(sleep, bool) or not isinstance(sleep, (int, float)) or sleep < 0:
        raise ValueError("event['sleep'] must be a non-negative number of seconds, got %r" % (sleep,))
    # time.sleep may wake a little early on some systems; sleep until the full time has passed.
    deadline = time.monotonic() + sleep
    remaining = sleep
    while remaining > 0:
        time.sleep(remaining)
        remaining = deadline - time.monotonic()
    return {"slept": sleep}
