"""040.server-reply: connect to event["ip-address"]:event["port"] over TCP and return what the server
sends (up to 1024 bytes, until it closes the connection), with the connect and reply times in
microseconds."""

import socket
import time

MAX_REPLY = 1024
TIMEOUT_S = 20


def handler(event):
    address = (event.get("ip-address"), int(event.get("port")))
    t0 = time.perf_counter_ns()
    with socket.create_connection(address, timeout=TIMEOUT_S) as s:
        t1 = time.perf_counter_ns()
        reply = b""
        while len(reply) < MAX_REPLY:
            chunk = s.recv(MAX_REPLY - len(reply))
            if not chunk:
                break
            reply += chunk
    t2 = time.perf_counter_ns()
    return {"result": reply.decode("utf-8", "replace"),
            "measurement": {"connect_time": (t1 - t0) // 1000, "reply_time": (t2 - t1) // 1000}}
