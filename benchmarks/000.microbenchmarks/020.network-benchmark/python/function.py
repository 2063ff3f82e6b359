"""020.network-benchmark: UDP ping-pong with a server (see ../input.py).

The function stamps its send just before sending and its receive as soon as the reply is read
(time.time_ns(), reported in microseconds). A reply is the datagram echoed, optionally followed by the
server's receive and send stamps. Replies to earlier, timed-out datagrams are recognised by their
sequence number and skipped.
"""

import socket
import time

# A server that stops answering is not waited for forever.
MAX_CONSECUTIVE_LOSSES = 5


def _required(event, key):
    if key not in event:
        raise ValueError("event[%r] is missing: the caller adds the timestamp server's address "
                         "(server-address, server-port) to the generated input" % key)
    return event[key]


def _exchange(sock, message, timeout):
    """One exchange: (t1, t2, t3, t4) in epoch microseconds (t2, t3 None from a plain echo server),
    or None when no reply came in time."""
    t1 = time.time_ns()
    sock.send(message)
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        sock.settimeout(remaining)
        try:
            reply = sock.recv(2048)
        except socket.timeout:
            return None
        t4 = time.time_ns()
        head, _, stamps = reply.partition(b" ")
        if head != message:
            continue  # a late reply to an earlier datagram
        parts = stamps.split()
        if len(parts) == 2:
            return t1 // 1000, int(parts[0]), int(parts[1]), t4 // 1000
        return t1 // 1000, None, None, t4 // 1000


def handler(event):
    address = _required(event, "server-address")
    port = int(_required(event, "server-port"))
    repetitions = int(event.get("repetitions", 100))
    if repetitions < 1:
        raise ValueError("event['repetitions'] must be at least 1, got %r" % repetitions)
    timeout = float(event.get("timeout", 1.0))
    request_id = str(event.get("request-id") or "sebs")

    exchanges, lost, consecutive = [], 0, 0
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.connect((address, port))
        for i in range(repetitions + 1):  # exchange 0 warms the path up and is not reported
            message = ("%s:%d" % (request_id, i)).encode("utf-8")
            try:
                stamps = _exchange(sock, message, timeout)
            except ConnectionRefusedError:
                raise ConnectionRefusedError("nothing listens on UDP %s:%d (is the timestamp server running?)"
                                             % (address, port)) from None
            if stamps is None:
                consecutive += 1
                if i > 0:
                    lost += 1
                if consecutive >= MAX_CONSECUTIVE_LOSSES:
                    raise TimeoutError("%d datagrams in a row to %s:%d got no reply within %s s"
                                       % (consecutive, address, port, timeout))
                continue
            consecutive = 0
            if i > 0:
                t1, t2, t3, t4 = stamps
                exchange = {"id": i, "client_send": t1, "client_rcv": t4}
                if t2 is not None:
                    exchange.update(server_rcv=t2, server_send=t3)
                exchanges.append(exchange)
    finally:
        sock.close()
    return {"result": {"request-id": request_id, "unit": "us", "lost": lost, "exchanges": exchanges},
            "measurement": {"exchanges": len(exchanges), "lost": lost}}
