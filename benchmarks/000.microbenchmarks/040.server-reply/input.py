"""Input generation and output validation for 040.server-reply.

The function opens a TCP connection to a server, reads its reply and returns it (SeBS's event and
result):

    event  = {"ip-address": <host>, "port": <port>[, "expected": <reply>]}
    result = <the reply, decoded as UTF-8, at most 1024 bytes>

A server has to be there to reply, and nothing outside this machine may be reached, so whoever runs the
benchmark provides it. generate_input takes its address from the environment variable
SEBS_SERVER_REPLY_ADDRESS ("host:port", read in the test JVM's environment when the input is generated);
without it the address is PLACEHOLDER (the discard port on loopback, where nothing listens), so invoking
the function with the unmodified generated input fails at once with "connection refused". The suite tests
(ServerReplyPythonTest, ServerReplyNodejsTest) run their own server and send its address, with the reply
it gives as "expected". (SeBS's own input.py sends only {"sleep": n}, which its function does not read.)
"""

import os

ADDRESS_ENV = "SEBS_SERVER_REPLY_ADDRESS"
PLACEHOLDER = ("127.0.0.1", 9)
SIZES = ("test", "small", "large")
MAX_REPLY = 1024


def buckets_count():
    return (0, 0)


def server_address():
    """(host, port) from SEBS_SERVER_REPLY_ADDRESS, else the placeholder."""
    raw = os.environ.get(ADDRESS_ENV, "").strip()
    if not raw:
        return PLACEHOLDER
    host, _, port = raw.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError("%s must be host:port, got %r" % (ADDRESS_ENV, raw))
    return host.strip("[]"), int(port)


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths, upload_func, nosql_func):
    if size not in SIZES:
        raise ValueError("unknown size %r for 040.server-reply; valid sizes: %s" % (size, ", ".join(SIZES)))
    host, port = server_address()
    return {"ip-address": host, "port": port}


def validate_output(data_dir, input_config, output, language, storage=None):
    """SeBS's interface: output is what the handler returned; None when valid, else what is wrong."""
    reply = output.get("result") if isinstance(output, dict) else None
    if not isinstance(reply, str) or not reply:
        return "expected the server's reply as a non-empty string, got %r" % (reply,)
    if len(reply.encode("utf-8")) > MAX_REPLY:
        return "the reply has %d bytes, more than the %d the function reads" % (len(reply.encode()), MAX_REPLY)
    expected = input_config.get("expected")
    if expected is not None and reply != expected:
        return "expected the reply %r, got %r" % (expected, reply)
    return None
