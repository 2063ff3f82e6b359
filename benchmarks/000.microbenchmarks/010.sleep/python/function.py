"""010.sleep: block for a requested number of seconds and report it back."""

import time


def handler(event):
    seconds = event.get("sleep")
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise ValueError("event['sleep'] must be a number of seconds, got %r" % (seconds,))
    if seconds < 0:
        raise ValueError("event['sleep'] must not be negative, got %r" % (seconds,))
    time.sleep(seconds)
    return {"result": seconds}
