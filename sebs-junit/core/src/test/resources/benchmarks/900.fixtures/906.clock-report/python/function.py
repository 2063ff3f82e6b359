"""Reports the function's wall clock in epoch microseconds: time.time_ns, time.time, datetime.now."""

import time
from datetime import datetime
from time import time_ns


def handler(event):
    return {"result": {
        "time_ns": time.time_ns() // 1000,
        "imported_time_ns": time_ns() // 1000,
        "time": int(time.time() * 1e6),
        "datetime_now": int(datetime.now().timestamp() * 1e6),
    }}
