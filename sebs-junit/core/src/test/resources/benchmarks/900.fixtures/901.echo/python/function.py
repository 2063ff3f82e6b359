import os
import time


def handler(event):
    if event.get("allocate_mb"):
        # Filled, not zeroed, so every page is touched and counts in the resident set.
        block = b"\x01" * (int(event["allocate_mb"]) * 1024 * 1024)
        del block
    if event.get("sleep"):
        time.sleep(event["sleep"])
    if event.get("fail"):
        raise RuntimeError(event["fail"])
    if event.get("crash"):
        os._exit(3)
    return {"result": {"echo": event, "pid": os.getpid()}, "measurement": {"slept_s": event.get("sleep", 0)}}
