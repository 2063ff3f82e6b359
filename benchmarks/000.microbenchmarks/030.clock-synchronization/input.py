"""Input generation and output validation for 030.clock-synchronization.

The function exchanges NTP-style timestamps over UDP with a server the experiment runs (in
sebs-junit: io.sebs.junit.experiment.clock.TimestampServer in the test JVM), so the experiment can
estimate how far the function's clock is from its own:

    event  = {"server-address": <host>, "server-port": <port>, "repetitions": <exchanges>,
              "request-id": <text, optional>, "timeout": <s per reply, optional, default 1>,
              "data": <optional payload, ignored: the invocation-overhead payload sweep>}
    result = {"request-id": ..., "unit": "us", "lost": <datagrams without a reply>,
              "exchanges": [{"id": i, "client_send": t1, "server_rcv": t2,
                             "server_send": t3, "client_rcv": t4}, ...]}

t1 and t4 are taken on the function's wall clock, t2 and t3 on the server's, all in integer epoch
microseconds (SeBS's CSV columns client_send, server_rcv, server_send, client_rcv, in seconds there).
The datagram is "<request-id>:<i>"; the server answers it with " <t2> <t3>" appended. Exchange 0 only
warms the path up and is not reported, as in SeBS.

The server address and port exist only while an experiment runs, so generate_input cannot know them:
like SeBS's experiment, the caller adds them to the generated event. Unlike SeBS, the function returns
the exchanges in its result instead of uploading a CSV, so no bucket is needed.
"""

# Exchanges per invocation for each named size.
REPETITIONS = {"test": 10, "small": 50, "large": 200}


def buckets_count():
    """No storage: the exchanges come back in the result."""
    return (0, 0)


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths,
                   upload_func, nosql_func):
    if size not in REPETITIONS:
        raise ValueError("unknown size %r for 030.clock-synchronization; valid sizes: %s"
                         % (size, ", ".join(REPETITIONS)))
    return {"repetitions": REPETITIONS[size], "timeout": 1.0}


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _output_is_valid(input_config, output, language):
    """Every reported exchange has four integer stamps in order on each side, and the reported
    exchanges plus the lost ones add up to the requested repetitions."""
    if not isinstance(output, dict) or not isinstance(output.get("exchanges"), list):
        return False
    exchanges = output["exchanges"]
    lost = output.get("lost")
    if not _is_int(lost) or lost < 0:
        return False
    for e in exchanges:
        if not isinstance(e, dict):
            return False
        stamps = [e.get(k) for k in ("client_send", "server_rcv", "server_send", "client_rcv")]
        if not all(_is_int(s) for s in stamps):
            return False
        t1, t2, t3, t4 = stamps
        if t4 < t1 or t3 < t2:
            return False
    requested = input_config.get("repetitions") if isinstance(input_config, dict) else None
    return not _is_int(requested) or len(exchanges) + lost == requested


def validate_output(data_dir, input_config, output, language, storage=None):
    """SeBS's interface: output is what the handler returned (its "result" holds the benchmark's result);
    None when the result is valid, else what is wrong."""
    result = output.get("result") if isinstance(output, dict) else None
    if _output_is_valid(input_config, result, language):
        return None
    text = repr(result)
    return "%s; got %s" % ('every exchange needs four integer stamps in order on each side, and exchanges plus lost ones must add up to the requested repetitions', text if len(text) <= 300 else text[:300] + "...")
