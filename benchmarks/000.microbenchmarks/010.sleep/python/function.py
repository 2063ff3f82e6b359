"""010.sleep: block for a requested number of seconds and report it back."""

import time


def handler(event):
    seconds = event.get("sleep")
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise ValueError("event['sleep'] must be a number of seconds, got %r" % (seconds,))
    if seconds < 0:
        raise ValueError("event['sleep'] must not be negative, got %r" % (seconds,))
    if seconds > 0:
        # time.sleep(0) is still a nanosleep system call, ~75 us with Linux's default 50 us timer slack: 0 does not
        # wait, so that it measures the overhead alone (as the Node.js version, where setTimeout(0) waits >= 1 ms)
        time.sleep(seconds)
    return {"result": seconds}
