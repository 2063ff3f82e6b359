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
    result = {"echo": event, "pid": os.getpid()}
    if event.get("thread"):
        # where the wrapper runs the function: signal.signal raises ValueError off the main thread (imported
        # here: the platform TCK checks the line numbers of the raise above)
        import signal
        import threading

        result["thread"] = threading.current_thread().name
        try:
            signal.signal(signal.SIGUSR2, signal.getsignal(signal.SIGUSR2))
            result["signal_handler_set"] = True
        except ValueError:
            result["signal_handler_set"] = False
    return {"result": result, "measurement": {"slept_s": event.get("sleep", 0)}}
